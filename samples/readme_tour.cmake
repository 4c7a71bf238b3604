# The ctest test sample:readme_tour (cmake -P): the README's first ```cpp block
# must be samples/tour.cpp from its first #include on, so that the tour the
# README shows is the one ctest compiles and runs.
foreach(var README SAMPLE)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "readme_tour: -D${var}=... is required")
  endif()
endforeach()
file(READ ${README} readme)
file(READ ${SAMPLE} sample)
string(FIND "${readme}" "```cpp\n" open)
if(open EQUAL -1)
  message(FATAL_ERROR "readme_tour: no ```cpp block in ${README}")
endif()
math(EXPR start "${open} + 7")
string(SUBSTRING "${readme}" ${start} -1 rest)
string(FIND "${rest}" "```\n" close)
string(SUBSTRING "${rest}" 0 ${close} block)
string(FIND "${sample}" "#include" first)
string(SUBSTRING "${sample}" ${first} -1 code)
if(NOT block STREQUAL code)
  message(FATAL_ERROR "readme_tour: the README's C++ tour differs from ${SAMPLE}; copy the file "
                      "(from its first #include) into the README's first ```cpp block")
endif()
