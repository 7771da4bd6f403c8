// C++ unit tests of the clipped-surrogate kernel (no framework; run by ctest).
//   node scripts/build.mjs --tests
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

#include "check.h"
#include "kernels/surrogate.h"

namespace k = proximal::kernels;


namespace {

bool is_positive_zero(float x) { return x == 0.0f && !std::signbit(x); }

void test_hand_computed() {
  // ratios 1, 1.5 (A > 0: clipped to 1.2), 0.5 (A < 0: clipped to 0.8, min picks -0.8).
  const std::vector<float> lp = {0.0f, std::log(1.5f), std::log(0.5f)};
  const std::vector<float> olp = {0.0f, 0.0f, 0.0f};
  const std::vector<float> adv = {2.0f, 1.0f, -1.0f};
  std::vector<float> grad(3, 7.0f);
  k::SurrogateInputs in;
  in.log_probs = lp.data();
  in.old_log_probs = olp.data();
  in.advantages = adv.data();
  in.size = 3;
  in.clip_range = 0.2;
  in.clip_range_high = 0.2;
  const k::SurrogateResult r = k::clipped_surrogate(in, grad.data(), 1);
  CHECK(r.count == 3);
  CHECK_NEAR(r.loss, -(2.0 + 1.2 - 0.8) / 3.0, 1e-7);
  CHECK_NEAR(grad[0], -2.0 / 3.0, 1e-7);
  CHECK(is_positive_zero(grad[1]));
  CHECK(is_positive_zero(grad[2]));
  CHECK_NEAR(r.clip_fraction, 2.0 / 3.0, 1e-12);
  CHECK_NEAR(r.ratio_mean, 1.0, 1e-7);
  const double lr1 = static_cast<double>(std::log(1.5f));
  const double lr2 = static_cast<double>(std::log(0.5f));
  CHECK_NEAR(r.approx_kl_k1, -(lr1 + lr2) / 3.0, 1e-12);
  CHECK_NEAR(r.approx_kl, ((std::exp(lr1) - 1 - lr1) + (std::exp(lr2) - 1 - lr2)) / 3.0, 1e-12);

  // Mask out element 0: mean over elements 1 and 2 only; the masked gradient is +0.
  const std::vector<std::uint8_t> mask = {0, 1, 1};
  in.mask = mask.data();
  const k::SurrogateResult m = k::clipped_surrogate(in, grad.data(), 1);
  CHECK(m.count == 2);
  CHECK_NEAR(m.loss, -(1.2 - 0.8) / 2.0, 1e-7);
  CHECK(is_positive_zero(grad[0]));
  CHECK_NEAR(m.clip_fraction, 1.0, 1e-12);

  // Everything masked out: zeros.
  const std::vector<std::uint8_t> none = {0, 0, 0};
  in.mask = none.data();
  grad.assign(3, 5.0f);
  const k::SurrogateResult z = k::clipped_surrogate(in, grad.data(), 1);
  CHECK(z.count == 0 && z.loss == 0 && z.clip_fraction == 0 && z.ratio_mean == 0);
  CHECK(is_positive_zero(grad[0]) && is_positive_zero(grad[2]));
}

void test_dual_and_asymmetric() {
  // ratio 5 with A = -1 and c = 3: max(min(-5, -1.2), -3) = -3, gradient 0.
  const float lp5 = std::log(5.0f), zero = 0.0f, minus1 = -1.0f;
  float grad = 9.0f;
  k::SurrogateInputs in;
  in.log_probs = &lp5;
  in.old_log_probs = &zero;
  in.advantages = &minus1;
  in.size = 1;
  in.clip_range = 0.2;
  in.clip_range_high = 0.2;
  in.dual_clip = 3.0;
  const k::SurrogateResult r = k::clipped_surrogate(in, &grad, 1);
  CHECK_NEAR(r.loss, 3.0, 1e-12);
  CHECK(is_positive_zero(grad));
  // Without dual clip: min(-5, -1.2) = -5, unclipped branch: grad = -(5 * -1) = 5.
  in.dual_clip = 0.0;  // disabled
  const k::SurrogateResult u = k::clipped_surrogate(in, &grad, 1);
  CHECK_NEAR(u.loss, 5.0, 1e-5);
  CHECK_NEAR(grad, 5.0, 1e-5);

  // ratio 1.25 inside [0.8, 1.28] with eps_high = 0.28: unclipped.
  const float lp125 = std::log(1.25f), one = 1.0f;
  in.log_probs = &lp125;
  in.advantages = &one;
  in.clip_range_high = 0.28;
  const k::SurrogateResult a = k::clipped_surrogate(in, &grad, 1);
  CHECK_NEAR(a.loss, -1.25, 1e-6);
  CHECK(a.clip_fraction == 0.0);
  CHECK_NEAR(grad, -1.25, 1e-6);
}

void test_normalization() {
  // advantages 1, 2, 3 -> mean 2, unbiased std 1 -> -1, 0, 1 (/(1 + 1e-8)); ratios all 1.
  const std::vector<float> lp(3, 0.0f), adv = {1.0f, 2.0f, 3.0f};
  std::vector<float> grad(3);
  k::SurrogateInputs in;
  in.log_probs = lp.data();
  in.old_log_probs = lp.data();
  in.advantages = adv.data();
  in.size = 3;
  in.normalize_advantages = true;
  const k::SurrogateResult r = k::clipped_surrogate(in, grad.data(), 1);
  CHECK_NEAR(r.loss, 0.0, 1e-12);
  CHECK_NEAR(grad[0], 1.0 / 3.0 / (1 + 1e-8), 1e-7);
  CHECK(is_positive_zero(grad[1]) || grad[1] == 0.0f);
  CHECK_NEAR(grad[2], -1.0 / 3.0 / (1 + 1e-8), 1e-7);
  // A single element: std = 0, scale 1e8, mean removed -> advantage 0.
  in.size = 1;
  const k::SurrogateResult s = k::clipped_surrogate(in, grad.data(), 1);
  CHECK(s.loss == 0.0);
}

void test_threads_deterministic() {
  // Large problem: identical results and gradients for 1, 2, 3 and all threads.
  const std::size_t n = (std::size_t{1} << 19) + 12345;
  std::mt19937 gen(7);
  std::uniform_real_distribution<float> u(-1.0f, 1.0f);
  std::vector<float> lp(n), olp(n), adv(n);
  std::vector<std::uint8_t> mask(n);
  for (std::size_t i = 0; i < n; ++i) {
    lp[i] = u(gen) * 0.3f;
    olp[i] = u(gen) * 0.3f;
    adv[i] = u(gen) * 2.0f;
    mask[i] = u(gen) > -0.6f ? 1 : 0;
  }
  k::SurrogateInputs in;
  in.log_probs = lp.data();
  in.old_log_probs = olp.data();
  in.advantages = adv.data();
  in.mask = mask.data();
  in.size = n;
  in.clip_range = 0.2;
  in.clip_range_high = 0.3;
  in.dual_clip = 2.0;
  in.normalize_advantages = true;
  std::vector<float> g1(n), gt(n);
  const k::SurrogateResult r1 = k::clipped_surrogate(in, g1.data(), 1);
  for (unsigned t : {2u, 3u, 0u}) {
    const k::SurrogateResult rt = k::clipped_surrogate(in, gt.data(), t);
    CHECK(rt.loss == r1.loss && rt.clip_fraction == r1.clip_fraction && rt.approx_kl == r1.approx_kl &&
          rt.approx_kl_k1 == r1.approx_kl_k1 && rt.ratio_mean == r1.ratio_mean);
    CHECK(std::memcmp(g1.data(), gt.data(), n * sizeof(float)) == 0);
  }
  // Against a straightforward sequential double loop.
  double cnt = 0, sum = 0;
  for (std::size_t i = 0; i < n; ++i)
    if (mask[i]) cnt++, sum += adv[i];
  const double mean = sum / cnt;
  double ss = 0;
  for (std::size_t i = 0; i < n; ++i)
    if (mask[i]) ss += (adv[i] - mean) * (adv[i] - mean);
  const double scale = 1.0 / (std::sqrt(ss / (cnt - 1)) + 1e-8);
  double obj_sum = 0, ratio_sum = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (!mask[i]) continue;
    const double lr = static_cast<double>(lp[i]) - olp[i];
    const double r = std::exp(lr);
    const double a = (adv[i] - mean) * scale;
    const double cr = std::fmin(std::fmax(r, 0.8), 1.3);
    double obj = std::fmin(r * a, cr * a);
    if (a < 0 && obj < 2.0 * a) obj = 2.0 * a;
    obj_sum += obj;
    ratio_sum += r;
  }
  CHECK_NEAR(r1.loss, -obj_sum / cnt, 1e-12);
  CHECK_NEAR(r1.ratio_mean, ratio_sum / cnt, 1e-12);
}

