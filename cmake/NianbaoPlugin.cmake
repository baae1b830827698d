# nb_add_plugin(<kind> <name> SOURCES ... [LIBS ...])
# Builds nianbao-<kind>-<name>.so into the build plugin dir and installs it.
# kind is "in" or "out".  Writes PLUGIN.so.manifest beside it (lazy loading).  Only nb_plugin_entry is exported (-fvisibility=hidden).
function(nb_add_plugin kind name)
  cmake_parse_arguments(P "" "" "SOURCES;LIBS" ${ARGN})
  set(target "nianbao-${kind}-${name}")
  add_library(${target} MODULE ${P_SOURCES})
  set_target_properties(${target} PROPERTIES
    PREFIX ""
    OUTPUT_NAME "${target}"
    LIBRARY_OUTPUT_DIRECTORY "${NB_BUILD_PLUGIN_DIR}"
    C_VISIBILITY_PRESET hidden
    # No RUNPATH: whatever opens a plugin has libnianbao loaded already (the
    # host, the tests, nianbao_manifest), and the rest are system libraries.
    # The build RUNPATH CMake wrote ended in ':', an empty entry that sent the
    # loader to the current directory for libarchive, libz and the rest: a
    # library planted there was loaded, and an archive's start paid 55 more
    # failed opens.
    SKIP_BUILD_RPATH ON)
  target_link_libraries(${target} PRIVATE nianbao ${P_LIBS})
  install(TARGETS ${target} LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}/nianbao/plugins)
  # The manifest beside the .so lets the host open it only when needed
  # (core/tools/plugin_manifest.c); installed with it when it was written.
  if(TARGET nianbao_manifest)
    set_property(GLOBAL APPEND PROPERTY NB_PLUGIN_TARGETS ${target})
    add_dependencies(${target} nianbao_manifest)
    add_custom_command(TARGET ${target} POST_BUILD
      COMMAND nianbao_manifest "$<TARGET_FILE:${target}>" VERBATIM)
    install(FILES "$<TARGET_FILE:${target}>.manifest" DESTINATION ${CMAKE_INSTALL_LIBDIR}/nianbao/plugins
            OPTIONAL)
  endif()
endfunction()
