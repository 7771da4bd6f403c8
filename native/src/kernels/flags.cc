#include "kernels/flags.h"

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

}  // namespace proximal::kernels
