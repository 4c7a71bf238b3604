// The test runner's entry point; the tests live one file per concern beside it.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
