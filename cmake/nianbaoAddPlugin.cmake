# nianbao_add_plugin(<in|out> <name> SOURCES src... [LIBS lib...] [INSTALL_DIR dir])
#
# Builds the plugin nianbao-<kind>-<name>.so as a module the nianbao host
# dlopen()s: no "lib" prefix, hidden visibility so only nb_plugin_entry is
# exported, linked to nianbao::nianbao.  `cmake --install` puts it into
# INSTALL_DIR, by default <prefix>/<libdir>/nianbao/plugins (the installed
# nianbao's own plugin directory when the prefixes agree); otherwise run it
# with `nianbao --plugin-dir <build dir>`.  With nianbao's manifest tool
# installed, PLUGIN.so.manifest is written beside it and installed with it,
# so that nianbao opens the plugin only when its format is needed; without
# one the plugin loads at start-up.  Installed with nianbao's CMake package
# (find_package(nianbao)).
function(nianbao_add_plugin kind name)
  cmake_parse_arguments(P "" "INSTALL_DIR" "SOURCES;LIBS" ${ARGN})
  if(NOT kind STREQUAL "in" AND NOT kind STREQUAL "out")
    message(FATAL_ERROR "nianbao_add_plugin: kind is 'in' or 'out', not '${kind}'")
  endif()
  if(NOT P_SOURCES)
    message(FATAL_ERROR "nianbao_add_plugin(${kind} ${name}): no SOURCES")
  endif()
  set(target "nianbao-${kind}-${name}")
  add_library(${target} MODULE ${P_SOURCES})
  set_target_properties(${target} PROPERTIES
    PREFIX ""
    OUTPUT_NAME "${target}"
    C_STANDARD 11
    C_VISIBILITY_PRESET hidden
    # No build RUNPATH: the host and nianbao_manifest have libnianbao loaded
    # when they open a plugin.  CMake's would end in ':', an empty entry
    # that sends the loader to the current directory for the plugin's
    # libraries.
    SKIP_BUILD_RPATH ON)
  target_link_libraries(${target} PRIVATE nianbao::nianbao ${P_LIBS})
  if(NOT P_INSTALL_DIR)
    include(GNUInstallDirs)
    set(P_INSTALL_DIR "${CMAKE_INSTALL_LIBDIR}/nianbao/plugins")
  endif()
  install(TARGETS ${target} LIBRARY DESTINATION "${P_INSTALL_DIR}")
  if(nianbao_MANIFEST_TOOL)
    add_custom_command(TARGET ${target} POST_BUILD
      COMMAND "${nianbao_MANIFEST_TOOL}" "$<TARGET_FILE:${target}>" VERBATIM)
    install(FILES "$<TARGET_FILE:${target}>.manifest" DESTINATION "${P_INSTALL_DIR}" OPTIONAL)
  endif()
endfunction()
