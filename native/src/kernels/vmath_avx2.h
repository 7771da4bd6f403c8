// AVX2 + FMA math on 4 doubles and AVX-512 math on 8 doubles for the hand-written x86 paths (plain
// C++17 with intrinsics, no N-API).
//
// Everything here is PROXIMAL_TARGET_AVX2_INLINE / PROXIMAL_TARGET_AVX512_INLINE: it is only compiled
// into functions that carry the same target attribute and that callers reach after
// cpu_has_avx2_fma() / cpu_has_avx512f() returned true.
#pragma once

#include "kernels/target.h"

#if PROXIMAL_X86_DISPATCH

// GCC 12's AVX-512 intrinsics build their "undefined" pass-through operands as `__m512d __Y = __Y;`,
// which -Wuninitialized reports wherever they are inlined; the state at the header's lines decides.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <immintrin.h>
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

#include "kernels/vmath.h"

namespace proximal::kernels::avx2 {

/// Largest |x| for which exp4's fast path is used: e^x and e^-x are then normal doubles and
/// k = round(x / ln2) lies in [-1021, 1021], so 2^k is one exponent-bit pattern.
constexpr double kExpFastMax = 708.0;

/// e^x for 4 doubles, the same method as exp_f64 (Cody-Waite reduction x = k ln2 + r, the degree-12
/// Taylor polynomial of e^r, scaling by 2^k through exponent bits) with the products fused (FMA):
/// within ~1 ulp of the correctly rounded value, a few ulp from exp_f64 at most.
/// Lanes with |x| > kExpFastMax (or NaN) take exp_f64 itself (two-factor scaling: subnormal
/// results, +0 below ~-745.13, +inf above ~709.78, NaN for NaN); that path is rare and slow.
PROXIMAL_TARGET_AVX2_INLINE __m256d exp4(__m256d x) {
  const __m256d shift = _mm256_set1_pd(6755399441055744.0);  // 1.5 * 2^52
  const __m256d t = _mm256_fmadd_pd(x, _mm256_set1_pd(1.4426950408889634), shift);
  const __m256d k = _mm256_sub_pd(t, shift);  // round(x / ln2)
  __m256d r = _mm256_fnmadd_pd(k, _mm256_set1_pd(6.93147180369123816490e-01), x);  // exact (ln2_hi has trailing zeros)
  r = _mm256_fnmadd_pd(k, _mm256_set1_pd(1.90821492927058770002e-10), r);
  __m256d p = _mm256_set1_pd(1.0 / 479001600.0);  // 1/12!
  p = _mm256_fmadd_pd(p, r, _mm256_set1_pd(1.0 / 39916800.0));
  p = _mm256_fmadd_pd(p, r, _mm256_set1_pd(1.0 / 3628800.0));
  p = _mm256_fmadd_pd(p, r, _mm256_set1_pd(1.0 / 362880.0));
  p = _mm256_fmadd_pd(p, r, _mm256_set1_pd(1.0 / 40320.0));
  p = _mm256_fmadd_pd(p, r, _mm256_set1_pd(1.0 / 5040.0));
  p = _mm256_fmadd_pd(p, r, _mm256_set1_pd(1.0 / 720.0));
  p = _mm256_fmadd_pd(p, r, _mm256_set1_pd(1.0 / 120.0));
  p = _mm256_fmadd_pd(p, r, _mm256_set1_pd(1.0 / 24.0));
  p = _mm256_fmadd_pd(p, r, _mm256_set1_pd(1.0 / 6.0));
  p = _mm256_fmadd_pd(p, r, _mm256_set1_pd(0.5));
  p = _mm256_fmadd_pd(p, r, _mm256_set1_pd(1.0));
  p = _mm256_fmadd_pd(p, r, _mm256_set1_pd(1.0));
  // t = 1.5 * 2^52 + k holds k in its low mantissa bits (two's complement for k < 0).
  const __m256i kbits = _mm256_sub_epi64(_mm256_castpd_si256(t), _mm256_castpd_si256(shift));
  const __m256i e = _mm256_slli_epi64(_mm256_add_epi64(kbits, _mm256_set1_epi64x(1023)), 52);
  __m256d y = _mm256_mul_pd(p, _mm256_castsi256_pd(e));
  // |x| > kExpFastMax or NaN: those lanes from exp_f64.
  const __m256d ax = _mm256_andnot_pd(_mm256_set1_pd(-0.0), x);
  const __m256d slow = _mm256_cmp_pd(ax, _mm256_set1_pd(kExpFastMax), _CMP_NLE_UQ);
  if (__builtin_expect(_mm256_movemask_pd(slow) != 0, 0)) {
    alignas(32) double xs[4], ys[4];
    _mm256_store_pd(xs, x);
    for (int j = 0; j < 4; ++j) ys[j] = exp_f64(xs[j], kExpLo, kExpHi);
    y = _mm256_blendv_pd(y, _mm256_load_pd(ys), slow);
  }
  return y;
}

}  // namespace proximal::kernels::avx2

