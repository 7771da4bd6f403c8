// C++ tests of the MLP tangent/cotangent products, the Fisher-vector product and conjugate
// gradient (no framework; run by ctest via `node scripts/build.mjs --tests`).
#include <cmath>
#include <limits>
#include <cstdio>
#include <cstring>
#include <random>
#include <vector>

#include "kernels/cg.h"
#include "kernels/fvp.h"
#include "kernels/mlp.h"

namespace k = proximal::kernels;

static int g_checks = 0;
static int g_failures = 0;

#define CHECK(cond)                                                                  \
  do {                                                                               \
    ++g_checks;                                                                      \
    if (!(cond)) {                                                                   \
      ++g_failures;                                                                  \
      std::fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
    }                                                                                \
  } while (0)

#define CHECK_REL(a, b, tol)                                                                                  \
  do {                                                                                                        \
    ++g_checks;                                                                                               \
    const double a_ = (a), b_ = (b);                                                                          \
    if (!(std::fabs(a_ - b_) <= (tol) * std::fmax(1.0, std::fmax(std::fabs(a_), std::fabs(b_))))) {          \
      ++g_failures;                                                                                           \
      std::fprintf(stderr, "%s:%d: CHECK_REL failed: %s = %.12g, %s = %.12g\n", __FILE__, __LINE__, #a, a_, #b, \
                   b_);                                                                                       \
    }                                                                                                         \
  } while (0)

