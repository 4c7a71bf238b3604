// Test helper: requires a call to throw dagprop::io_error whose message holds
// every one of the given parts (file, row, column, reason...).
#pragma once

#include <catch2/catch.hpp>
#include <initializer_list>
#include <string>

#include "dagprop/error.hpp"

namespace dagprop::test {

template <class F>
void require_io_error(F&& f, std::initializer_list<const char*> parts) {
  try {
    f();
  } catch (const dagprop::io_error& e) {
    for (const char* part : parts) CHECK_THAT(std::string(e.what()), Catch::Contains(part));
    return;
  }
  FAIL("no io_error was thrown");
}

}  // namespace dagprop::test
