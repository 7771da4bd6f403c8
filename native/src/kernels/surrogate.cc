#include "kernels/surrogate.h"

#include <cmath>
#include <cstring>
#include <vector>

#include "kernels/reduce.h"
#include "kernels/target.h"
#include "kernels/vmath.h"
#include "kernels/vmath_avx2.h"

namespace proximal::kernels {
namespace {

constexpr std::size_t L = kReduceLanes;

// ---------------------------------------------------------------------------------------------
// Advantage statistics (normalization pass). Each chunk of kReduceChunk elements (64 KiB of
// advantages, cache-resident) is swept twice: count and sum, then the sum of squared deviations
// from the chunk's own mean; the chunks' (count, mean, M2) are then merged in chunk order (Chan,
// Golub & LeVeque 1979), so memory is read once and the result does not depend on the thread count.

struct CountSum {
  double count = 0;
  double sum = 0;
};

// Masks are widened to doubles one block at a time before the arithmetic loops read them: GCC does
// not if-convert (so does not vectorize) a double loop whose selects test byte-sized loads.
constexpr std::size_t kMaskBlock = 512;  // also the value loss's buffer block

PROXIMAL_ALWAYS_INLINE void widen_mask(const std::uint8_t* PROXIMAL_RESTRICT mask, std::size_t n,
                                       double* PROXIMAL_RESTRICT out) {
  for (std::size_t k = 0; k < n; ++k) out[k] = static_cast<double>(mask[k]);
}

/// The fused pass's form of a mask block: all-ones bits where mask != 0, else all-zeros.
PROXIMAL_ALWAYS_INLINE void widen_mask_bits(const std::uint8_t* PROXIMAL_RESTRICT mask, std::size_t n,
                                            std::uint64_t* PROXIMAL_RESTRICT out) {
  for (std::size_t k = 0; k < n; ++k) out[k] = std::uint64_t{0} - static_cast<std::uint64_t>(mask[k] != 0);
}

/// x where keep is all-ones, +0.0 where it is all-zeros.
PROXIMAL_ALWAYS_INLINE double keep_bits(double x, std::uint64_t keep) {
  std::uint64_t u;
  std::memcpy(&u, &x, sizeof u);
  u &= keep;
  std::memcpy(&x, &u, sizeof x);
  return x;
}

template <bool kMask>
PROXIMAL_ALWAYS_INLINE void count_sum_block(const float* PROXIMAL_RESTRICT a, const double* PROXIMAL_RESTRICT flags,
                                            std::size_t bn, double (&cnt)[L], double (&sum)[L]) {
  std::size_t i = 0;
  for (; i + L <= bn; i += L) {
    for (std::size_t j = 0; j < L; ++j) {
      const bool m = !kMask || flags[i + j] != 0.0;
      cnt[j] += m ? 1.0 : 0.0;
      sum[j] += m ? static_cast<double>(a[i + j]) : 0.0;
    }
  }
  for (std::size_t j = 0; i + j < bn; ++j) {
    const bool m = !kMask || flags[i + j] != 0.0;
    cnt[j] += m ? 1.0 : 0.0;
    sum[j] += m ? static_cast<double>(a[i + j]) : 0.0;
  }
}

template <bool kMask>
PROXIMAL_ALWAYS_INLINE void sq_dev_block(const float* PROXIMAL_RESTRICT a, const double* PROXIMAL_RESTRICT flags,
                                         std::size_t bn, double mean, double (&ss)[L]) {
  std::size_t i = 0;
  for (; i + L <= bn; i += L) {
    for (std::size_t j = 0; j < L; ++j) {
      const bool m = !kMask || flags[i + j] != 0.0;
      const double d = static_cast<double>(a[i + j]) - mean;
      ss[j] += m ? d * d : 0.0;
    }
  }
  for (std::size_t j = 0; i + j < bn; ++j) {
    const bool m = !kMask || flags[i + j] != 0.0;
    const double d = static_cast<double>(a[i + j]) - mean;
    ss[j] += m ? d * d : 0.0;
  }
}

template <bool kMask>
PROXIMAL_ALWAYS_INLINE void count_sum_impl(const float* adv, const std::uint8_t* mask, std::size_t n, CountSum& out) {
  double cnt[L] = {}, sum[L] = {};
  double flags[kMaskBlock];
  const std::size_t block = kMask ? kMaskBlock : n;
  for (std::size_t b = 0; b < n; b += block) {
    const std::size_t bn = n - b < block ? n - b : block;
    if (kMask) widen_mask(mask + b, bn, flags);
    count_sum_block<kMask>(adv + b, flags, bn, cnt, sum);
  }
  out.count = sum_lanes(cnt);
  out.sum = sum_lanes(sum);
}

template <bool kMask>
PROXIMAL_ALWAYS_INLINE void sq_dev_impl(const float* adv, const std::uint8_t* mask, std::size_t n, double mean,
                                        double& out) {
  double ss[L] = {};
  double flags[kMaskBlock];
  const std::size_t block = kMask ? kMaskBlock : n;
  for (std::size_t b = 0; b < n; b += block) {
    const std::size_t bn = n - b < block ? n - b : block;
    if (kMask) widen_mask(mask + b, bn, flags);
    sq_dev_block<kMask>(adv + b, flags, bn, mean, ss);
  }
  out = sum_lanes(ss);
}

PROXIMAL_MULTIVERSION void count_sum_chunk(const float* adv, const std::uint8_t* mask, std::size_t n, CountSum& out) {
  if (mask != nullptr) {
    count_sum_impl<true>(adv, mask, n, out);
  } else {
    count_sum_impl<false>(adv, mask, n, out);
  }
}

PROXIMAL_MULTIVERSION void sq_dev_chunk(const float* adv, const std::uint8_t* mask, std::size_t n, double mean,
                                        double& out) {
  if (mask != nullptr) {
    sq_dev_impl<true>(adv, mask, n, mean, out);
  } else {
    sq_dev_impl<false>(adv, mask, n, mean, out);
  }
}

struct AdvStats {
  double count = 0;
  double mean = 0;
  double m2 = 0;  ///< sum of squared deviations from mean
};

void adv_stats_chunk_portable(const float* adv, const std::uint8_t* mask, std::size_t n, AdvStats& out) {
  CountSum cs;
  count_sum_chunk(adv, mask, n, cs);
  out.count = cs.count;
  if (cs.count == 0.0) return;
  out.mean = cs.sum / cs.count;
  sq_dev_chunk(adv, mask, n, out.mean, out.m2);
}

#if PROXIMAL_X86_DISPATCH
PROXIMAL_TARGET_AVX2_INLINE __m256d drop_lanes(const std::uint8_t* mask);
PROXIMAL_TARGET_AVX2_INLINE double sum4(__m256d v);

/// adv_stats_chunk with AVX2 + FMA: 16 elements per step into 4 independent 4-lane accumulators
/// (the portable loop is bound by the latency of its accumulator chains), then the remainder
/// element by element.
template <bool kMask>
PROXIMAL_TARGET_AVX2 void adv_stats_chunk_avx2(const float* adv, const std::uint8_t* mask, std::size_t n,
                                               AdvStats& out) {
  constexpr std::size_t kStep = 16;
  const std::size_t bulk = n - n % kStep;
  const __m256d one = _mm256_set1_pd(1.0);
  __m256d cnt[4], sum[4];
  for (int v = 0; v < 4; ++v) cnt[v] = sum[v] = _mm256_setzero_pd();
  for (std::size_t i = 0; i < bulk; i += kStep) {
    for (int v = 0; v < 4; ++v) {
      __m256d a = _mm256_cvtps_pd(_mm_loadu_ps(adv + i + 4 * v));
      if (kMask) {
        const __m256d drop = drop_lanes(mask + i + 4 * v);
        a = _mm256_andnot_pd(drop, a);
        cnt[v] = _mm256_add_pd(cnt[v], _mm256_andnot_pd(drop, one));
      }
      sum[v] = _mm256_add_pd(sum[v], a);
    }
  }
  double count = kMask ? sum4(_mm256_add_pd(_mm256_add_pd(cnt[0], cnt[1]), _mm256_add_pd(cnt[2], cnt[3])))
                       : static_cast<double>(bulk);
  double total = sum4(_mm256_add_pd(_mm256_add_pd(sum[0], sum[1]), _mm256_add_pd(sum[2], sum[3])));
  for (std::size_t i = bulk; i < n; ++i) {
    if (kMask && mask[i] == 0) continue;
    count += 1.0;
    total += static_cast<double>(adv[i]);
  }
  out.count = count;
  if (count == 0.0) return;
  const double mean = total / count;
  out.mean = mean;
  const __m256d m = _mm256_set1_pd(mean);
  __m256d ss[4];
  for (int v = 0; v < 4; ++v) ss[v] = _mm256_setzero_pd();
  for (std::size_t i = 0; i < bulk; i += kStep) {
    for (int v = 0; v < 4; ++v) {
      __m256d d = _mm256_sub_pd(_mm256_cvtps_pd(_mm_loadu_ps(adv + i + 4 * v)), m);
      if (kMask) d = _mm256_andnot_pd(drop_lanes(mask + i + 4 * v), d);
      ss[v] = _mm256_fmadd_pd(d, d, ss[v]);
    }
  }
  double m2 = sum4(_mm256_add_pd(_mm256_add_pd(ss[0], ss[1]), _mm256_add_pd(ss[2], ss[3])));
  for (std::size_t i = bulk; i < n; ++i) {
    if (kMask && mask[i] == 0) continue;
    const double d = static_cast<double>(adv[i]) - mean;
    m2 += d * d;
  }
  out.m2 = m2;
}
#endif

void adv_stats_chunk(const float* adv, const std::uint8_t* mask, std::size_t n, AdvStats& out, KernelPath path) {
#if PROXIMAL_X86_DISPATCH
  if (path != KernelPath::kPortable && cpu_has_avx2_fma()) {
    if (mask != nullptr) {
      adv_stats_chunk_avx2<true>(adv, mask, n, out);
    } else {
      adv_stats_chunk_avx2<false>(adv, mask, n, out);
    }
    return;
  }
#else
  (void)path;
#endif
  adv_stats_chunk_portable(adv, mask, n, out);
}

/// Chan et al.'s pairwise update: `a` becomes the statistics of a's elements followed by b's.
void merge_stats(AdvStats& a, const AdvStats& b) {
  if (b.count == 0.0) return;
  if (a.count == 0.0) {
    a = b;
    return;
  }
  const double count = a.count + b.count;
  const double delta = b.mean - a.mean;
  a.mean += delta * (b.count / count);
  a.m2 += b.m2 + delta * delta * (a.count * b.count / count);
  a.count = count;
}

/// Number of nonzero bytes (the masked count when no normalization needs the advantages).
PROXIMAL_MULTIVERSION std::size_t count_nonzero_chunk(const std::uint8_t* mask, std::size_t n) {
  std::size_t k = 0;
  for (std::size_t i = 0; i < n; ++i) k += mask[i] != 0 ? 1 : 0;
  return k;
}

// ---------------------------------------------------------------------------------------------
// The fused pass.

struct SurrogateCoeffs {
  double exp_lo;     // kExpLo, kExpHi (see exp_f64)
  double exp_hi;
  double adv_mean;   // 0 without normalization
  double adv_scale;  // 1 without normalization
  double low;        // 1 - eps
  double high;       // 1 + eps_high
  double dual;       // c, used only when kDual
  double inv;        // 1 / count
};

struct SurrogatePartial {
  double obj = 0, clipped = 0, k3 = 0, k1 = 0, ratio = 0;
};

struct SurrogateLanes {
  double obj[L] = {}, clipped[L] = {}, k3[L] = {}, k1[L] = {}, ratio[L] = {};
};

// One element; the same selects and operation order as clippedSurrogateReference.
template <bool kMask, bool kDual>
PROXIMAL_ALWAYS_INLINE void surrogate_element(float lp, float olp, float a, std::uint64_t keep, const SurrogateCoeffs& c,
                                              float& grad_out, SurrogateLanes& acc, std::size_t j) {
  const double log_ratio = static_cast<double>(lp) - static_cast<double>(olp);
  const double ratio = exp_f64(log_ratio, c.exp_lo, c.exp_hi);
  const double adv = (static_cast<double>(a) - c.adv_mean) * c.adv_scale;
  const double unclipped = ratio * adv;
  const double clipped_ratio = ratio < c.low ? c.low : (c.high < ratio ? c.high : ratio);
  const double clipped_obj = clipped_ratio * adv;
  const bool take_unclipped = unclipped <= clipped_obj;
  double obj = take_unclipped ? unclipped : clipped_obj;
  // Bitwise | and & (not || and &&): no short-circuit branches, so the loop if-converts.
  double grad = (take_unclipped | (clipped_ratio == ratio)) ? unclipped : 0.0;
  if (kDual) {
    const double floor = c.dual * adv;
    const bool dual_clipped = (adv < 0.0) & (obj < floor);
    obj = dual_clipped ? floor : obj;
    grad = dual_clipped ? 0.0 : grad;
  }
  const double out_of_range = ((ratio < c.low) | (ratio > c.high)) ? 1.0 : 0.0;
  const double g = (0.0 - grad) * c.inv;  // +0 on clipped branches
  if (kMask) {
    // Masked-out elements contribute +0 (even when their inputs are NaN or infinite): AND with
    // all-ones / all-zeros bits rather than a select on the flag, which GCC would turn into a
    // branch around the whole element (and then not vectorize the loop).
    grad_out = static_cast<float>(keep_bits(g, keep));
    acc.obj[j] += keep_bits(obj, keep);
    acc.clipped[j] += keep_bits(out_of_range, keep);
    acc.k3[j] += keep_bits((ratio - 1.0) - log_ratio, keep);
    acc.k1[j] += keep_bits(-log_ratio, keep);
    acc.ratio[j] += keep_bits(ratio, keep);
  } else {
    grad_out = static_cast<float>(g);
    acc.obj[j] += obj;
    acc.clipped[j] += out_of_range;
    acc.k3[j] += (ratio - 1.0) - log_ratio;
    acc.k1[j] += -log_ratio;
    acc.ratio[j] += ratio;
  }
}

template <bool kMask, bool kDual>
PROXIMAL_ALWAYS_INLINE void surrogate_block(const float* PROXIMAL_RESTRICT lp, const float* PROXIMAL_RESTRICT olp,
                                            const float* PROXIMAL_RESTRICT adv, const std::uint64_t* PROXIMAL_RESTRICT keep,
                                            float* PROXIMAL_RESTRICT grad, std::size_t n, const SurrogateCoeffs& c,
                                            SurrogateLanes& acc) {
  std::size_t i = 0;
  for (; i + L <= n; i += L) {
    for (std::size_t j = 0; j < L; ++j) {
      surrogate_element<kMask, kDual>(lp[i + j], olp[i + j], adv[i + j], kMask ? keep[i + j] : ~std::uint64_t{0}, c, grad[i + j],
                                      acc, j);
    }
  }
  for (std::size_t j = 0; i + j < n; ++j) {
    surrogate_element<kMask, kDual>(lp[i + j], olp[i + j], adv[i + j], kMask ? keep[i + j] : ~std::uint64_t{0}, c, grad[i + j], acc,
                                    j);
  }
}

template <bool kMask, bool kDual>
PROXIMAL_ALWAYS_INLINE void surrogate_chunk_impl(const float* lp, const float* olp, const float* adv,
                                                 const std::uint8_t* mask, float* grad, std::size_t n,
                                                 const SurrogateCoeffs& c, SurrogatePartial& out) {
  SurrogateLanes acc;
  std::uint64_t keep[kMaskBlock];
  const std::size_t block = kMask ? kMaskBlock : n;
  for (std::size_t b = 0; b < n; b += block) {
    const std::size_t bn = n - b < block ? n - b : block;
    if (kMask) widen_mask_bits(mask + b, bn, keep);
    surrogate_block<kMask, kDual>(lp + b, olp + b, adv + b, keep, grad + b, bn, c, acc);
  }
  out.obj = sum_lanes(acc.obj);
  out.clipped = sum_lanes(acc.clipped);
  out.k3 = sum_lanes(acc.k3);
  out.k1 = sum_lanes(acc.k1);
  out.ratio = sum_lanes(acc.ratio);
}

// The portable copy (autovectorized, with an AVX2 clone; CPUs with AVX2 + FMA run surrogate_chunk_avx2 or
// surrogate_chunk_avx512 instead).
#define PROXIMAL_SURROGATE_CHUNK(NAME, MASK, DUAL)                                                                   \
  PROXIMAL_MULTIVERSION void NAME(const float* lp, const float* olp, const float* adv, const std::uint8_t* mask,     \
                                  float* grad, std::size_t n, const SurrogateCoeffs& c, SurrogatePartial& out) { \
    surrogate_chunk_impl<MASK, DUAL>(lp, olp, adv, mask, grad, n, c, out);                                           \
  }
PROXIMAL_SURROGATE_CHUNK(surrogate_chunk_plain, false, false)
PROXIMAL_SURROGATE_CHUNK(surrogate_chunk_mask, true, false)
PROXIMAL_SURROGATE_CHUNK(surrogate_chunk_dual, false, true)
PROXIMAL_SURROGATE_CHUNK(surrogate_chunk_mask_dual, true, true)
#undef PROXIMAL_SURROGATE_CHUNK

#if PROXIMAL_X86_DISPATCH
// ---------------------------------------------------------------------------------------------
// The fused pass with AVX2 + FMA intrinsics: 4 elements per step, the same selects and operation
// order as surrogate_element, e^x from avx2::exp4 (fused multiply-adds), sums in 4 lane
// accumulators (element i of a chunk adds to lane i % 4). GCC does not vectorize surrogate_block's
// 8-lane loop well (register spills around the exp polynomial), hence this hand-written copy; it
// runs about twice as fast per element.

struct Avx2Lanes {
  __m256d obj, clipped, k3, k1, ratio;
};

struct Avx2Coeffs {
  __m256d adv_mean, adv_scale, low, high, dual, inv, one;
};

/// Sum of 4 lanes in a fixed order: (l0 + l2) + (l1 + l3).
PROXIMAL_TARGET_AVX2_INLINE double sum4(__m256d v) {
  const __m128d lo = _mm256_castpd256_pd128(v), hi = _mm256_extractf128_pd(v, 1);
  const __m128d s = _mm_add_pd(lo, hi);  // (l0 + l2, l1 + l3)
  return _mm_cvtsd_f64(_mm_add_sd(s, _mm_unpackhi_pd(s, s)));
}

/// 4 mask bytes as 64-bit lanes: all-ones where the byte is 0 (element dropped), else zeros.
PROXIMAL_TARGET_AVX2_INLINE __m256d drop_lanes(const std::uint8_t* mask) {
  std::uint32_t m;
  std::memcpy(&m, mask, sizeof m);
  const __m256i wide = _mm256_cvtepu8_epi64(_mm_cvtsi32_si128(static_cast<int>(m)));
  return _mm256_castsi256_pd(_mm256_cmpeq_epi64(wide, _mm256_setzero_si256()));
}

/// One step of 4 elements. With kDrop, lanes whose `drop` bits are set contribute +0 to every sum
/// and get a +0 gradient (whatever their inputs, NaN and infinities included).
template <bool kDrop, bool kDual>
PROXIMAL_TARGET_AVX2_INLINE __m128 surrogate_step4(__m128 lp4, __m128 olp4, __m128 adv4, __m256d drop,
                                                   const Avx2Coeffs& c, Avx2Lanes& acc) {
  const __m256d log_ratio = _mm256_sub_pd(_mm256_cvtps_pd(lp4), _mm256_cvtps_pd(olp4));
  const __m256d ratio = avx2::exp4(log_ratio);
  const __m256d adv = _mm256_mul_pd(_mm256_sub_pd(_mm256_cvtps_pd(adv4), c.adv_mean), c.adv_scale);
  const __m256d unclipped = _mm256_mul_pd(ratio, adv);
  const __m256d below = _mm256_cmp_pd(ratio, c.low, _CMP_LT_OQ);
  const __m256d above = _mm256_cmp_pd(c.high, ratio, _CMP_LT_OQ);
  // ratio < low ? low : (high < ratio ? high : ratio)
  const __m256d clipped_ratio = _mm256_blendv_pd(_mm256_blendv_pd(ratio, c.high, above), c.low, below);
  const __m256d clipped_obj = _mm256_mul_pd(clipped_ratio, adv);
  const __m256d take_unclipped = _mm256_cmp_pd(unclipped, clipped_obj, _CMP_LE_OQ);
  __m256d obj = _mm256_blendv_pd(clipped_obj, unclipped, take_unclipped);
  const __m256d keep_grad = _mm256_or_pd(take_unclipped, _mm256_cmp_pd(clipped_ratio, ratio, _CMP_EQ_OQ));
  __m256d grad = _mm256_and_pd(keep_grad, unclipped);  // +0 on a clipped branch
  if (kDual) {
    const __m256d floor = _mm256_mul_pd(c.dual, adv);
    const __m256d dual_clipped = _mm256_and_pd(_mm256_cmp_pd(adv, _mm256_setzero_pd(), _CMP_LT_OQ),
                                               _mm256_cmp_pd(obj, floor, _CMP_LT_OQ));
    obj = _mm256_blendv_pd(obj, floor, dual_clipped);
    grad = _mm256_andnot_pd(dual_clipped, grad);
  }
  // ratio < low or ratio > high (above is high < ratio)
  const __m256d out_of_range = _mm256_and_pd(_mm256_or_pd(below, above), c.one);
  __m256d g = _mm256_mul_pd(_mm256_sub_pd(_mm256_setzero_pd(), grad), c.inv);  // +0 on clipped branches
  __m256d k3 = _mm256_sub_pd(_mm256_sub_pd(ratio, c.one), log_ratio);
  __m256d lr = log_ratio;
  __m256d r = ratio;
  __m256d oor = out_of_range;
  if (kDrop) {
    g = _mm256_andnot_pd(drop, g);
    obj = _mm256_andnot_pd(drop, obj);
    oor = _mm256_andnot_pd(drop, oor);
    k3 = _mm256_andnot_pd(drop, k3);
    lr = _mm256_andnot_pd(drop, lr);
    r = _mm256_andnot_pd(drop, r);
  }
  acc.obj = _mm256_add_pd(acc.obj, obj);
  acc.clipped = _mm256_add_pd(acc.clipped, oor);
  acc.k3 = _mm256_add_pd(acc.k3, k3);
  acc.k1 = _mm256_sub_pd(acc.k1, lr);  // k1 -= log_ratio
  acc.ratio = _mm256_add_pd(acc.ratio, r);
  return _mm256_cvtpd_ps(g);
}

template <bool kMask, bool kDual>
PROXIMAL_TARGET_AVX2 void surrogate_chunk_avx2(const float* lp, const float* olp, const float* adv,
                                               const std::uint8_t* mask, float* grad, std::size_t n,
                                               const SurrogateCoeffs& sc, SurrogatePartial& out) {
  Avx2Coeffs c;
  c.adv_mean = _mm256_set1_pd(sc.adv_mean);
  c.adv_scale = _mm256_set1_pd(sc.adv_scale);
  c.low = _mm256_set1_pd(sc.low);
  c.high = _mm256_set1_pd(sc.high);
  c.dual = _mm256_set1_pd(sc.dual);
  c.inv = _mm256_set1_pd(sc.inv);
  c.one = _mm256_set1_pd(1.0);
  Avx2Lanes acc;
  acc.obj = acc.clipped = acc.k3 = acc.k1 = acc.ratio = _mm256_setzero_pd();
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    const __m256d drop = kMask ? drop_lanes(mask + i) : _mm256_setzero_pd();
    const __m128 g = surrogate_step4<kMask, kDual>(_mm_loadu_ps(lp + i), _mm_loadu_ps(olp + i), _mm_loadu_ps(adv + i),
                                                   drop, c, acc);
    _mm_storeu_ps(grad + i, g);
  }
  if (i < n) {
    // The last 1-3 elements, padded to 4 with dropped lanes.
    alignas(16) float t_lp[4] = {0, 0, 0, 0}, t_olp[4] = {0, 0, 0, 0}, t_adv[4] = {0, 0, 0, 0}, t_g[4];
    std::uint8_t t_mask[4] = {0, 0, 0, 0};
    for (std::size_t j = 0; i + j < n; ++j) {
      t_lp[j] = lp[i + j];
      t_olp[j] = olp[i + j];
      t_adv[j] = adv[i + j];
      t_mask[j] = kMask ? mask[i + j] : 1;
    }
    const __m128 g = surrogate_step4<true, kDual>(_mm_load_ps(t_lp), _mm_load_ps(t_olp), _mm_load_ps(t_adv),
                                                  drop_lanes(t_mask), c, acc);
    _mm_store_ps(t_g, g);
    for (std::size_t j = 0; i + j < n; ++j) grad[i + j] = t_g[j];
  }
  out.obj = sum4(acc.obj);
  out.clipped = sum4(acc.clipped);
  out.k3 = sum4(acc.k3);
  out.k1 = sum4(acc.k1);
  out.ratio = sum4(acc.ratio);
}

// ---------------------------------------------------------------------------------------------
// The same step on 8 elements with AVX-512F: comparisons into mask registers, e^x from
// avx512::exp8 (no slow path), sums in 8 lane accumulators (element i of a chunk adds to lane
// i % 8, lanes added as ((l0 + l4) + (l2 + l6)) + ((l1 + l5) + (l3 + l7))).

struct Avx512Lanes {
  __m512d obj, clipped, k3, k1, ratio;
};

struct Avx512Coeffs {
  __m512d adv_mean, adv_scale, low, high, dual, inv, one;
};

PROXIMAL_TARGET_AVX512_INLINE double sum8(__m512d v) {
  return sum4(_mm256_add_pd(_mm512_castpd512_pd256(v), _mm512_extractf64x4_pd(v, 1)));
}

/// 8 mask bytes as a lane mask: set where the byte is nonzero (element kept).
PROXIMAL_TARGET_AVX512_INLINE __mmask8 keep_lanes(const std::uint8_t* mask) {
  std::uint64_t m;
  std::memcpy(&m, mask, sizeof m);
  const __m512i wide = _mm512_cvtepu8_epi64(_mm_cvtsi64_si128(static_cast<long long>(m)));
  return _mm512_test_epi64_mask(wide, wide);
}

/// As surrogate_step4, for 8 elements; with kDrop, lanes outside `keep` contribute +0.
template <bool kDrop, bool kDual>
PROXIMAL_TARGET_AVX512_INLINE __m256 surrogate_step8(__m256 lp8, __m256 olp8, __m256 adv8, __mmask8 keep,
                                                     const Avx512Coeffs& c, Avx512Lanes& acc) {
  const __m512d log_ratio = _mm512_sub_pd(_mm512_cvtps_pd(lp8), _mm512_cvtps_pd(olp8));
  const __m512d ratio = avx512::exp8(log_ratio);
  const __m512d adv = _mm512_mul_pd(_mm512_sub_pd(_mm512_cvtps_pd(adv8), c.adv_mean), c.adv_scale);
  const __m512d unclipped = _mm512_mul_pd(ratio, adv);
  const __mmask8 below = _mm512_cmp_pd_mask(ratio, c.low, _CMP_LT_OQ);
  const __mmask8 above = _mm512_cmp_pd_mask(c.high, ratio, _CMP_LT_OQ);
  // ratio < low ? low : (high < ratio ? high : ratio)   (_mm512_mask_blend_pd(k, a, b) = k ? b : a)
  const __m512d clipped_ratio = _mm512_mask_blend_pd(below, _mm512_mask_blend_pd(above, ratio, c.high), c.low);
  const __m512d clipped_obj = _mm512_mul_pd(clipped_ratio, adv);
  const __mmask8 take_unclipped = _mm512_cmp_pd_mask(unclipped, clipped_obj, _CMP_LE_OQ);
  __m512d obj = _mm512_mask_blend_pd(take_unclipped, clipped_obj, unclipped);
  const __mmask8 keep_grad = take_unclipped | _mm512_cmp_pd_mask(clipped_ratio, ratio, _CMP_EQ_OQ);
  __m512d grad = _mm512_maskz_mov_pd(keep_grad, unclipped);  // +0 on a clipped branch
  if (kDual) {
    const __m512d floor = _mm512_mul_pd(c.dual, adv);
    const __mmask8 dual_clipped =
        _mm512_cmp_pd_mask(adv, _mm512_setzero_pd(), _CMP_LT_OQ) & _mm512_cmp_pd_mask(obj, floor, _CMP_LT_OQ);
    obj = _mm512_mask_blend_pd(dual_clipped, obj, floor);
    grad = _mm512_maskz_mov_pd(static_cast<__mmask8>(~dual_clipped), grad);
  }
  const __m512d out_of_range = _mm512_maskz_mov_pd(below | above, c.one);
  __m512d g = _mm512_mul_pd(_mm512_sub_pd(_mm512_setzero_pd(), grad), c.inv);  // +0 on clipped branches
  __m512d k3 = _mm512_sub_pd(_mm512_sub_pd(ratio, c.one), log_ratio);
  __m512d lr = log_ratio;
  __m512d r = ratio;
  __m512d oor = out_of_range;
  if (kDrop) {
    g = _mm512_maskz_mov_pd(keep, g);
    obj = _mm512_maskz_mov_pd(keep, obj);
    oor = _mm512_maskz_mov_pd(keep, oor);
    k3 = _mm512_maskz_mov_pd(keep, k3);
    lr = _mm512_maskz_mov_pd(keep, lr);
    r = _mm512_maskz_mov_pd(keep, r);
  }
  acc.obj = _mm512_add_pd(acc.obj, obj);
  acc.clipped = _mm512_add_pd(acc.clipped, oor);
  acc.k3 = _mm512_add_pd(acc.k3, k3);
  acc.k1 = _mm512_sub_pd(acc.k1, lr);  // k1 -= log_ratio
  acc.ratio = _mm512_add_pd(acc.ratio, r);
  return _mm512_cvtpd_ps(g);
}

template <bool kMask, bool kDual>
PROXIMAL_TARGET_AVX512 void surrogate_chunk_avx512(const float* lp, const float* olp, const float* adv,
                                                   const std::uint8_t* mask, float* grad, std::size_t n,
                                                   const SurrogateCoeffs& sc, SurrogatePartial& out) {
  Avx512Coeffs c;
  c.adv_mean = _mm512_set1_pd(sc.adv_mean);
  c.adv_scale = _mm512_set1_pd(sc.adv_scale);
  c.low = _mm512_set1_pd(sc.low);
  c.high = _mm512_set1_pd(sc.high);
  c.dual = _mm512_set1_pd(sc.dual);
  c.inv = _mm512_set1_pd(sc.inv);
  c.one = _mm512_set1_pd(1.0);
  Avx512Lanes acc;
  acc.obj = acc.clipped = acc.k3 = acc.k1 = acc.ratio = _mm512_setzero_pd();
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    const __mmask8 keep = kMask ? keep_lanes(mask + i) : static_cast<__mmask8>(0xff);
    const __m256 g = surrogate_step8<kMask, kDual>(_mm256_loadu_ps(lp + i), _mm256_loadu_ps(olp + i),
                                                   _mm256_loadu_ps(adv + i), keep, c, acc);
    _mm256_storeu_ps(grad + i, g);
  }
  if (i < n) {
    // The last 1-7 elements, padded to 8 with dropped lanes.
    alignas(32) float t_lp[8] = {}, t_olp[8] = {}, t_adv[8] = {}, t_g[8];
    std::uint8_t t_mask[8] = {};
    for (std::size_t j = 0; i + j < n; ++j) {
      t_lp[j] = lp[i + j];
      t_olp[j] = olp[i + j];
      t_adv[j] = adv[i + j];
      t_mask[j] = kMask ? mask[i + j] : 1;
    }
    const __m256 g = surrogate_step8<true, kDual>(_mm256_load_ps(t_lp), _mm256_load_ps(t_olp), _mm256_load_ps(t_adv),
                                                  keep_lanes(t_mask), c, acc);
    _mm256_store_ps(t_g, g);
    for (std::size_t j = 0; i + j < n; ++j) grad[i + j] = t_g[j];
  }
  out.obj = sum8(acc.obj);
  out.clipped = sum8(acc.clipped);
  out.k3 = sum8(acc.k3);
  out.k1 = sum8(acc.k1);
  out.ratio = sum8(acc.ratio);
}
#endif  // PROXIMAL_X86_DISPATCH