/// Equal to `tol` relative, or the same non-finite value (NaN matches NaN).
bool same(double a, double b, double tol) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
  if (!std::isfinite(a) || !std::isfinite(b)) return a == b;
  return std::fabs(a - b) <= tol * std::fmax(std::fabs(b), 1e-300);
}

void test_simd_matches_portable() {
  // The AVX-512 and AVX2 copies (kAuto and kAvx2; the portable one on CPUs without them) against the
  // portable copy:
  // every size modulo 4 (the 4-wide steps and the padded tail), chunk and thread boundaries, masks,
  // dual clip, normalization, and e^x beyond its fast range (|log ratio| > 708: +0, subnormal and
  // +inf ratios) and NaN, in kept and in masked-out elements.
  std::mt19937 gen(99);
  std::uniform_real_distribution<float> u(-1.0f, 1.0f);
  for (const std::size_t n : {std::size_t{1}, std::size_t{2}, std::size_t{3}, std::size_t{4}, std::size_t{5},
                              std::size_t{7}, std::size_t{8}, std::size_t{61}, std::size_t{16387},
                              (std::size_t{1} << 18) + 7}) {
    for (int variant = 0; variant < 16; ++variant) {
      const bool masked = variant & 1, dual = variant & 2, normalize = variant & 4, extreme = variant & 8;
      std::vector<float> lp(n), olp(n), adv(n);
      std::vector<std::uint8_t> mask(n);
      for (std::size_t i = 0; i < n; ++i) {
        lp[i] = u(gen) * 0.5f - 1.0f;
        olp[i] = u(gen) * 0.5f - 1.0f;
        adv[i] = u(gen) * 3.0f;
        mask[i] = u(gen) > -0.5f ? 1 : 0;
      }
      if (extreme) {
        const float lps[] = {0.0f, 720.0f, -740.0f, -800.0f, 709.0f, -708.5f, 0.0f, 3.0f};
        const float olps[] = {800.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, -750.0f, 0.0f};
        for (std::size_t i = 0; i < n && i < 8; ++i) {
          lp[i] = lps[i];
          olp[i] = olps[i];
        }
        if (n > 9) {
          lp[9] = std::nanf("");
          mask[9] = 0;  // masked-out NaN: must not propagate
        }
        if (n > 20 && !masked) {
          olp[17] = std::nanf("");  // a kept NaN: NaN ratio, loss and gradient on every path
          mask[17] = 1;
          lp[18] = std::numeric_limits<float>::infinity();
          mask[18] = 1;
        }
      }
      k::SurrogateInputs in;
      in.log_probs = lp.data();
      in.old_log_probs = olp.data();
      in.advantages = adv.data();
      in.mask = masked || extreme ? mask.data() : nullptr;
      in.size = n;
      in.clip_range = 0.2;
      in.clip_range_high = 0.28;
      in.dual_clip = dual ? 3.0 : 0.0;
      in.normalize_advantages = normalize;
      std::vector<float> ga(n), gp(n);
      const k::SurrogateResult p = k::clipped_surrogate(in, gp.data(), 1, k::KernelPath::kPortable);
      for (const k::KernelPath path : {k::KernelPath::kAuto, k::KernelPath::kAvx2}) {
        const k::SurrogateResult a = k::clipped_surrogate(in, ga.data(), 0, path);
        CHECK(a.count == p.count);
        CHECK(same(a.loss, p.loss, 1e-12));
        CHECK(same(a.clip_fraction, p.clip_fraction, 1e-12));
        CHECK(same(a.approx_kl, p.approx_kl, 1e-12));
        CHECK(same(a.approx_kl_k1, p.approx_kl_k1, 1e-12));
        CHECK(same(a.ratio_mean, p.ratio_mean, 1e-12));
        std::size_t bad = 0;
        for (std::size_t i = 0; i < n; ++i) {
          const bool zero_ok = gp[i] != 0.0f || (ga[i] == 0.0f && std::signbit(ga[i]) == std::signbit(gp[i]));
          if (!same(ga[i], gp[i], 1e-6) || !zero_ok) ++bad;
        }
        CHECK(bad == 0);
        if (bad != 0) {
          std::fprintf(stderr, "  n = %zu, variant %d, path %d: %zu gradients differ\n", n, variant,
                       static_cast<int>(path), bad);
        }
      }
    }
  }
}

}  // namespace

int main() {
  test_hand_computed();
  test_dual_and_asymmetric();
  test_normalization();
  test_threads_deterministic();
  test_simd_matches_portable();
  std::printf("%d checks, %d failures\n", g_checks, g_failures);
  return g_failures == 0 ? 0 : 1;
}