namespace proximal::kernels::avx512 {

/// e^x for 8 doubles: exp_f64's reduction and polynomial with fused multiply-adds, and 2^k applied
/// by VSCALEFPD, which rounds once into the subnormal range and overflows to +inf as exp_f64's
/// two-factor scaling does, so no lane needs a slow path: x is clamped to [kExpLo, kExpHi] (NaN
/// passes: MAXPD/MINPD return their second operand when one is NaN), +0 below ~-745.13, +inf above
/// ~709.78, NaN for NaN; within ~1 ulp elsewhere.
PROXIMAL_TARGET_AVX512_INLINE __m512d exp8(__m512d x) {
  x = _mm512_max_pd(_mm512_set1_pd(kExpLo), x);
  x = _mm512_min_pd(_mm512_set1_pd(kExpHi), x);
  const __m512d shift = _mm512_set1_pd(6755399441055744.0);  // 1.5 * 2^52
  const __m512d k = _mm512_sub_pd(_mm512_fmadd_pd(x, _mm512_set1_pd(1.4426950408889634), shift), shift);
  __m512d r = _mm512_fnmadd_pd(k, _mm512_set1_pd(6.93147180369123816490e-01), x);
  r = _mm512_fnmadd_pd(k, _mm512_set1_pd(1.90821492927058770002e-10), r);
  __m512d p = _mm512_set1_pd(1.0 / 479001600.0);  // 1/12!
  p = _mm512_fmadd_pd(p, r, _mm512_set1_pd(1.0 / 39916800.0));
  p = _mm512_fmadd_pd(p, r, _mm512_set1_pd(1.0 / 3628800.0));
  p = _mm512_fmadd_pd(p, r, _mm512_set1_pd(1.0 / 362880.0));
  p = _mm512_fmadd_pd(p, r, _mm512_set1_pd(1.0 / 40320.0));
  p = _mm512_fmadd_pd(p, r, _mm512_set1_pd(1.0 / 5040.0));
  p = _mm512_fmadd_pd(p, r, _mm512_set1_pd(1.0 / 720.0));
  p = _mm512_fmadd_pd(p, r, _mm512_set1_pd(1.0 / 120.0));
  p = _mm512_fmadd_pd(p, r, _mm512_set1_pd(1.0 / 24.0));
  p = _mm512_fmadd_pd(p, r, _mm512_set1_pd(1.0 / 6.0));
  p = _mm512_fmadd_pd(p, r, _mm512_set1_pd(0.5));
  p = _mm512_fmadd_pd(p, r, _mm512_set1_pd(1.0));
  p = _mm512_fmadd_pd(p, r, _mm512_set1_pd(1.0));
  return _mm512_scalef_pd(p, k);
}

}  // namespace proximal::kernels::avx512

#endif  // PROXIMAL_X86_DISPATCH
