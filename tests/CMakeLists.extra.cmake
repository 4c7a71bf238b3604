# The ctest test consumer_project: builds the libraries, installs the tree into
# a scratch prefix, then configures, builds and runs tests/consumer against that
# prefix with find_package(dagprop CONFIG REQUIRED), and once more against the
# build tree itself (-Ddagprop_DIR=<build folder>, no install). Included by
# tests/CMakeLists.txt; the same file is the script the test runs (cmake -P).

if(NOT CMAKE_SCRIPT_MODE_FILE)
  include(${CMAKE_CURRENT_LIST_DIR}/fann/fann.cmake)
  add_test(NAME consumer_project
    COMMAND ${CMAKE_COMMAND}
      -DDAGPROP_BINARY_DIR=${PROJECT_BINARY_DIR}
      -DCONSUMER_SOURCE_DIR=${CMAKE_CURRENT_SOURCE_DIR}/consumer
      -DCONSUMER_WORK_DIR=${CMAKE_CURRENT_BINARY_DIR}/consumer
      -DCONSUMER_GENERATOR=${CMAKE_GENERATOR}
      -DCONSUMER_MAKE_PROGRAM=${CMAKE_MAKE_PROGRAM}
      -DCONSUMER_CXX_COMPILER=${CMAKE_CXX_COMPILER}
      "-DCONSUMER_CXX_FLAGS=${CMAKE_CXX_FLAGS}"
      "-DCONSUMER_LINKER_FLAGS=${CMAKE_EXE_LINKER_FLAGS}"
      -DCONSUMER_CONFIG=$<CONFIG>
      -DCONSUMER_CTEST_COMMAND=${CMAKE_CTEST_COMMAND}
      -P ${CMAKE_CURRENT_LIST_FILE})
  # Slow only when the tree is not built yet; serial because it may build the tree.
  set_tests_properties(consumer_project PROPERTIES TIMEOUT 1800 LABELS "consumer;install"
    RUN_SERIAL TRUE)
  return()
endif()

# ---- script mode: cmake -P CMakeLists.extra.cmake -D... ----
cmake_minimum_required(VERSION 3.21)
foreach(var DAGPROP_BINARY_DIR CONSUMER_SOURCE_DIR CONSUMER_WORK_DIR CONSUMER_GENERATOR
    CONSUMER_CTEST_COMMAND)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "consumer_project: -D${var}=... is required")
  endif()
endforeach()
set(config "${CONSUMER_CONFIG}")
if(config STREQUAL "")
  set(config Release)
endif()
set(prefix ${CONSUMER_WORK_DIR}/prefix)
set(build ${CONSUMER_WORK_DIR}/build)

# Runs a command; on failure prints its output and stops with the step's name.
# try_step sets ok_var (and ${ok_var}_log on failure); step stops on failure.
function(try_step name ok_var)
  message(STATUS "consumer_project: ${name}")
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(rc EQUAL 0)
    set(${ok_var} TRUE PARENT_SCOPE)
  else()
    set(${ok_var} FALSE PARENT_SCOPE)
    set(${ok_var}_log "${name} failed (${rc}):\n${ARGN}\n${out}" PARENT_SCOPE)
  endif()
endfunction()
function(step name)
  try_step("${name}" ok ${ARGN})
  if(NOT ok)
    message(FATAL_ERROR "consumer_project: ${ok_log}")
  endif()
endfunction()

# 1. The libraries the package exports must be built, and up to date.
step("build the libraries" ${CMAKE_COMMAND} --build ${DAGPROP_BINARY_DIR} --config ${config}
  --target dagprop_engine dagprop_io)

# 2. Install into a fresh prefix. Should install() name other things not built
#    yet (the command line tool, say), build the whole tree and install again.
file(REMOVE_RECURSE ${prefix} ${build})
set(install_cmd ${CMAKE_COMMAND} --install ${DAGPROP_BINARY_DIR} --prefix ${prefix}
  --config ${config})
try_step("install" installed ${install_cmd})
if(NOT installed)
  message(STATUS "consumer_project: ${installed_log}")
  step("build the main tree" ${CMAKE_COMMAND} --build ${DAGPROP_BINARY_DIR} --config ${config})
  file(REMOVE_RECURSE ${prefix})
  step("install after building the tree" ${install_cmd})
endif()

# 3. Configure the consumer against that prefix only (no package registries).
set(configure_args -S ${CONSUMER_SOURCE_DIR} -B ${build} -G ${CONSUMER_GENERATOR}
  -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_BUILD_TYPE=${config}
  -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF -DCMAKE_FIND_USE_SYSTEM_PACKAGE_REGISTRY=OFF)
if(CONSUMER_CXX_COMPILER)
  list(APPEND configure_args -DCMAKE_CXX_COMPILER=${CONSUMER_CXX_COMPILER})
endif()
# The same flags as the tree (a sanitizer build's library needs its runtime).
list(APPEND configure_args "-DCMAKE_CXX_FLAGS=${CONSUMER_CXX_FLAGS}"
  "-DCMAKE_EXE_LINKER_FLAGS=${CONSUMER_LINKER_FLAGS}")
if(CONSUMER_MAKE_PROGRAM)
  list(APPEND configure_args -DCMAKE_MAKE_PROGRAM=${CONSUMER_MAKE_PROGRAM})
endif()
step("configure tests/consumer" ${CMAKE_COMMAND} ${configure_args})

# The package found must be the one just installed.
file(STRINGS ${build}/CMakeCache.txt found REGEX "^dagprop_DIR:")
string(REGEX REPLACE "^dagprop_DIR:[A-Z]+=" "" found "${found}")
file(REAL_PATH "${found}" found)
file(REAL_PATH "${prefix}" real_prefix)
string(FIND "${found}" "${real_prefix}/" at)
if(NOT at EQUAL 0)
  message(FATAL_ERROR "consumer_project: found dagprop in '${found}', not under '${prefix}'")
endif()

# 4. Build and run it.
step("build tests/consumer" ${CMAKE_COMMAND} --build ${build} --config ${config})
step("run the consumer" ${CONSUMER_CTEST_COMMAND} --test-dir ${build} -C ${config}
  --output-on-failure)

# 5. The build tree as a package: -Ddagprop_DIR=<build folder>, nothing installed.
set(tree_build ${CONSUMER_WORK_DIR}/build-tree)
file(REMOVE_RECURSE ${tree_build})
list(FILTER configure_args EXCLUDE REGEX "^-DCMAKE_PREFIX_PATH=")
list(TRANSFORM configure_args REPLACE "^${build}$" "${tree_build}")
step("configure tests/consumer against the build tree" ${CMAKE_COMMAND} ${configure_args}
  -Ddagprop_DIR=${DAGPROP_BINARY_DIR})
file(STRINGS ${tree_build}/CMakeCache.txt found REGEX "^dagprop_DIR:")
string(REGEX REPLACE "^dagprop_DIR:[A-Z]+=" "" found "${found}")
file(REAL_PATH "${found}" found)
file(REAL_PATH "${DAGPROP_BINARY_DIR}" real_tree)
if(NOT found STREQUAL real_tree)
  message(FATAL_ERROR "consumer_project: found dagprop in '${found}', not in '${real_tree}'")
endif()
step("build tests/consumer against the build tree" ${CMAKE_COMMAND} --build ${tree_build}
  --config ${config})
step("run the consumer built against the build tree" ${CONSUMER_CTEST_COMMAND} --test-dir
  ${tree_build} -C ${config} --output-on-failure)
message(STATUS "consumer_project: passed")
