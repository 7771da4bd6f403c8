// C++ tests of the line-search evaluation (mean KL and surrogate of a candidate; no framework; run
// by ctest via `node scripts/build.mjs --tests`).
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <random>
#include <vector>

#include "check.h"
#include "kernels/fvp.h"
#include "kernels/line_search.h"
#include "kernels/mlp.h"

namespace k = proximal::kernels;

namespace {

std::mt19937 g_rng(2024);

std::vector<float> randf(std::size_t n, double lo, double hi) {
  std::uniform_real_distribution<double> d(lo, hi);
  std::vector<float> v(n);
  for (auto& x : v) x = static_cast<float>(d(g_rng));
  return v;
}

double rel(double a, double b) { return std::fabs(a - b) / std::fmax(std::fabs(b), 1e-12); }

/// The formulas one state at a time on mlp_forward's whole-batch outputs, sequential sums.
k::SurrogateKl straightforward(const k::SurrogateKlInputs& in) {
  const std::size_t od = in.spec->output_size();
  const std::size_t np = in.spec->param_count();
  std::vector<double> o0(in.batch * od), o1(in.batch * od);
  k::mlp_forward(*in.spec, in.old_params, in.states, in.batch, o0.data());
  k::mlp_forward(*in.spec, in.new_params, in.states, in.batch, o1.data());
  double kl = 0, surr = 0;
  for (std::size_t s = 0; s < in.batch; ++s) {
    const double* x = &o0[s * od];
    const double* y = &o1[s * od];
    double lp = 0;
    if (in.head == k::PolicyHead::kCategorical) {
      double mx = x[0], my = y[0];
      for (std::size_t j = 1; j < od; ++j) mx = std::fmax(mx, x[j]), my = std::fmax(my, y[j]);
      double zx = 0, zy = 0;
      for (std::size_t j = 0; j < od; ++j) zx += std::exp(x[j] - mx), zy += std::exp(y[j] - my);
      for (std::size_t j = 0; j < od; ++j) {
        const double a = x[j] - mx - std::log(zx), b = y[j] - my - std::log(zy);
        kl += std::exp(a) * (a - b);
      }
      lp = y[in.actions[s]] - my - std::log(zy);
    } else {
      for (std::size_t j = 0; j < od; ++j) {
        const double l0 = in.old_params[np + j], l1 = in.new_params[np + j];
        const double dm = x[j] - y[j];
        kl += l1 - l0 + (std::exp(2 * l0) + dm * dm) / (2 * std::exp(2 * l1)) - 0.5;
        const double z = (in.continuous_actions[s * od + j] - y[j]) / std::exp(l1);
        lp += -0.5 * z * z - l1 - 0.5 * std::log(2 * 3.141592653589793);
      }
    }
    surr += std::exp(lp - in.old_log_probs[s]) * in.advantages[s];
  }
  return {surr / static_cast<double>(in.batch), kl / static_cast<double>(in.batch)};
}

void test_closed_forms() {
  // One linear layer 1 -> 2, zero weights: p_old = (1/2, 1/2); new bias (log 3, 0): p_new = (3/4, 1/4).
  k::MlpSpec spec;
  spec.layers = {{1, 2, k::Activation::kLinear}};
  const std::vector<float> p0 = {0, 0, 0, 0};
  const std::vector<float> p1 = {0, 0, std::log(3.0f), 0};
  const std::vector<float> states = {1, -1};
  const std::vector<std::int32_t> actions = {0, 1};
  const std::vector<float> adv = {2, 1};
  const std::vector<float> olp = {std::log(0.5f), std::log(0.5f)};
  k::SurrogateKlInputs in;
  in.spec = &spec;
  in.old_params = p0.data();
  in.new_params = p1.data();
  in.states = states.data();
  in.batch = 2;
  in.actions = actions.data();
  in.advantages = adv.data();
  in.old_log_probs = olp.data();
  const k::SurrogateKl r = k::surrogate_and_kl(in, 1);
  CHECK_NEAR(r.kl, 0.5 * std::log(0.5 / 0.75) + 0.5 * std::log(0.5 / 0.25), 1e-7);
  CHECK_NEAR(r.surrogate, (1.5 * 2 + 0.5 * 1) / 2, 1e-6);
  const k::PolicyView v0{&spec, k::PolicyHead::kCategorical, p0.data()};
  const k::PolicyView v1{&spec, k::PolicyHead::kCategorical, p1.data()};
  CHECK(k::mean_kl(v0, v1, states.data(), 2, 1) == r.kl);
  CHECK(k::mean_kl(v1, v1, states.data(), 2, 1) == 0.0);

  // Gaussian (W [1, 2], b [2], log-std [2]): same means, log-std 0 -> 1/2 in both dimensions:
  // KL = 2 (1/2 + 1/(2e) - 1/2) per state.
  k::MlpSpec gspec;
  gspec.layers = {{1, 2, k::Activation::kTanh}};
  std::vector<float> q0(1 * 2 + 2 + 2, 0.25f), q1 = q0;
  q0[4] = q0[5] = 0.0f;
  q1[4] = q1[5] = 0.5f;
  const k::PolicyView w0{&gspec, k::PolicyHead::kDiagGaussian, q0.data()};
  const k::PolicyView w1{&gspec, k::PolicyHead::kDiagGaussian, q1.data()};
  CHECK_NEAR(k::mean_kl(w0, w1, states.data(), 2, 1), 2 * (1 / (2 * std::exp(1.0))), 1e-12);
  CHECK(k::mean_kl(w1, w1, states.data(), 2, 1) == 0.0);
}

void test_against_straightforward_and_threads() {
  for (const k::PolicyHead head : {k::PolicyHead::kCategorical, k::PolicyHead::kDiagGaussian}) {
    k::MlpSpec spec;
    spec.layers = {{7, 33, k::Activation::kTanh}, {33, 20, k::Activation::kRelu}, {20, 5, k::Activation::kLinear}};
    const std::size_t P = k::policy_param_count(spec, head);
    const std::size_t batch = 1234;  // 19 full blocks of 64 and a partial one
    const std::vector<float> p0 = randf(P, -0.5, 0.5);
    std::vector<float> p1 = p0;
    for (float& x : p1) x += static_cast<float>(std::uniform_real_distribution<double>(-0.02, 0.02)(g_rng));
    const std::vector<float> states = randf(batch * 7, -2, 2);
    std::vector<std::int32_t> actions(batch);
    for (auto& a : actions) a = static_cast<std::int32_t>(g_rng() % 5);
    const std::vector<float> cont = randf(batch * 5, -1, 1);
    const std::vector<float> adv = randf(batch, -2, 2);
    const std::vector<float> olp = randf(batch, -3, -1);
    k::SurrogateKlInputs in;
    in.spec = &spec;
    in.head = head;
    in.old_params = p0.data();
    in.new_params = p1.data();
    in.states = states.data();
    in.batch = batch;
    in.actions = actions.data();
    in.continuous_actions = cont.data();
    in.advantages = adv.data();
    in.old_log_probs = olp.data();
    const k::SurrogateKl one = k::surrogate_and_kl(in, 1);
    const k::SurrogateKl ref = straightforward(in);
    CHECK(rel(one.kl, ref.kl) < 1e-9);
    CHECK(rel(one.surrogate, ref.surrogate) < 1e-12);
    CHECK(one.kl > 0);
    for (unsigned t : {2u, 3u, 5u, 0u}) {
      const k::SurrogateKl r = k::surrogate_and_kl(in, t);
      CHECK(r.kl == one.kl && r.surrogate == one.surrogate);
    }
    const k::PolicyView v0{&spec, head, p0.data()};
    const k::PolicyView v1{&spec, head, p1.data()};
    CHECK(k::mean_kl(v0, v1, states.data(), batch, 3) == one.kl);
  }
}

void test_different_architectures() {
  // meanKl of two networks with different hidden layers: each log-std sits after its own MLP.
  k::MlpSpec a, b;
  a.layers = {{3, 4, k::Activation::kTanh}, {4, 2, k::Activation::kLinear}};
  b.layers = {{3, 2, k::Activation::kLinear}};
  std::vector<float> pa(k::policy_param_count(a, k::PolicyHead::kDiagGaussian), 0.0f);
  std::vector<float> pb(k::policy_param_count(b, k::PolicyHead::kDiagGaussian), 0.0f);
  pa[pa.size() - 2] = pa[pa.size() - 1] = 0.5f;  // all means 0; log-std 1/2 vs 0
  const std::vector<float> states = randf(3 * 10, -1, 1);
  const k::PolicyView va{&a, k::PolicyHead::kDiagGaussian, pa.data()};
  const k::PolicyView vb{&b, k::PolicyHead::kDiagGaussian, pb.data()};
  // KL(N(0, 1) ‖ N(0, e)) per dimension: 1/2 + 1/(2e) - 1/2
  CHECK_NEAR(k::mean_kl(vb, va, states.data(), 10, 2), 2 * (1 / (2 * std::exp(1.0))), 1e-12);
  // KL(N(0, e) ‖ N(0, 1)) per dimension: -1/2 + e/2 - 1/2
  CHECK_NEAR(k::mean_kl(va, vb, states.data(), 10, 2), 2 * (-0.5 + std::exp(1.0) / 2 - 0.5), 1e-6);
}

}  // namespace

int main() {
  test_closed_forms();
  test_against_straightforward_and_threads();
  test_different_architectures();
  std::printf("%d checks, %d failures\n", g_checks, g_failures);
  return g_failures == 0 ? 0 : 1;
}
