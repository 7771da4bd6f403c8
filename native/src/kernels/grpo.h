// GRPO kernels on the CPU: group-relative advantages and the fused GRPO loss (forward and gradient
// with respect to the policy log-probs). Plain C++17, no N-API.
//
// Semantics (as @proximal/core's groupRelativeAdvantagesReference / grpoLossReference, which follow
// Hugging Face TRL's GRPOTrainer):
//
//   advantages: A_i = (r_i − mean of its group) / (std + 1e-4), std the sample std (Bessel) of the
//     group ('group') or of the whole batch ('batch'), or no division ('none'); groups are
//     consecutive blocks of G rewards.
//
//   loss, over a padded batch [B, L] with completion mask m (row-major, element (b, t) at b·L + t):
//     log w = logp − old per token ('token') or the masked mean of logp − old over the row
//             ('sequence', GSPO; the gradient flows through the mean)
//     coef1 = exp(log w), coef2 = clamp(coef1, 1 − ε, 1 + ε_high), coef1 ← min(coef1, δ) if δ set
//     ℓ = −min(coef1·A_b, coef2·A_b) + β·k3,  k3 = exp(ref − logp) − (ref − logp) − 1
//     loss = 'grpo': (1/B) Σ_b Σ_t m ℓ / max(1, n_b);  'bnpo'/'dapo': Σ m ℓ / max(1, Σ m);
//            'dr_grpo': Σ m ℓ / (B · max_completion_length)
//   The gradient is torch's autograd of that expression (clamp passes the gradient on its closed
//   interval, min splits it in half on a tie).
//
// Precision: float32 inputs, double arithmetic in the reference's order (per-row sums in token
// order, then rows in order), float32 gradient. Rows are split over threads; the row sums are
// combined in row order, so results do not depend on the thread count. Masked positions are never
// read, so NaN padding does not leak.
#pragma once

#include <cstddef>
#include <cstdint>

namespace proximal::kernels {

enum class RewardScaling { kGroup, kBatch, kNone };

struct GroupAdvantagesOutputs {
  float* advantages = nullptr;  ///< [B]
  float* group_mean = nullptr;  ///< [B / G]
  float* group_std = nullptr;   ///< [B / G]
  double batch_std = 0;
  double frac_zero_std = 0;
};

/// Preconditions (checked by the binding): G ≥ 2, n a positive multiple of G, outputs not aliasing.
void group_relative_advantages(const float* rewards, std::size_t n, std::size_t group_size, RewardScaling scaling,
                               GroupAdvantagesOutputs& out);

enum class GrpoLossType { kGrpo, kBnpo, kDrGrpo, kDapo };

struct GrpoLossInputs {
  const float* log_probs = nullptr;      ///< [B, L]
  const float* old_log_probs = nullptr;  ///< [B, L]; null = log_probs (ratio 1)
  const float* ref_log_probs = nullptr;  ///< [B, L]; null = no KL (requires beta = 0)
  const float* advantages = nullptr;     ///< [B]
  const std::uint8_t* mask = nullptr;    ///< [B, L], 0/1
  std::size_t num_sequences = 0;         ///< B
  std::size_t seq_len = 0;               ///< L
  GrpoLossType loss_type = GrpoLossType::kGrpo;
  bool sequence_level = false;
  double epsilon = 0.2;
  double epsilon_high = 0.2;
  bool has_delta = false;
  double delta = 0;
  double beta = 0;
  std::size_t max_completion_length = 0;  ///< used by dr_grpo (≥ 1 there)
};

struct GrpoLossResult {
  double loss = 0;
  double mean_kl = 0;  ///< meaningful only when ref_log_probs is set
  double clip_low = 0;
  double clip_high = 0;
  double clip_region = 0;
};

/// Rows at or above this many elements (B · L) are split over threads.
constexpr std::size_t kGrpoParallelThreshold = std::size_t{1} << 16;

/// Fills grad [B, L] (0 at masked positions) and returns the loss and statistics.
GrpoLossResult grpo_loss(const GrpoLossInputs& in, float* grad, unsigned threads = 0);

}  // namespace proximal::kernels
