// PPO's clipped surrogate objective and the clipped value loss, fused forward and backward, on
// the CPU. Plain C++17, no N-API.
//
// Clipped surrogate (Schulman et al. 2017, "Proximal Policy Optimization Algorithms", eq. 7; dual
// clip from Ye et al. 2020; advantage normalization as CleanRL/SB3: unbiased std, eps = 1e-8),
// over the elements with mask = 1 (all when there is no mask), count = their number:
//
//   A_i   = normalize ? (adv_i - mean) / (std + 1e-8) : adv_i
//   r_i   = exp(logp_i - oldlogp_i)
//   obj_i = min(r_i A_i, clip(r_i, 1 - eps, 1 + eps_high) A_i)
//           then, with dual clip c and A_i < 0: c A_i when obj_i < c A_i
//   loss  = -sum(obj_i) / count,   grad_i = d loss / d logp_i = -(r_i A_i) / count on the
//           unclipped branch, +0 on a clipped (or dual-clipped) one and where mask = 0
//   clip_fraction = #(r_i < 1 - eps or r_i > 1 + eps_high) / count
//   approx_kl (k3) = mean((r - 1) - log r), approx_kl_k1 = mean(-log r), ratio_mean = mean(r)
//
// This is exactly @proximal/core's clippedSurrogateReference (same selects and operation order,
// double arithmetic, gradient rounded to float32 on store); the sums are added in a different
// order (see kernels/reduce.h), the normalization's mean and variance come from per-chunk
// statistics merged in order, and e^x comes from exp_f64 (the portable copy) or its AVX2 + FMA
// version avx2::exp4, so results agree to ~1e-15 relative. With count = 0 every output is 0.
//
// Clipped value loss (PPO2 / SB3's clip_range_vf / CleanRL's clip_vloss, without CleanRL's 0.5):
//
//   unclipped:  loss = mean((V - R)^2),                   grad_i = 2 (V_i - R_i) / B
//   clipped:    Vc   = old + clip(V - old, -eps, eps)
//               loss = mean(max((V - R)^2, (Vc - R)^2)),  grad_i = 2 (V_i - R_i) / B where the
//               first term is the max (ties included), else 2 (Vc_i - R_i) / B where V - old lies
//               in [-eps, eps] and +0 where it was clipped
//   clip_fraction = #(|V - old| > eps) / B   (0 unclipped)
#pragma once

#include <cstddef>
#include <cstdint>

namespace proximal::kernels {

/// How the per-element objectives become one loss (verl's loss_agg_mode names). For the seq-* modes
/// the batch is B / seq_len row-major sequences of seq_len elements; n_s = masked elements of
/// sequence s, S = sequences with n_s >= 1 (the others are left out of the mean):
///   kTokenMean:        loss = -sum(obj) / count,                grad weight 1 / count
///   kSeqMeanTokenSum:  loss = -(1/S) sum_s sum_{i in s} obj_i,  grad weight 1 / S
///   kSeqMeanTokenMean: loss = -(1/S) sum_s (1/n_s) sum obj_i,   grad weight 1 / (S n_s)
/// clip_fraction / approx_kl / approx_kl_k1 / ratio_mean stay means over the masked elements.
enum class LossAggregation { kTokenMean, kSeqMeanTokenSum, kSeqMeanTokenMean };

struct SurrogateInputs {
  const float* log_probs = nullptr;      ///< log pi_theta(a|s), [B]
  const float* old_log_probs = nullptr;  ///< log pi_old(a|s), [B]
  const float* advantages = nullptr;     ///< A, [B]
  const std::uint8_t* mask = nullptr;    ///< 0/1, [B]; optional (null = all 1; values > 1 count as 1)
  std::size_t size = 0;                  ///< B
  double clip_range = 0.2;               ///< eps: the ratio is clipped to [1 - eps, 1 + eps_high]
  double clip_range_high = 0.2;          ///< eps_high (set it to clip_range for symmetric clipping)
  double dual_clip = 0.0;                ///< c > 1 enables dual clip; 0 disables it
  bool normalize_advantages = false;
  LossAggregation aggregation = LossAggregation::kTokenMean;
  std::size_t seq_len = 0;               ///< L for the seq-* modes: >= 1 and dividing B (checked by the binding)
};

struct SurrogateResult {
  double loss = 0;
  double clip_fraction = 0;
  double approx_kl = 0;     ///< k3
  double approx_kl_k1 = 0;  ///< k1
  double ratio_mean = 0;
  std::size_t count = 0;    ///< elements with mask = 1
};

/// Which copy of a kernel's hot loop runs. kAuto: the AVX-512 copy on x86-64 CPUs with AVX-512F,
/// else the AVX2 + FMA copy on CPUs with both (GCC/Clang builds), else the portable one; kAvx2
/// skips the AVX-512 copy and kPortable forces the portable one (tests and benchmarks).
enum class KernelPath { kAuto, kAvx2, kPortable };

/// Fused clipped surrogate. `grad_log_probs` [B] is written everywhere (+0 where masked).
/// Preconditions (checked by the binding): pointers valid for B elements, the output not
/// overlapping the inputs, seq_len valid for the seq-* aggregations. `threads` = 0 uses all
/// hardware threads (only for B >= 2^18). Sums are added in an order fixed by B (and seq_len), so
/// the results do not depend on the thread count (they may differ in the last bits between the
/// AVX-512, AVX2 and portable copies: fused multiply-adds in e^x, 8 or 4 lane accumulators).
///
/// Memory passes: one over the advantages (and mask) when normalizing (the count, mean and
/// unbiased variance come from per-chunk statistics merged in order) or over the mask alone when
/// only the masked count is needed, then the fused pass (reads logp, old logp, advantages, mask;
/// writes the gradient).
SurrogateResult clipped_surrogate(const SurrogateInputs& in, float* grad_log_probs, unsigned threads = 0,
                                  KernelPath path = KernelPath::kAuto);

struct ValueLossInputs {
  const float* values = nullptr;      ///< V, [B]
  const float* old_values = nullptr;  ///< V_old, [B]; needed when clipped
  const float* returns = nullptr;     ///< R, [B]
  std::size_t size = 0;               ///< B
  bool clipped = false;               ///< clip V - V_old to [-clip_range, clip_range]
  double clip_range = 0.0;
};

struct ValueLossResult {
  double loss = 0;
  double clip_fraction = 0;
};

/// Value loss; `grad_values` [B] is written everywhere. Preconditions as clipped_surrogate.
ValueLossResult value_loss(const ValueLossInputs& in, float* grad_values, unsigned threads = 0);

}  // namespace proximal::kernels
