// Per-element KL estimators and their gradient w.r.t. logProbs, on the CPU. Plain C++17, no N-API.
//
// Estimators of KL(pi_theta || pi_ref) from actions sampled from pi_theta (Schulman 2020,
// "Approximating KL Divergence"; k3 is GRPO's per-token penalty, Shao et al. 2024, eq. 4), with
// log r = refLogProbs - logProbs:
//
//   k1 = -log r                  d/dlogp = 1
//   k2 = (log r)^2 / 2           d/dlogp = -log r
//   k3 = (r - 1) - log r         d/dlogp = 1 - r
//
// Double arithmetic, values and gradient rounded to float32 on store, mean over the batch in
// double (chunked, deterministic; kernels/reduce.h). Exactly @proximal/core's klEstimateReference
// up to the summation order and exp (exp_f64).
#pragma once

#include <cstddef>

namespace proximal::kernels {

enum class KlKind { kK1 = 1, kK2 = 2, kK3 = 3 };

struct KlInputs {
  const float* log_probs = nullptr;      ///< log pi_theta(a|s), [B]
  const float* ref_log_probs = nullptr;  ///< log pi_ref(a|s), [B]
  std::size_t size = 0;                  ///< B
  KlKind kind = KlKind::kK3;
};

/// Writes values [B] and grad_log_probs [B]; returns the mean of the values (0 for B = 0).
/// Preconditions (checked by the binding): pointers valid, outputs not overlapping anything.
double kl_estimate(const KlInputs& in, float* values, float* grad_log_probs, unsigned threads = 0);

}  // namespace proximal::kernels
