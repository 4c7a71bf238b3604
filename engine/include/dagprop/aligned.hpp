// An allocator of memory aligned to 128 bytes, for the rows and buffers the
// kernels read as vectors. A std::vector's memory from malloc starts 16 bytes
// into a cache line, so every 64-byte vector of a row would straddle two lines
// and a row of 32 floats touch three lines instead of two; at 128 bytes a row
// of 32 floats is one pair of lines, as the L2's prefetchers fetch them.
#pragma once

#include <cstddef>
#include <new>
#include <vector>

namespace dagprop::detail {

inline constexpr std::size_t row_alignment = 128;

template <class T>
struct AlignedAllocator {
  using value_type = T;
  AlignedAllocator() = default;
  template <class U>
  AlignedAllocator(const AlignedAllocator<U>&) {}
  T* allocate(std::size_t n) {
    if (n > static_cast<std::size_t>(-1) / sizeof(T)) throw std::bad_array_new_length();
    return static_cast<T*>(::operator new(n * sizeof(T), std::align_val_t(row_alignment)));
  }
  void deallocate(T* p, std::size_t) { ::operator delete(p, std::align_val_t(row_alignment)); }
  template <class U>
  bool operator==(const AlignedAllocator<U>&) const {
    return true;
  }
  template <class U>
  bool operator!=(const AlignedAllocator<U>&) const {
    return false;
  }
};

// A vector whose data() is aligned to row_alignment.
template <class T>
using AlignedVector = std::vector<T, AlignedAllocator<T>>;

}  // namespace dagprop::detail
