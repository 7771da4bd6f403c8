#include "kernels/cg.h"

#include <cmath>
#include <vector>

#include "kernels/flags.h"

namespace proximal::kernels {
namespace {
double dot(const double* a, const double* b, std::size_t n) {
  double s = 0;
  for (std::size_t i = 0; i < n; ++i) s += a[i] * b[i];
  return s;
}
}  // namespace

CgResult conjugate_gradient(const std::function<void(const double*, double*)>& matvec, const double* b,
                            std::size_t n, std::size_t max_iterations, double residual_tolerance, double* x,
                            bool check_finite) {
  std::vector<double> r(b, b + n), p(b, b + n), z(n);
  for (std::size_t i = 0; i < n; ++i) x[i] = 0.0;
  double rr = dot(r.data(), r.data(), n);
  CgResult result;
  while (result.iterations < max_iterations && rr >= residual_tolerance) {
    matvec(p.data(), z.data());
    if (check_finite) {
      const std::ptrdiff_t bad = first_non_finite(z.data(), n);
      if (bad >= 0) {
        result.non_finite_index = bad;
        result.non_finite_value = z[static_cast<std::size_t>(bad)];
        result.non_finite_iteration = result.iterations + 1;
        break;
      }
    }
    const double pz = dot(p.data(), z.data(), n);
    if (!(pz > 0.0) || !std::isfinite(pz)) break;
    const double alpha = rr / pz;
    for (std::size_t i = 0; i < n; ++i) {
      x[i] += alpha * p[i];
      r[i] -= alpha * z[i];
    }
    const double rr_new = dot(r.data(), r.data(), n);
    ++result.iterations;
    const double beta = rr_new / rr;
    rr = rr_new;
    if (rr < residual_tolerance) break;
    for (std::size_t i = 0; i < n; ++i) p[i] = r[i] + beta * p[i];
  }
  result.residual = rr;
  return result;
}

}  // namespace proximal::kernels
