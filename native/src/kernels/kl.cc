#include "kernels/kl.h"

#include "kernels/reduce.h"
#include "kernels/target.h"
#include "kernels/vmath.h"

namespace proximal::kernels {
namespace {

constexpr std::size_t L = kReduceLanes;

template <KlKind kKind>
PROXIMAL_ALWAYS_INLINE void kl_element(float lp, float ref, float& value_out, float& grad_out, double& acc,
                                       const double (&exp_bounds)[2]) {
  const double log_r = static_cast<double>(ref) - static_cast<double>(lp);
  double value;
  double grad;
  if (kKind == KlKind::kK1) {
    value = -log_r;
    grad = 1.0;
  } else if (kKind == KlKind::kK2) {
    value = 0.5 * (log_r * log_r);
    grad = -log_r;
  } else {
    const double r = exp_f64(log_r, exp_bounds[0], exp_bounds[1]);
    value = (r - 1.0) - log_r;
    grad = 1.0 - r;
  }
  value_out = static_cast<float>(value);
  grad_out = static_cast<float>(grad);
  acc += value;
}

template <KlKind kKind>
PROXIMAL_ALWAYS_INLINE double kl_chunk_impl(const float* PROXIMAL_RESTRICT lp, const float* PROXIMAL_RESTRICT ref,
                                            float* PROXIMAL_RESTRICT values, float* PROXIMAL_RESTRICT grad,
                                            std::size_t n, const double (&exp_bounds)[2]) {
  double acc[L] = {};
  std::size_t i = 0;
  for (; i + L <= n; i += L) {
    for (std::size_t j = 0; j < L; ++j) kl_element<kKind>(lp[i + j], ref[i + j], values[i + j], grad[i + j], acc[j], exp_bounds);
  }
  for (std::size_t j = 0; i + j < n; ++j) kl_element<kKind>(lp[i + j], ref[i + j], values[i + j], grad[i + j], acc[j], exp_bounds);
  return sum_lanes(acc);
}

PROXIMAL_MULTIVERSION double kl_chunk_k1(const float* lp, const float* ref, float* values, float* grad, std::size_t n,
                                         const double (&exp_bounds)[2]) {
  return kl_chunk_impl<KlKind::kK1>(lp, ref, values, grad, n, exp_bounds);
}
PROXIMAL_MULTIVERSION double kl_chunk_k2(const float* lp, const float* ref, float* values, float* grad, std::size_t n,
                                         const double (&exp_bounds)[2]) {
  return kl_chunk_impl<KlKind::kK2>(lp, ref, values, grad, n, exp_bounds);
}
PROXIMAL_MULTIVERSION double kl_chunk_k3(const float* lp, const float* ref, float* values, float* grad, std::size_t n,
                                         const double (&exp_bounds)[2]) {
  return kl_chunk_impl<KlKind::kK3>(lp, ref, values, grad, n, exp_bounds);
}

}  // namespace

double kl_estimate(const KlInputs& in, float* values, float* grad, unsigned threads) {
  const std::size_t n = in.size;
  if (n == 0) return 0.0;
  const auto chunk = in.kind == KlKind::kK1 ? kl_chunk_k1 : in.kind == KlKind::kK2 ? kl_chunk_k2 : kl_chunk_k3;
  const double exp_bounds[2] = {kExpLo, kExpHi};  // passed through memory, see exp_f64
  const auto parts = chunked_partials<double>(n, threads, [&](std::size_t b, std::size_t e, double& p) {
    p = chunk(in.log_probs + b, in.ref_log_probs + b, values + b, grad + b, e - b, exp_bounds);
  });
  double total = 0.0;
  for (double p : parts) total += p;
  return total / static_cast<double>(n);
}

}  // namespace proximal::kernels