// ---------------------------------------------------------------------------------------------
// Value loss.

struct ValuePartial {
  double loss = 0, clipped = 0;
};

// One element; the same selects and operation order as valueLossReference.
template <bool kClipped>
PROXIMAL_ALWAYS_INLINE void value_element(float v, float old, float ret, double eps, double inv, float& grad_out,
                                          double& loss_out, double& clipped_out) {
  const double vi = static_cast<double>(v);
  const double ri = static_cast<double>(ret);
  const double d = vi - ri;
  const double u = d * d;
  if (kClipped) {
    const double oi = static_cast<double>(old);
    const double dv = vi - oi;
    const bool below = dv < -eps;
    const bool above = dv > eps;
    const double dc = below ? -eps : dv;
    const double vc = oi + (above ? eps : dc);
    const double e = vc - ri;
    const double cl = e * e;
    const bool take_unclipped = u >= cl;
    // +0 on the clipped branch where V - old was clipped (AND with bits rather than a select on a
    // literal 0, which GCC turns into a branch; see keep_bits).
    const std::uint64_t inside = std::uint64_t{0} - static_cast<std::uint64_t>(!(below | above));
    const double g = take_unclipped ? 2.0 * d : keep_bits(2.0 * e, inside);
    grad_out = static_cast<float>(g * inv);
    loss_out = take_unclipped ? u : cl;
    clipped_out = keep_bits(1.0, ~inside);
  } else {
    grad_out = static_cast<float>((2.0 * d) * inv);
    loss_out = u;
    clipped_out = 0.0;
  }
}