namespace {

std::mt19937 g_rng(12345);

std::vector<float> randf(std::size_t n, double scale) {
  std::normal_distribution<double> d(0.0, scale);
  std::vector<float> v(n);
  for (auto& x : v) x = static_cast<float>(d(g_rng));
  return v;
}

std::vector<double> randd(std::size_t n) {
  std::normal_distribution<double> d(0.0, 1.0);
  std::vector<double> v(n);
  for (auto& x : v) x = d(g_rng);
  return v;
}

double dot(const std::vector<double>& a, const std::vector<double>& b) {
  double s = 0;
  for (std::size_t i = 0; i < a.size(); ++i) s += a[i] * b[i];
  return s;
}

k::MlpSpec make_spec(std::vector<std::size_t> sizes, k::Activation hidden, k::Activation last) {
  k::MlpSpec s;
  for (std::size_t i = 0; i + 1 < sizes.size(); ++i) {
    s.layers.push_back({sizes[i], sizes[i + 1], i + 2 == sizes.size() ? last : hidden});
  }
  return s;
}

// gᵀ (J v) = (Jᵀ g)ᵀ v summed over the batch.
void test_adjoint(const k::MlpSpec& spec, std::size_t batch) {
  const std::size_t P = spec.param_count(), in = spec.input_size(), out = spec.output_size();
  auto params = randf(P, 0.5);
  auto x = randf(batch * in, 1.0);
  auto v = randd(P);
  auto g = randd(batch * out);
  std::vector<double> jv(batch * out), jtg(P);
  k::mlp_jvp(spec, params.data(), v.data(), x.data(), batch, jv.data());
  k::mlp_vjp(spec, params.data(), x.data(), batch, g.data(), jtg.data());
  CHECK_REL(dot(g, jv), dot(jtg, v), 1e-10);
}

// J v against central differences of the forward pass (params in float32, so a coarse step).
void test_jvp_fd() {
  auto spec = make_spec({3, 5, 4, 2}, k::Activation::kTanh, k::Activation::kLinear);
  const std::size_t P = spec.param_count(), batch = 3;
  auto params = randf(P, 0.5);
  auto x = randf(batch * 3, 1.0);
  std::vector<double> v(P, 0.0);
  std::vector<double> jv(batch * 2), fp(batch * 2), fm(batch * 2);
  for (std::size_t i = 0; i < P; i += 3) {
    std::fill(v.begin(), v.end(), 0.0);
    v[i] = 1.0;
    k::mlp_jvp(spec, params.data(), v.data(), x.data(), batch, jv.data());
    const float h = 1.0f / 64;  // exactly representable steps
    auto pp = params, pm = params;
    pp[i] += h;
    pm[i] -= h;
    const double step = static_cast<double>(pp[i]) - static_cast<double>(pm[i]);
    k::mlp_forward(spec, pp.data(), x.data(), batch, fp.data());
    k::mlp_forward(spec, pm.data(), x.data(), batch, fm.data());
    for (std::size_t j = 0; j < jv.size(); ++j) CHECK(std::fabs((fp[j] - fm[j]) / step - jv[j]) < 2e-3);
  }
}

// FVP against F = (1/B) Σ Jᵀ M J built column by column with jvp (explicit dense Fisher).
void test_dense_fisher(k::PolicyHead head, k::Activation act) {
  auto spec = make_spec({4, 6, 3}, act, k::Activation::kLinear);
  const std::size_t Pm = spec.param_count(), P = k::policy_param_count(spec, head), batch = 150, od = 3;
  auto params = randf(P, 0.6);
  auto x = randf(batch * 4, 1.0);
  // Output Jacobian per state: jac[s][j][i] = ∂o_j/∂θ_i.
  std::vector<double> jac(batch * od * Pm), col(batch * od), e(Pm, 0.0);
  for (std::size_t i = 0; i < Pm; ++i) {
    std::fill(e.begin(), e.end(), 0.0);
    e[i] = 1.0;
    k::mlp_jvp(spec, params.data(), e.data(), x.data(), batch, col.data());
    for (std::size_t s = 0; s < batch * od; ++s) jac[s * Pm + i] = col[s];
  }
  std::vector<double> logits(batch * od);
  k::mlp_forward(spec, params.data(), x.data(), batch, logits.data());
  std::vector<double> F(P * P, 0.0);
  for (std::size_t s = 0; s < batch; ++s) {
    double M[3][3] = {};
    if (head == k::PolicyHead::kCategorical) {
      double p[3], mx = -1e300, z = 0;
      for (std::size_t j = 0; j < od; ++j) mx = std::fmax(mx, logits[s * od + j]);
      for (std::size_t j = 0; j < od; ++j) z += p[j] = std::exp(logits[s * od + j] - mx);
      for (std::size_t j = 0; j < od; ++j) p[j] /= z;
      for (std::size_t a = 0; a < od; ++a)
        for (std::size_t b = 0; b < od; ++b) M[a][b] = (a == b ? p[a] : 0.0) - p[a] * p[b];
    } else {
      for (std::size_t a = 0; a < od; ++a) M[a][a] = std::exp(-2.0 * params[Pm + a]);
    }
    for (std::size_t a = 0; a < od; ++a)
      for (std::size_t b = 0; b < od; ++b) {
        if (M[a][b] == 0.0) continue;
        const double* ja = &jac[(s * od + a) * Pm];
        const double* jb = &jac[(s * od + b) * Pm];
        for (std::size_t i = 0; i < Pm; ++i)
          for (std::size_t j = 0; j < Pm; ++j) F[i * P + j] += ja[i] * M[a][b] * jb[j] / batch;
      }
  }
  for (std::size_t i = Pm; i < P; ++i) F[i * P + i] = 2.0;
  const double damping = 0.1;
  auto v = randf(P, 1.0);
  std::vector<float> fv(P);
  for (unsigned threads : {1u, 2u, 3u}) {
    k::fisher_vector_product(spec, head, params.data(), x.data(), batch, v.data(), damping, fv.data(), threads);
    double scale = 0;
    std::vector<double> ref(P);
    for (std::size_t i = 0; i < P; ++i) {
      double s = damping * v[i];
      for (std::size_t j = 0; j < P; ++j) s += F[i * P + j] * v[j];
      ref[i] = s;
      scale = std::fmax(scale, std::fabs(s));
    }
    for (std::size_t i = 0; i < P; ++i) CHECK(std::fabs(fv[i] - ref[i]) <= 1e-5 * scale);
  }
}

// Same bits for repeated calls at a fixed thread count; close across thread counts.
void test_determinism() {
  auto spec = make_spec({17, 64, 64, 6}, k::Activation::kTanh, k::Activation::kLinear);
  const std::size_t P = k::policy_param_count(spec, k::PolicyHead::kDiagGaussian), batch = 1000;
  auto params = randf(P, 0.3);
  auto x = randf(batch * 17, 1.0);
  auto v = randf(P, 1.0);
  std::vector<float> a(P), b(P), c(P);
  for (unsigned threads : {1u, 4u}) {
    k::fisher_vector_product(spec, k::PolicyHead::kDiagGaussian, params.data(), x.data(), batch, v.data(), 0.0,
                             a.data(), threads);
    k::fisher_vector_product(spec, k::PolicyHead::kDiagGaussian, params.data(), x.data(), batch, v.data(), 0.0,
                             b.data(), threads);
    CHECK(std::memcmp(a.data(), b.data(), P * sizeof(float)) == 0);
  }
  k::fisher_vector_product(spec, k::PolicyHead::kDiagGaussian, params.data(), x.data(), batch, v.data(), 0.0,
                           c.data(), 1);
  double scale = 0;
  for (float y : c) scale = std::fmax(scale, std::fabs(y));
  for (std::size_t i = 0; i < P; ++i) CHECK(std::fabs(a[i] - c[i]) <= 1e-5 * scale);
}

// CG on random SPD matrices against Gaussian elimination.
void test_cg_dense() {
  for (std::size_t n : {1u, 2u, 5u, 12u}) {
    std::vector<double> G(n * n), A(n * n, 0.0);
    for (auto& y : G) y = std::normal_distribution<double>(0, 1)(g_rng);
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = 0; j < n; ++j) {
        for (std::size_t t = 0; t < n; ++t) A[i * n + j] += G[i * n + t] * G[j * n + t];
        if (i == j) A[i * n + j] += 1.0;
      }
    auto b = randd(n);
    std::vector<double> x(n);
    auto res = k::conjugate_gradient(
        [&](const double* p, double* out) {
          for (std::size_t i = 0; i < n; ++i) {
            double s = 0;
            for (std::size_t j = 0; j < n; ++j) s += A[i * n + j] * p[j];
            out[i] = s;
          }
        },
        b.data(), n, 4 * n, 1e-24, x.data());
    CHECK(res.iterations <= 4 * n);
    // Direct solve.
    std::vector<double> M = A, y = b;
    for (std::size_t c = 0; c < n; ++c) {
      for (std::size_t r = c + 1; r < n; ++r) {
        const double f = M[r * n + c] / M[c * n + c];
        for (std::size_t j = c; j < n; ++j) M[r * n + j] -= f * M[c * n + j];
        y[r] -= f * y[c];
      }
    }
    for (std::size_t c = n; c-- > 0;) {
      for (std::size_t j = c + 1; j < n; ++j) y[c] -= M[c * n + j] * y[j];
      y[c] /= M[c * n + c];
    }
    for (std::size_t i = 0; i < n; ++i) CHECK_REL(x[i], y[i], 1e-7);
  }
  // b = 0: no products, x = 0.
  std::vector<double> zero(3, 0.0), x(3, 5.0);
  int calls = 0;
  auto res = k::conjugate_gradient([&](const double*, double*) { ++calls; }, zero.data(), 3, 10, 1e-10, x.data());
  CHECK(calls == 0 && res.iterations == 0 && x[0] == 0.0);
  // Not positive definite: stops without a step.
  std::vector<double> b1(2, 1.0);
  res = k::conjugate_gradient(
      [](const double* p, double* out) {
        out[0] = -p[0];
        out[1] = -p[1];
      },
      b1.data(), 2, 10, 1e-10, x.data());
  CHECK(res.iterations == 0 && x[0] == 0.0 && res.residual == 2.0);
  CHECK(res.non_finite_index == -1);
  // A non-finite product: with check_finite CG stops and reports the element and the iteration
  // (1-based); without it, it stops silently at the non-positive-finite pᵀA p as before.
  std::vector<double> b3 = {1.0, 2.0, 3.0};
  int products = 0;
  auto flaky = [&](const double* p, double* out) {
    for (int i = 0; i < 3; ++i) out[i] = (i + 1) * p[i];
    if (++products == 2) out[1] = std::numeric_limits<double>::infinity();
  };
  res = k::conjugate_gradient(flaky, b3.data(), 3, 10, 1e-30, x.data(), /*check_finite=*/true);
  CHECK(res.non_finite_index == 1 && res.non_finite_iteration == 2 && std::isinf(res.non_finite_value));
  CHECK(res.iterations == 1);
  products = 0;
  res = k::conjugate_gradient(flaky, b3.data(), 3, 10, 1e-30, x.data());
  CHECK(res.non_finite_index == -1 && res.iterations == 1);
}

