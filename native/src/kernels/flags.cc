#include "kernels/flags.h"

#include <cstring>
#include <vector>

#include "kernels/parallel.h"

namespace proximal::kernels {

std::ptrdiff_t first_invalid_flag(const std::uint8_t* flags, std::size_t n) {
  constexpr std::size_t kBlock = 4096;
  for (std::size_t start = 0; start < n; start += kBlock) {
    const std::size_t end = n - start < kBlock ? n : start + kBlock;
    std::uint8_t bad = 0;
    for (std::size_t i = start; i < end; ++i) bad |= static_cast<std::uint8_t>(flags[i] & 0xFEu);
    if (bad != 0) {
      for (std::size_t i = start; i < end; ++i) {
        if (flags[i] > 1) return static_cast<std::ptrdiff_t>(i);
      }
    }
  }
  return -1;
}

namespace {

constexpr std::uint32_t kExpMask32 = 0x7F800000u;
constexpr std::uint64_t kExpMask64 = 0x7FF0000000000000ull;

inline std::uint32_t bits(float x) {
  std::uint32_t u;
  std::memcpy(&u, &x, sizeof u);
  return u;
}

inline std::uint64_t bits(double x) {
  std::uint64_t u;
  std::memcpy(&u, &x, sizeof u);
  return u;
}

// A float is NaN or ±Inf exactly when its exponent bits are all ones.
template <bool kMasked>
std::ptrdiff_t first_non_finite_range(const float* x, const std::uint8_t* mask, std::size_t begin,
                                      std::size_t end) {
  constexpr std::size_t kBlock = 4096;
  for (std::size_t start = begin; start < end; start += kBlock) {
    const std::size_t stop = end - start < kBlock ? end : start + kBlock;
    std::uint32_t bad = 0;
    for (std::size_t i = start; i < stop; ++i) {
      std::uint32_t b = static_cast<std::uint32_t>((bits(x[i]) & kExpMask32) == kExpMask32);
      if (kMasked) b &= static_cast<std::uint32_t>(mask[i] != 0);
      bad |= b;
    }
    if (bad != 0) {
      for (std::size_t i = start; i < stop; ++i) {
        if ((bits(x[i]) & kExpMask32) == kExpMask32 && (!kMasked || mask[i] != 0)) {
          return static_cast<std::ptrdiff_t>(i);
        }
      }
    }
  }
  return -1;
}

std::ptrdiff_t scan(const float* x, const std::uint8_t* mask, std::size_t begin, std::size_t end) {
  return mask != nullptr ? first_non_finite_range<true>(x, mask, begin, end)
                         : first_non_finite_range<false>(x, mask, begin, end);
}

// Below this many elements one thread scans (thread start-up would cost more than the scan).
constexpr std::size_t kFiniteParallelThreshold = std::size_t{1} << 18;

}  // namespace

std::ptrdiff_t first_non_finite(const float* x, std::size_t n, const std::uint8_t* mask, unsigned threads) {
  if (n == 0) return -1;
  unsigned parts = resolve_threads(threads);
  if (parts <= 1 || n < kFiniteParallelThreshold) return scan(x, mask, 0, n);
  const std::size_t max_parts = n / (kFiniteParallelThreshold / 4);
  if (parts > max_parts) parts = static_cast<unsigned>(max_parts);
  std::vector<std::ptrdiff_t> first(parts, -1);
  const std::size_t chunk = (n + parts - 1) / parts;
  parallel_ranges(parts, parts, 1, [&](std::size_t p0, std::size_t p1) {
    for (std::size_t p = p0; p < p1; ++p) {
      const std::size_t b = p * chunk;
      const std::size_t e = b + chunk < n ? b + chunk : n;
      if (b < e) first[p] = scan(x, mask, b, e);
    }
  });
  for (std::ptrdiff_t f : first) {
    if (f >= 0) return f;
  }
  return -1;
}

std::ptrdiff_t first_non_finite(const double* x, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    if ((bits(x[i]) & kExpMask64) == kExpMask64) return static_cast<std::ptrdiff_t>(i);
  }
  return -1;
}

}  // namespace proximal::kernels
