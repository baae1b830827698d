# NianbaoInstall.cmake - what `cmake --install` adds beyond the library,
# binary, plugins and data: the CMake package (find_package(nianbao)),
# the plugin helper header, the man page and shell completion.
include(CMakePackageConfigHelpers)

set(NB_CMAKE_PACKAGE_DIR "${CMAKE_INSTALL_LIBDIR}/cmake/nianbao")
set(NB_PLUGIN_RELDIR "${CMAKE_INSTALL_LIBDIR}/nianbao/plugins")
set(NB_MANIFEST_TOOL_RELPATH "${CMAKE_INSTALL_LIBEXECDIR}/nianbao/nianbao_manifest")

install(EXPORT nianbaoTargets NAMESPACE nianbao:: DESTINATION "${NB_CMAKE_PACKAGE_DIR}")
configure_package_config_file(
  "${CMAKE_SOURCE_DIR}/cmake/nianbaoConfig.cmake.in"
  "${CMAKE_BINARY_DIR}/nianbaoConfig.cmake"
  INSTALL_DESTINATION "${NB_CMAKE_PACKAGE_DIR}"
  PATH_VARS CMAKE_INSTALL_INCLUDEDIR NB_PLUGIN_RELDIR NB_MANIFEST_TOOL_RELPATH)
# 0.x: only the same minor version is compatible.
write_basic_package_version_file("${CMAKE_BINARY_DIR}/nianbaoConfigVersion.cmake"
  VERSION "${PROJECT_VERSION}" COMPATIBILITY SameMinorVersion)
install(FILES "${CMAKE_BINARY_DIR}/nianbaoConfig.cmake" "${CMAKE_BINARY_DIR}/nianbaoConfigVersion.cmake"
              "${CMAKE_SOURCE_DIR}/cmake/nianbaoAddPlugin.cmake"
        DESTINATION "${NB_CMAKE_PACKAGE_DIR}")

# The helper the text readers share (NB_TEXT_READER), for third-party input
# plugins: #include <nianbao/text_reader.h>.
install(FILES "${CMAKE_SOURCE_DIR}/plugins/common/text_reader.h" DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}/nianbao")

install(FILES "${CMAKE_SOURCE_DIR}/docs/nianbao.1" DESTINATION "${CMAKE_INSTALL_MANDIR}/man1")
install(FILES "${CMAKE_SOURCE_DIR}/completion/nianbao.bash"
        DESTINATION "${CMAKE_INSTALL_DATADIR}/bash-completion/completions" RENAME nianbao)
install(FILES "${CMAKE_SOURCE_DIR}/completion/_nianbao" DESTINATION "${CMAKE_INSTALL_DATADIR}/zsh/site-functions")
