// What TRPO's backtracking line search evaluates for a candidate parameter vector, on the CPU: the
// mean KL divergence between two MLP policies and the importance-sampled surrogate. Plain C++17,
// no N-API; the MLP forward pass is mlp.h's.
//
// For a batch of B states s with outputs o_old(s), o_new(s) (logits or Gaussian means; Schulman et
// al. 2015, "Trust Region Policy Optimization", sec. 6 and appendix C):
//
//   mean KL   = (1/B) Σ_s KL(π_old(·|s) ‖ π_new(·|s))
//     categorical, p = softmax(o):  KL = Σ_a p_old(a) (log p_old(a) − log p_new(a))
//     diagonal Gaussian N(μ, diag(σ²)), state-independent log-std ℓ = log σ:
//                                   KL = Σ_j ℓ_new − ℓ_old + (σ_old² + (μ_old − μ_new)²) / (2 σ_new²) − 1/2
//   surrogate = (1/B) Σ_s exp(log π_new(a_s|s) − oldLogProbs_s) · advantages_s
//     log π(a|s) = log softmax(o)[a]                                       (categorical)
//                = Σ_j −z_j²/2 − ℓ_j − log(2π)/2,  z = (a − μ) / σ       (Gaussian)
//
// The same formulas and operation order as @proximal/core's TypeScript reference
// (packages/core/src/fisher/kl.ts): float32 parameters, states, actions and advantages, double
// arithmetic everywhere (the MLP's products in the blocked double kernels of mlp.h, e^x and log from
// <cmath>). The batch is cut into blocks of mlp_block_rows rows (64 unless the networks are very
// wide); each block's sums are one partial and the partials are added in block order, so the results
// do not depend on the thread count. They agree with the reference to ~1e-15 relative except where
// the KL itself is a cancellation (π_new ≈ π_old), where the difference is a few 1e-16 absolute.
#pragma once

#include <cstddef>
#include <cstdint>

#include "kernels/fvp.h"
#include "kernels/mlp.h"

namespace proximal::kernels {

/// One MLP policy: layers (mlp_check(spec) must be empty), head and flat float32 parameters
/// [policy_param_count(spec, head)] (the Gaussian log-std last).
struct PolicyView {
  const MlpSpec* spec = nullptr;
  PolicyHead head = PolicyHead::kCategorical;
  const float* params = nullptr;
};

/// Mean KL(π_old ‖ π_new) over `states` (float32 [batch, input size], batch ≥ 1). The two policies
/// must have the same head, input size and output size (their hidden layers may differ); checked
/// by the binding. `threads` = 0 uses all hardware threads (at most one per 2 row blocks).
/// Throws std::bad_alloc.
double mean_kl(const PolicyView& old_policy, const PolicyView& new_policy, const float* states, std::size_t batch,
               unsigned threads = 0);

struct SurrogateKlInputs {
  const MlpSpec* spec = nullptr;        ///< layers shared by both parameter vectors
  PolicyHead head = PolicyHead::kCategorical;
  const float* old_params = nullptr;    ///< θ_old [P]: the KL reference
  const float* new_params = nullptr;    ///< θ_new [P]: the candidate
  const float* states = nullptr;        ///< [batch, input size]
  std::size_t batch = 0;                ///< ≥ 1
  const std::int32_t* actions = nullptr;       ///< categorical: [batch], each in [0, output size)
  const float* continuous_actions = nullptr;   ///< Gaussian: [batch, output size]
  const float* advantages = nullptr;    ///< [batch]
  const float* old_log_probs = nullptr; ///< log π_old(a_s|s) recorded at rollout, [batch]
};

struct SurrogateKl {
  double surrogate = 0;
  double kl = 0;
};

/// The candidate's surrogate and mean KL(π_old ‖ π_new) (see the top of this file) in one pass:
/// one forward pass of each parameter vector per block of states. Preconditions (checked by the
/// binding): valid spec, pointers valid for the sizes above, categorical actions in range.
/// Throws std::bad_alloc.
SurrogateKl surrogate_and_kl(const SurrogateKlInputs& in, unsigned threads = 0);

/// Threads the line-search kernels use for `batch` rows in blocks of `block_rows` (0 = all).
unsigned line_search_threads_used(std::size_t batch, unsigned threads, std::size_t block_rows);

}  // namespace proximal::kernels
