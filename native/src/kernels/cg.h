// Conjugate gradient for symmetric positive-definite systems A x = b (plain C++17, no N-API).
//
// The linear CG of Hestenes & Stiefel as written in Shewchuk 1994, "An Introduction to the
// Conjugate Gradient Method Without the Agonizing Pain" (B2), in the form TRPO uses (Schulman et
// al. 2015, "Trust Region Policy Optimization", appendix C): x_0 = 0, r_0 = p_0 = b, and per step
//   z = A p;  α = rᵀr / pᵀz;  x += α p;  r −= α z;  β = r'ᵀr' / rᵀr;  p = r' + β p,
// stopping after `max_iterations` steps or once rᵀr < residual_tolerance (checked before the first
// step too, so b = 0 gives x = 0 with no product). A step whose pᵀA p is not a positive finite
// number (A not positive definite along p, or non-finite values) is not taken: CG stops there.
// Everything is double; dot products are sequential sums (deterministic).
#pragma once

#include <cstddef>
#include <functional>

namespace proximal::kernels {

struct CgResult {
  std::size_t iterations = 0;  ///< steps taken (= products A p evaluated and applied)
  double residual = 0;         ///< rᵀr at exit (the squared residual norm ‖b − A x‖²)
  /// With check_finite: the index of the first non-finite element of the product A p that stopped
  /// CG (-1 when none did), its value, and the 1-based iteration whose product it was.
  std::ptrdiff_t non_finite_index = -1;
  double non_finite_value = 0;
  std::size_t non_finite_iteration = 0;
};

/// Solves A x = b; x (double [n]) is overwritten. matvec(p, out) must write A p into out (both
/// double [n], distinct buffers). With `check_finite`, a product with a NaN or infinite element stops
/// CG before that step is applied and is reported in the result's non_finite_* fields. Throws what
/// matvec throws or std::bad_alloc.
CgResult conjugate_gradient(const std::function<void(const double*, double*)>& matvec, const double* b,
                            std::size_t n, std::size_t max_iterations, double residual_tolerance, double* x,
                            bool check_finite = false);

}  // namespace proximal::kernels
