// Internal: the oneTBB arena for a requested thread count. 0 means all cores;
// more threads than cores are capped (silently: results never depend on the
// number of threads, and oneTBB would print a warning otherwise).
#pragma once

#include <algorithm>
#include <cstddef>
#include <string>

#include <tbb/info.h>
#include <tbb/task_arena.h>

#include "dagprop/error.hpp"
#include "dagprop/limits.hpp"

namespace dagprop::detail {

inline int arena_threads(std::size_t threads) {
  if (threads > max_threads)
    throw invalid_argument("threads must be at most " + std::to_string(max_threads) + ", got " +
                           std::to_string(threads));
  const int cores = tbb::info::default_concurrency();
  return threads == 0 ? cores : std::min(cores, static_cast<int>(threads));
}

}  // namespace dagprop::detail