// CG with the Fisher operator: solves (F + λI) x = g.
void test_cg_fisher() {
  auto spec = make_spec({5, 16, 4}, k::Activation::kRelu, k::Activation::kLinear);
  const std::size_t P = spec.param_count(), batch = 300;
  auto params = randf(P, 0.5);
  auto x = randf(batch * 5, 1.0);
  auto b = randd(P);
  k::FisherOperator op(spec, k::PolicyHead::kCategorical, params.data(), x.data(), batch, 2);
  std::vector<double> sol(P), check(P);
  auto res = k::conjugate_gradient([&](const double* p, double* out) { op.apply(p, 0.5, out); }, b.data(), P, 200,
                                   1e-20, sol.data());
  op.apply(sol.data(), 0.5, check.data());
  double err = 0;
  for (std::size_t i = 0; i < P; ++i) err += (check[i] - b[i]) * (check[i] - b[i]);
  CHECK(err < 1e-12 * dot(b, b));
  CHECK(res.residual < 1e-12 * dot(b, b) || res.iterations == 200);
}

// The vectorized tanh of the forward pass against std::tanh (1-in, 1-out layer, W = 1, b = 0).
void test_tanh() {
  k::MlpSpec spec;
  spec.layers = {{1, 1, k::Activation::kTanh}};
  const float params[2] = {1.0f, 0.0f};
  std::vector<float> x;
  for (double v = -30; v <= 30; v += 0.0137) x.push_back(static_cast<float>(v));
  for (float v : {0.0f, -0.0f, 1e-30f, -1e-20f, 1e-8f, 400.0f, -1e30f, 3.4e38f}) x.push_back(v);
  std::vector<double> y(x.size());
  k::mlp_forward(spec, params, x.data(), x.size(), y.data());
  double worst = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double ref = std::tanh(static_cast<double>(x[i]));
    worst = std::fmax(worst, std::fabs(y[i] - ref) / std::fmax(std::fabs(ref), 1e-3));
  }
  std::printf("tanh: worst error %.3g (relative, absolute below 1e-3)\n", worst);
  CHECK(worst < 1e-13);
}

}  // namespace

int main() {
  test_tanh();
  for (auto act : {k::Activation::kTanh, k::Activation::kRelu, k::Activation::kLinear}) {
    test_adjoint(make_spec({3, 7, 5, 2}, act, k::Activation::kLinear), 5);
    test_adjoint(make_spec({10, 33, 9}, act, act), 130);
    test_adjoint(make_spec({1, 1}, act, act), 1);
    for (auto head : {k::PolicyHead::kCategorical, k::PolicyHead::kDiagGaussian}) test_dense_fisher(head, act);
  }
  test_jvp_fd();
  test_determinism();
  test_cg_dense();
  test_cg_fisher();
  std::printf("%d checks, %d failures\n", g_checks, g_failures);
  return g_failures == 0 ? 0 : 1;
}
