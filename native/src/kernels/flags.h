// Validation of 0/1 flag arrays (Uint8Array terminated/truncated/dones/masks) and of finite float inputs.
#pragma once

#include <cstddef>
#include <cstdint>

namespace proximal::kernels {

/// Index of the first element of flags[0, n) that is neither 0 nor 1, or -1 when all are 0/1.
/// Scans in blocks with a branch-free OR-reduction (vectorized), and only looks for the exact index
/// inside the block that failed.
std::ptrdiff_t first_invalid_flag(const std::uint8_t* flags, std::size_t n);

/// Index of the first element of x[0, n) that is NaN or ±Infinity (only elements with mask[i] != 0
/// count when `mask` is not null), or -1 when there is none. A branch-free test of the exponent bits
/// in blocks (vectorized), split over up to `threads` threads (0 = all hardware threads) for large n;
/// the index is the first in order whatever the split.
std::ptrdiff_t first_non_finite(const float* x, std::size_t n, const std::uint8_t* mask = nullptr,
                                unsigned threads = 1);

/// As above for double arrays (one thread).
std::ptrdiff_t first_non_finite(const double* x, std::size_t n);

}  // namespace proximal::kernels