// Per block: an elementwise loop into small buffers, then lane sums over them (a loop whose body
// both computes and accumulates into lanes did not vectorize for the clipped form).
template <bool kClipped>
PROXIMAL_ALWAYS_INLINE void value_chunk_impl(const float* PROXIMAL_RESTRICT v, const float* PROXIMAL_RESTRICT old,
                                             const float* PROXIMAL_RESTRICT ret, float* PROXIMAL_RESTRICT grad,
                                             std::size_t n, double eps, double inv, ValuePartial& out) {
  double loss[L] = {}, clipped[L] = {};
  double loss_buf[kMaskBlock], clipped_buf[kMaskBlock];
  for (std::size_t b = 0; b < n; b += kMaskBlock) {
    const std::size_t bn = n - b < kMaskBlock ? n - b : kMaskBlock;
    for (std::size_t k = 0; k < bn; ++k) {
      value_element<kClipped>(v[b + k], kClipped ? old[b + k] : 0.0f, ret[b + k], eps, inv, grad[b + k], loss_buf[k],
                              clipped_buf[k]);
    }
    std::size_t i = 0;
    for (; i + L <= bn; i += L) {
      for (std::size_t j = 0; j < L; ++j) {
        loss[j] += loss_buf[i + j];
        clipped[j] += clipped_buf[i + j];
      }
    }
    for (std::size_t j = 0; i + j < bn; ++j) {
      loss[j] += loss_buf[i + j];
      clipped[j] += clipped_buf[i + j];
    }
  }
  out.loss = sum_lanes(loss);
  out.clipped = sum_lanes(clipped);
}

