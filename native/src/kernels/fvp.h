// Fisher-vector products of MLP policies on the CPU (plain C++17, no N-API).
//
//   F v = (1/B) Σ_s J_sᵀ M_s J_s v + damping · v
//
// J_s: Jacobian of the network output (logits or Gaussian means) w.r.t. the MLP parameters at state
// s (forward mode J v and reverse mode Jᵀ g, mlp.h; Pearlmutter 1994; Martens 2014, sec. 9).
// M_s: Fisher metric of the policy head w.r.t. its output, i.e. the Hessian of KL(π_old ‖ π) at
// π = π_old (Schulman et al. 2015, "Trust Region Policy Optimization", appendix C):
//   categorical over logits o, p = softmax(o):   M u = p ⊙ u − p (pᵀ u)
//   diagonal Gaussian, state-independent log-std ℓ (σ = e^ℓ): mean block M = diag(1/σ²); the
//   log-std block of the Fisher is 2·I per state (so (F v)_ℓ = 2 v_ℓ + damping v_ℓ); no cross terms.
// Parameter layout: the MLP's flat params, then (Gaussian) ℓ [actionDim = last outSize].
//
// Precision and determinism: float32 params/states/vectors, double everywhere else. The batch is cut
// into blocks of mlp_block_rows(spec) rows (64 unless the network is very wide); each thread owns a
// contiguous run of blocks and sums its blocks in order into its own double accumulator; the
// accumulators are added in thread order. The result is therefore reproducible for a given thread
// count (it can differ in the last bits between thread counts).
#pragma once

#include <cstddef>
#include <memory>
#include <vector>

#include "kernels/mlp.h"

namespace proximal::kernels {

enum class PolicyHead : int { kCategorical = 0, kDiagGaussian = 1 };

/// Length of the flat params (and of a Fisher vector): MLP params, plus actionDim for a Gaussian.
std::size_t policy_param_count(const MlpSpec& spec, PolicyHead head);

/// Threads the Fisher operator uses for `batch` rows when asked for `threads` (0 = all hardware
/// threads): at most one per 2 blocks of `block_rows` rows (mlp_block_rows; 0 = kMlpBlockRows).
unsigned fvp_threads_used(std::size_t batch, unsigned threads, std::size_t block_rows = 0);

/// F (plus damping) for one policy and batch of states, applied to many vectors (CG reuses it).
/// Holds pointers to `params` and `states`: they must outlive the operator and stay unchanged.
class FisherOperator {
 public:
  /// params: float32 [policy_param_count]; states: float32 [batch, input_size], batch ≥ 1.
  /// Preconditions (checked by the binding): mlp_check(spec) is empty. Throws std::bad_alloc.
  FisherOperator(const MlpSpec& spec, PolicyHead head, const float* params, const float* states, std::size_t batch,
                 unsigned threads);
  ~FisherOperator();

  std::size_t size() const { return size_; }
  unsigned threads() const { return parts_; }

  /// out = F v + damping v; v and out double [size()], not overlapping.
  void apply(const double* v, double damping, double* out);

 private:
  struct Part;
  MlpSpec spec_;
  PolicyHead head_;
  const float* states_;
  std::size_t batch_;
  std::size_t size_;
  std::size_t rows_;
  unsigned parts_;
  MlpPacked packed_;
  MlpPacked direction_;
  std::vector<double> inv_var_;  // Gaussian: 1/σ² per action dimension
  std::vector<std::unique_ptr<Part>> part_;
};

/// One Fisher-vector product: out (float32 [P]) = F v + damping v for v float32 [P].
void fisher_vector_product(const MlpSpec& spec, PolicyHead head, const float* params, const float* states,
                           std::size_t batch, const float* v, double damping, float* out, unsigned threads = 0);

}  // namespace proximal::kernels
