# The FANN test helper (fann_tool.c), built against FANN 2.2's libfloatfann when
# it is found (Debian: libfann-dev); the [fann] tests run it and are skipped
# without it. Included from tests/CMakeLists.extra.cmake. The fixed-point test
# (test_fann_fixed.cpp) is compiled always and skips without the helpers.
target_sources(dagprop_tests PRIVATE ${CMAKE_CURRENT_LIST_DIR}/test_fann_fixed.cpp)
find_path(DAGPROP_FANN_INCLUDE_DIR floatfann.h)
find_library(DAGPROP_FANN_LIBRARY floatfann)
if(DAGPROP_FANN_INCLUDE_DIR AND DAGPROP_FANN_LIBRARY)
  enable_language(C)
  add_executable(dagprop_fann_tool ${CMAKE_CURRENT_LIST_DIR}/fann_tool.c)
  target_include_directories(dagprop_fann_tool PRIVATE ${DAGPROP_FANN_INCLUDE_DIR})
  target_link_libraries(dagprop_fann_tool PRIVATE ${DAGPROP_FANN_LIBRARY} m)
  target_compile_definitions(dagprop_tests PRIVATE
    DAGPROP_FANN_TOOL="$<TARGET_FILE:dagprop_fann_tool>")
  add_dependencies(dagprop_tests dagprop_fann_tool)
  # The same helper on libdoublefann: fann_run's own arithmetic in double, to
  # compare with dagprop beyond float's rounding.
  find_library(DAGPROP_FANN_DOUBLE_LIBRARY doublefann)
  if(DAGPROP_FANN_DOUBLE_LIBRARY)
    add_executable(dagprop_fann_tool_double ${CMAKE_CURRENT_LIST_DIR}/fann_tool.c)
    target_compile_definitions(dagprop_fann_tool_double PRIVATE FANN_TOOL_DOUBLE)
    target_include_directories(dagprop_fann_tool_double PRIVATE ${DAGPROP_FANN_INCLUDE_DIR})
    target_link_libraries(dagprop_fann_tool_double PRIVATE ${DAGPROP_FANN_DOUBLE_LIBRARY} m)
    target_compile_definitions(dagprop_tests PRIVATE
      DAGPROP_FANN_TOOL_DOUBLE="$<TARGET_FILE:dagprop_fann_tool_double>")
    add_dependencies(dagprop_tests dagprop_fann_tool_double)
  endif()
  # FANN's fixed-point runtime (libfixedfann, fann_type int) running the files
  # fann_tool's `fixed` writes.
  find_library(DAGPROP_FANN_FIXED_LIBRARY fixedfann)
  if(DAGPROP_FANN_FIXED_LIBRARY)
    add_executable(dagprop_fann_fixed_run ${CMAKE_CURRENT_LIST_DIR}/fann_fixed_run.c)
    target_include_directories(dagprop_fann_fixed_run PRIVATE ${DAGPROP_FANN_INCLUDE_DIR})
    target_link_libraries(dagprop_fann_fixed_run PRIVATE ${DAGPROP_FANN_FIXED_LIBRARY} m)
    target_compile_definitions(dagprop_tests PRIVATE
      DAGPROP_FANN_FIXED_RUN="$<TARGET_FILE:dagprop_fann_fixed_run>")
    add_dependencies(dagprop_tests dagprop_fann_fixed_run)
  endif()
else()
  message(STATUS "FANN (floatfann.h, libfloatfann) not found: the [fann] tests will skip")
endif()