PROXIMAL_MULTIVERSION void value_chunk_plain(const float* v, const float* old, const float* ret, float* grad,
                                             std::size_t n, double eps, double inv, ValuePartial& out) {
  value_chunk_impl<false>(v, old, ret, grad, n, eps, inv, out);
}

PROXIMAL_MULTIVERSION void value_chunk_clipped(const float* v, const float* old, const float* ret, float* grad,
                                               std::size_t n, double eps, double inv, ValuePartial& out) {
  value_chunk_impl<true>(v, old, ret, grad, n, eps, inv, out);
}


// ---------------------------------------------------------------------------------------------
// Sequence-level aggregation (seq-mean-token-sum / seq-mean-token-mean).

using SurrogateChunkFn = void (*)(const float*, const float*, const float*, const std::uint8_t*, float*, std::size_t,
                                  const SurrogateCoeffs&, SurrogatePartial&);

struct SeqPartial {
  double loss = 0, clipped = 0, k3 = 0, k1 = 0, ratio = 0;
};

/// The fused pass run one sequence at a time, each with its own gradient weight. Sequences are
/// grouped into fixed groups of about kReduceChunk elements (independent of the thread count, and
/// claimed by the threads one at a time); a group's partial adds its sequences in order and the
/// groups are added in order, so the result is the same for every thread count.
SurrogateResult clipped_surrogate_seq(const SurrogateInputs& in, float* grad, unsigned threads,
                                      const SurrogateCoeffs& c, SurrogateChunkFn chunk, double count) {
  SurrogateResult res;
  const std::size_t n = in.size;
  const std::size_t L = in.seq_len;
  const std::size_t num_seqs = n / L;
  const std::uint8_t* mask = in.mask;
  const std::size_t per_group = L >= kReduceChunk ? 1 : kReduceChunk / L;
  const std::size_t groups = (num_seqs + per_group - 1) / per_group;
  const unsigned parts = reduce_threads_used(n, threads);

  // Masked elements per sequence.
  std::vector<double> seq_count(num_seqs, static_cast<double>(L));
  if (mask != nullptr) {
    parallel_items(groups, parts, [&](std::size_t g) {
      const std::size_t s1 = (g + 1) * per_group < num_seqs ? (g + 1) * per_group : num_seqs;
      for (std::size_t s = g * per_group; s < s1; ++s) {
        const std::uint8_t* m = mask + s * L;
        std::size_t k = 0;
        for (std::size_t i = 0; i < L; ++i) k += m[i] != 0 ? 1 : 0;
        seq_count[s] = static_cast<double>(k);
      }
    });
  }
  double nonempty = 0;
  for (double k : seq_count) nonempty += k > 0 ? 1.0 : 0.0;
  const bool token_mean = in.aggregation == LossAggregation::kSeqMeanTokenMean;

  std::vector<SeqPartial> partials(groups);
  parallel_items(groups, parts, [&](std::size_t g) {
    SeqPartial& acc = partials[g];
    const std::size_t s0 = g * per_group;
    const std::size_t s1 = s0 + per_group < num_seqs ? s0 + per_group : num_seqs;
    for (std::size_t s = s0; s < s1; ++s) {
      const std::size_t b = s * L;
      if (seq_count[s] == 0.0) {
        for (std::size_t i = 0; i < L; ++i) grad[b + i] = 0.0f;
        continue;
      }
      // Same expressions as the TypeScript reference: 1 / S, or 1 / (S * n_s).
      SurrogateCoeffs cs = c;
      cs.inv = token_mean ? 1.0 / (nonempty * seq_count[s]) : 1.0 / nonempty;
      SurrogatePartial p;
      chunk(in.log_probs + b, in.old_log_probs + b, in.advantages + b, mask == nullptr ? nullptr : mask + b,
            grad + b, L, cs, p);
      acc.loss += p.obj * cs.inv;
      acc.clipped += p.clipped;
      acc.k3 += p.k3;
      acc.k1 += p.k1;
      acc.ratio += p.ratio;
    }
  });
  SeqPartial total;
  for (const SeqPartial& p : partials) {
    total.loss += p.loss;
    total.clipped += p.clipped;
    total.k3 += p.k3;
    total.k1 += p.k1;
    total.ratio += p.ratio;
  }
  const double inv = 1.0 / count;
  res.loss = -total.loss;
  res.clip_fraction = total.clipped * inv;
  res.approx_kl = total.k3 * inv;
  res.approx_kl_k1 = total.k1 * inv;
  res.ratio_mean = total.ratio * inv;
  res.count = static_cast<std::size_t>(count);
  return res;
}

}  // namespace

