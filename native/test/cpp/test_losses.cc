// C++ unit tests of the value-loss and KL-estimate kernels, and of exp_f64 (no framework; ctest).
//   node scripts/build.mjs --tests
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <random>
#include <vector>

#include "check.h"
#include "kernels/kl.h"
#include "kernels/surrogate.h"
#include "kernels/vmath.h"

namespace k = proximal::kernels;


namespace {

void test_exp() {
  const double lo = k::kExpLo, hi = k::kExpHi;
  // Within 2 ulp of libm over the useful range, exact at 0.
  std::mt19937_64 gen(5);
  std::uniform_real_distribution<double> dist(-740.0, 709.0);
  for (int i = 0; i < 100000; ++i) {
    const double x = i < 1000 ? dist(gen) * 1e-3 : dist(gen);
    const double want = std::exp(x);
    CHECK_NEAR(k::exp_f64(x, lo, hi), want, std::fmax(4.5e-16 * want, 1e-323));  // subnormals: 2 ulp of 2^-1074
  }
  CHECK(k::exp_f64(0.0, lo, hi) == 1.0);
  CHECK(k::exp_f64(710.0, lo, hi) == std::numeric_limits<double>::infinity());
  CHECK(k::exp_f64(std::numeric_limits<double>::infinity(), lo, hi) == std::numeric_limits<double>::infinity());
  CHECK(k::exp_f64(-std::numeric_limits<double>::infinity(), lo, hi) == 0.0);
  CHECK(k::exp_f64(-800.0, lo, hi) == 0.0);
  CHECK(std::isnan(k::exp_f64(std::numeric_limits<double>::quiet_NaN(), lo, hi)));
  // Subnormal results.
  CHECK_NEAR(k::exp_f64(-740.0, lo, hi), std::exp(-740.0), 1e-322);
}

void test_value_loss_hand_computed() {
  // V = [1, 2, 2], old = [0.9, 1, 0], R = [0, 0, 1.9], eps = 0.2:
  //   0: V - old = 0.1 inside -> V_c = 1; both terms 1 -> 1, grad 2 * 1 / 3
  //   1: V - old = 1 -> V_c = 1.2; (2)^2 = 4 >= 1.44 -> 4, grad 2 * 2 / 3
  //   2: V - old = 2 -> V_c = 0.2; (0.1)^2 = 0.01 < (1.7)^2 = 2.89 -> 2.89, grad +0 (clipped)
  const std::vector<float> v = {1.0f, 2.0f, 2.0f}, old = {0.9f, 1.0f, 0.0f}, ret = {0.0f, 0.0f, 1.9f};
  std::vector<float> grad(3, 7.0f);
  k::ValueLossInputs in;
  in.values = v.data();
  in.old_values = old.data();
  in.returns = ret.data();
  in.size = 3;
  in.clipped = true;
  in.clip_range = 0.2;
  const k::ValueLossResult r = k::value_loss(in, grad.data(), 1);
  const double d2 = 2.0 - static_cast<double>(1.9f) - 0.0;  // V - R with R = 1.9f
  const double vc = 0.2;
  CHECK_NEAR(r.loss, (1.0 + 4.0 + (vc - static_cast<double>(1.9f)) * (vc - static_cast<double>(1.9f))) / 3.0, 1e-12);
  CHECK(d2 * d2 < 2.89);
  CHECK_NEAR(grad[0], 2.0 / 3.0, 1e-7);
  CHECK_NEAR(grad[1], 4.0 / 3.0, 1e-7);
  CHECK(grad[2] == 0.0f && !std::signbit(grad[2]));
  CHECK_NEAR(r.clip_fraction, 2.0 / 3.0, 1e-15);

  in.clipped = false;
  const k::ValueLossResult u = k::value_loss(in, grad.data(), 1);
  CHECK_NEAR(u.loss, (1.0 + 4.0 + d2 * d2) / 3.0, 1e-12);
  CHECK_NEAR(grad[2], 2.0 * d2 / 3.0, 1e-7);
  CHECK(u.clip_fraction == 0.0);
}

void test_kl_hand_computed() {
  const std::vector<float> lp = {0.0f, 1.0f}, ref = {0.0f, 0.0f};  // log r = [0, -1]
  std::vector<float> values(2), grad(2);
  k::KlInputs in;
  in.log_probs = lp.data();
  in.ref_log_probs = ref.data();
  in.size = 2;
  in.kind = k::KlKind::kK1;
  CHECK_NEAR(k::kl_estimate(in, values.data(), grad.data(), 1), 0.5, 1e-15);
  CHECK(values[1] == 1.0f && grad[0] == 1.0f && grad[1] == 1.0f);
  in.kind = k::KlKind::kK2;
  CHECK_NEAR(k::kl_estimate(in, values.data(), grad.data(), 1), 0.25, 1e-15);
  CHECK(values[1] == 0.5f && grad[1] == 1.0f);
  in.kind = k::KlKind::kK3;
  CHECK_NEAR(k::kl_estimate(in, values.data(), grad.data(), 1), std::exp(-1.0) / 2.0, 1e-15);
  CHECK(values[0] == 0.0f && grad[0] == 0.0f);
  CHECK_NEAR(values[1], std::exp(-1.0), 1e-7);
  CHECK_NEAR(grad[1], 1.0 - std::exp(-1.0), 1e-7);
}

void test_threads_deterministic() {
  const std::size_t n = (std::size_t{1} << 19) + 13;
  std::mt19937 gen(3);
  std::uniform_real_distribution<float> dist(-2.0f, 2.0f);
  std::vector<float> a(n), b(n), c(n);
  for (std::size_t i = 0; i < n; ++i) {
    a[i] = dist(gen);
    b[i] = dist(gen);
    c[i] = dist(gen);
  }
  std::vector<float> g1(n), gt(n), v1(n), vt(n);
  k::ValueLossInputs vin;
  vin.values = a.data();
  vin.old_values = b.data();
  vin.returns = c.data();
  vin.size = n;
  vin.clipped = true;
  vin.clip_range = 0.3;
  const k::ValueLossResult r1 = k::value_loss(vin, g1.data(), 1);
  k::KlInputs kin;
  kin.log_probs = a.data();
  kin.ref_log_probs = b.data();
  kin.size = n;
  const double m1 = k::kl_estimate(kin, v1.data(), g1.data(), 1);
  for (unsigned t : {2u, 3u, 8u}) {
    const k::ValueLossResult rt = k::value_loss(vin, gt.data(), t);
    CHECK(rt.loss == r1.loss && rt.clip_fraction == r1.clip_fraction);
    const double mt = k::kl_estimate(kin, vt.data(), gt.data(), t);
    CHECK(mt == m1);
    CHECK(vt == v1 && gt == g1);
  }
}

}  // namespace

int main() {
  test_exp();
  test_value_loss_hand_computed();
  test_kl_hand_computed();
  test_threads_deterministic();
  std::printf("test_losses: %d checks, %d failures\n", g_checks, g_failures);
  return g_failures == 0 ? 0 : 1;
}
