#include "kernels/surrogate.h"

#include <cmath>
#include <cstring>
#include <vector>

#include "kernels/reduce.h"
#include "kernels/target.h"
#include "kernels/vmath.h"

namespace proximal::kernels {
namespace {

constexpr std::size_t L = kReduceLanes;

// ---------------------------------------------------------------------------------------------
// Advantage statistics (normalization pass): count and sum, then the sum of squared deviations.

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
/// grouped into fixed groups of about kReduceChunk elements (independent of the thread count); a
/// group's partial adds its sequences in order and the groups are added in order, so the result is
/// the same for every thread count.
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
    parallel_ranges(groups, parts, 1, [&](std::size_t g0, std::size_t g1) {
      const std::size_t s1 = g1 * per_group < num_seqs ? g1 * per_group : num_seqs;
      for (std::size_t s = g0 * per_group; s < s1; ++s) {
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
  parallel_ranges(groups, parts, 1, [&](std::size_t g0, std::size_t g1) {
    for (std::size_t g = g0; g < g1; ++g) {
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

SurrogateResult clipped_surrogate(const SurrogateInputs& in, float* grad, unsigned threads) {
  SurrogateResult res;
  const std::size_t n = in.size;
  const std::uint8_t* mask = in.mask;
  double count = static_cast<double>(n);
  double adv_mean = 0.0;
  double adv_scale = 1.0;
  if (mask != nullptr || in.normalize_advantages) {
    const auto parts = chunked_partials<CountSum>(n, threads, [&](std::size_t b, std::size_t e, CountSum& p) {
      count_sum_chunk(in.advantages + b, mask == nullptr ? nullptr : mask + b, e - b, p);
    });
    count = 0.0;
    double sum = 0.0;
    for (const CountSum& p : parts) {
      count += p.count;
      sum += p.sum;
    }
    adv_mean = count > 0 ? sum / count : 0.0;
  }
  if (count == 0.0) {
    for (std::size_t i = 0; i < n; ++i) grad[i] = 0.0f;
    return res;
  }
  if (in.normalize_advantages) {
    const auto parts = chunked_partials<double>(n, threads, [&](std::size_t b, std::size_t e, double& p) {
      sq_dev_chunk(in.advantages + b, mask == nullptr ? nullptr : mask + b, e - b, adv_mean, p);
    });
    double ss = 0.0;
    for (double p : parts) ss += p;
    const double std_dev = count > 1 ? std::sqrt(ss / (count - 1.0)) : 0.0;
    adv_scale = 1.0 / (std_dev + 1e-8);
  } else {
    adv_mean = 0.0;
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
  const auto chunk = mask != nullptr ? (dual ? surrogate_chunk_mask_dual : surrogate_chunk_mask)
                                     : (dual ? surrogate_chunk_dual : surrogate_chunk_plain);
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