SurrogateResult clipped_surrogate(const SurrogateInputs& in, float* grad, unsigned threads, KernelPath path) {
  SurrogateResult res;
  const std::size_t n = in.size;
  const std::uint8_t* mask = in.mask;
  double count = static_cast<double>(n);
  double adv_mean = 0.0;
  double adv_scale = 1.0;
  if (in.normalize_advantages) {
    // One pass over memory: each chunk's count, mean and sum of squared deviations (its second sweep
    // reads the chunk from cache), merged in chunk order.
    const auto parts = chunked_partials<AdvStats>(n, threads, [&](std::size_t b, std::size_t e, AdvStats& p) {
      adv_stats_chunk(in.advantages + b, mask == nullptr ? nullptr : mask + b, e - b, p, path);
    });
    AdvStats total;
    for (const AdvStats& p : parts) merge_stats(total, p);
    count = total.count;
    adv_mean = total.mean;
    if (count > 0.0) {
      const double std_dev = count > 1 ? std::sqrt(total.m2 / (count - 1.0)) : 0.0;
      adv_scale = 1.0 / (std_dev + 1e-8);
    }
  } else if (mask != nullptr) {
    const auto parts = chunked_partials<std::size_t>(n, threads, [&](std::size_t b, std::size_t e, std::size_t& p) {
      p = count_nonzero_chunk(mask + b, e - b);
    });
    std::size_t k = 0;
    for (std::size_t p : parts) k += p;
    count = static_cast<double>(k);
  }
  if (count == 0.0) {
    for (std::size_t i = 0; i < n; ++i) grad[i] = 0.0f;
    return res;
  }
  SurrogateCoeffs c{};
  c.exp_lo = kExpLo;
  c.exp_hi = kExpHi;
  c.adv_mean = adv_mean;
  c.adv_scale = adv_scale;
  c.low = 1.0 - in.clip_range;
  c.high = 1.0 + in.clip_range_high;
  c.dual = in.dual_clip;
  c.inv = 1.0 / count;
  const bool dual = in.dual_clip > 0.0;
  SurrogateChunkFn chunk = mask != nullptr ? (dual ? surrogate_chunk_mask_dual : surrogate_chunk_mask)
                                           : (dual ? surrogate_chunk_dual : surrogate_chunk_plain);
#if PROXIMAL_X86_DISPATCH
  if (path == KernelPath::kAuto && cpu_has_avx512f()) {
    chunk = mask != nullptr ? (dual ? surrogate_chunk_avx512<true, true> : surrogate_chunk_avx512<true, false>)
                            : (dual ? surrogate_chunk_avx512<false, true> : surrogate_chunk_avx512<false, false>);
  } else if (path != KernelPath::kPortable && cpu_has_avx2_fma()) {
    chunk = mask != nullptr ? (dual ? surrogate_chunk_avx2<true, true> : surrogate_chunk_avx2<true, false>)
                            : (dual ? surrogate_chunk_avx2<false, true> : surrogate_chunk_avx2<false, false>);
  }
#else
  (void)path;
#endif
  if (in.aggregation != LossAggregation::kTokenMean) {
    return clipped_surrogate_seq(in, grad, threads, c, chunk, count);
  }
  const auto parts = chunked_partials<SurrogatePartial>(n, threads, [&](std::size_t b, std::size_t e,
                                                                        SurrogatePartial& p) {
    chunk(in.log_probs + b, in.old_log_probs + b, in.advantages + b, mask == nullptr ? nullptr : mask + b, grad + b,
          e - b, c, p);
  });
  SurrogatePartial total;
  for (const SurrogatePartial& p : parts) {
    total.obj += p.obj;
    total.clipped += p.clipped;
    total.k3 += p.k3;
    total.k1 += p.k1;
    total.ratio += p.ratio;
  }
  res.loss = -total.obj * c.inv;
  res.clip_fraction = total.clipped * c.inv;
  res.approx_kl = total.k3 * c.inv;
  res.approx_kl_k1 = total.k1 * c.inv;
  res.ratio_mean = total.ratio * c.inv;
  res.count = static_cast<std::size_t>(count);
  return res;
}

ValueLossResult value_loss(const ValueLossInputs& in, float* grad, unsigned threads) {
  ValueLossResult res;
  const std::size_t n = in.size;
  if (n == 0) return res;
  const double inv = 1.0 / static_cast<double>(n);
  const double eps = in.clip_range;
  const bool clipped = in.clipped;
  const auto parts = chunked_partials<ValuePartial>(n, threads, [&](std::size_t b, std::size_t e, ValuePartial& p) {
    if (clipped) {
      value_chunk_clipped(in.values + b, in.old_values + b, in.returns + b, grad + b, e - b, eps, inv, p);
    } else {
      value_chunk_plain(in.values + b, nullptr, in.returns + b, grad + b, e - b, eps, inv, p);
    }
  });
  ValuePartial total;
  for (const ValuePartial& p : parts) {
    total.loss += p.loss;
    total.clipped += p.clipped;
  }
  res.loss = total.loss * inv;
  res.clip_fraction = total.clipped * inv;
  return res;
}

}  // namespace proximal::kernels
