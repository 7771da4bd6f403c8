// Validation of 0/1 flag arrays (Uint8Array terminated/truncated/dones/masks).
#pragma once

#include <cstddef>
#include <cstdint>

namespace proximal::kernels {

/// Index of the first element of flags[0, n) that is neither 0 nor 1, or -1 when all are 0/1.
/// Scans in blocks with a branch-free OR-reduction (vectorized), and only looks for the exact index
/// inside the block that failed.
std::ptrdiff_t first_invalid_flag(const std::uint8_t* flags, std::size_t n);

}  // namespace proximal::kernels
