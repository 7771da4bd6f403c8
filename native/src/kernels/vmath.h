// Inline, vectorizable math for the elementwise kernels (plain C++17, no N-API).
//
// std::exp is an opaque libm call that stops GCC/Clang from vectorizing a loop (glibc only
// declares its vector variants under -ffast-math). exp_f64 below is branch-free straight-line
// arithmetic on doubles and 64-bit integers that the loop vectorizer handles (SSE2 and AVX2).
#pragma once

#include <cstdint>
#include <cstring>

#include "kernels/target.h"

namespace proximal::kernels {

/// e^x in double precision, within ~2 ulp of the correctly rounded value over the whole range (for
/// subnormal results, within 2 units of the subnormal spacing 2^-1074):
/// +inf above ~709.78, +0 below ~-745.13 (subnormal results included), NaN for NaN.
///
/// Cody-Waite reduction x = k ln2 + r with |r| ≤ ln2/2 (k = round(x / ln2), ln2 split in a high
/// part with trailing zero bits, so k·ln2_hi is exact), e^r by its degree-12 Taylor polynomial
/// (truncation error r^13/13! < 2e-16 relative), and 2^k applied as two factors 2^(k/2)·2^(k-k/2)
/// built from exponent bits, so that results down to the subnormal range and up to overflow are
/// right without branches. Rounding to an integer uses the 1.5·2^52 shift (round to nearest).
///
/// `lo` and `hi` must be kExpLo and kExpHi. They are parameters so that a kernel can pass them in
/// from memory (its coefficient struct): with literal bounds GCC threads the clamp branches into
/// two constant-folded copies of the caller's loop body, and the loop no longer vectorizes.
constexpr double kExpLo = -746.0;
constexpr double kExpHi = 710.0;

PROXIMAL_ALWAYS_INLINE double exp_f64(double x, double lo, double hi) {
  // Clamp (a NaN compares false both times and passes through): beyond these bounds e^x is 0 or
  // +inf in double anyway, and k stays in the range the exponent-bit scaling handles.
  x = x < lo ? lo : x;
  x = x > hi ? hi : x;
  constexpr double kShift = 6755399441055744.0;  // 1.5 * 2^52
  constexpr double kLog2e = 1.4426950408889634;
  constexpr double kLn2Hi = 6.93147180369123816490e-01;  // 0x3FE62E42FEE00000
  constexpr double kLn2Lo = 1.90821492927058770002e-10;  // ln2 - kLn2Hi
  const double k = (x * kLog2e + kShift) - kShift;       // round(x / ln2), an integer in [-1077, 1025]
  const double r = (x - k * kLn2Hi) - k * kLn2Lo;
  double p = 1.0 / 479001600.0;  // 1/12!
  p = p * r + 1.0 / 39916800.0;
  p = p * r + 1.0 / 3628800.0;
  p = p * r + 1.0 / 362880.0;
  p = p * r + 1.0 / 40320.0;
  p = p * r + 1.0 / 5040.0;
  p = p * r + 1.0 / 720.0;
  p = p * r + 1.0 / 120.0;
  p = p * r + 1.0 / 24.0;
  p = p * r + 1.0 / 6.0;
  p = p * r + 0.5;
  p = p * r + 1.0;
  p = p * r + 1.0;
  // Split k = k1 + k2 with k1 = round(k / 2); each factor 2^ki is a normal double.
  const double k1 = (k * 0.5 + kShift) - kShift;
  const double k2 = k - k1;
  // Adding kShift + 1023 leaves ki + 1023 in the low mantissa bits (plus 2^51, which the shift by
  // 52 drops): the biased exponent of 2^ki.
  const double b1 = k1 + (kShift + 1023.0);
  const double b2 = k2 + (kShift + 1023.0);
  std::uint64_t u1, u2;
  std::memcpy(&u1, &b1, sizeof u1);
  std::memcpy(&u2, &b2, sizeof u2);
  u1 <<= 52;
  u2 <<= 52;
  double s1, s2;
  std::memcpy(&s1, &u1, sizeof s1);
  std::memcpy(&s2, &u2, sizeof s2);
  return (p * s1) * s2;
}

}  // namespace proximal::kernels
