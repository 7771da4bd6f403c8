// C++ tests of the GRPO kernels (ctest): hand-computed values, tied groups, padding that never
// leaks, thread-count invariance and the gradient against central finite differences.
//   node scripts/build.mjs --tests
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include "check.h"
#include "kernels/grpo.h"

namespace k = proximal::kernels;

namespace {

void test_advantages() {
  // groups of 2: [1, 3] (mean 2, std √2) and [5, 5] (tie)
  const float r[] = {1, 3, 5, 5};
  float adv[4], mean[2], sd[2];
  k::GroupAdvantagesOutputs out{adv, mean, sd};
  k::group_relative_advantages(r, 4, 2, k::RewardScaling::kGroup, out);
  CHECK_NEAR(adv[0], -1.0 / (std::sqrt(2.0) + 1e-4), 1e-6);
  CHECK_NEAR(adv[1], 1.0 / (std::sqrt(2.0) + 1e-4), 1e-6);
  CHECK(adv[2] == 0.0f && adv[3] == 0.0f);
  CHECK_NEAR(mean[0], 2, 0);
  CHECK_NEAR(sd[1], 0, 0);
  CHECK_NEAR(out.frac_zero_std, 0.5, 0);
  k::group_relative_advantages(r, 4, 2, k::RewardScaling::kNone, out);
  CHECK(adv[0] == -1.0f && adv[1] == 1.0f);
  k::group_relative_advantages(r, 4, 2, k::RewardScaling::kBatch, out);
  // batch: mean 3.5, squares 6.25 + 0.25 + 2.25 + 2.25 = 11, std √(11/3)
  CHECK_NEAR(out.batch_std, std::sqrt(11.0 / 3.0), 1e-12);
  CHECK_NEAR(adv[0], -1.0 / (std::sqrt(11.0 / 3.0) + 1e-4), 1e-6);
}

void test_hand_computed_loss() {
  // ratios 1.5 and 0.5 (old = 0), A = 1, ε = 0.2, 'grpo': token 0 clipped (loss −1.2, gradient 0),
  // token 1 unclipped (loss −0.5, gradient −0.5 / 2); loss = −0.85; high-clip fraction 1/2.
  const float lp[] = {std::log(1.5f), std::log(0.5f), 0.0f};
  const float old[] = {0, 0, 0};
  const float a[] = {1};
  const std::uint8_t m[] = {1, 1, 0};
  k::GrpoLossInputs in;
  in.log_probs = lp;
  in.old_log_probs = old;
  in.advantages = a;
  in.mask = m;
  in.num_sequences = 1;
  in.seq_len = 3;
  float g[3];
  const k::GrpoLossResult r = k::grpo_loss(in, g, 1);
  CHECK_NEAR(r.loss, -0.85, 1e-6);
  CHECK(g[0] == 0.0f && g[2] == 0.0f);
  CHECK_NEAR(g[1], -0.25, 1e-6);
  CHECK_NEAR(r.clip_high, 0.5, 0);
  CHECK_NEAR(r.clip_low, 0, 0);
  CHECK_NEAR(r.clip_region, 0.5, 0);
}

struct Problem {
  std::size_t B, L;
  std::vector<float> lp, old, ref, adv;
  std::vector<std::uint8_t> mask;
};

Problem random_problem(std::size_t B, std::size_t L, unsigned seed) {
  std::mt19937 gen(seed);
  std::uniform_real_distribution<float> u(-1.0f, 1.0f);
  Problem p{B, L, {}, {}, {}, {}, {}};
  for (std::size_t i = 0; i < B * L; ++i) {
    p.lp.push_back(-1.0f + 0.5f * u(gen));
    p.old.push_back(p.lp.back() + 0.3f * u(gen));
    p.ref.push_back(p.lp.back() + 0.3f * u(gen));
    p.mask.push_back(u(gen) > -0.6f ? 1 : 0);
  }
  for (std::size_t b = 0; b < B; ++b) p.adv.push_back(u(gen));
  return p;
}

k::GrpoLossInputs inputs_of(const Problem& p, k::GrpoLossType type, bool seq) {
  k::GrpoLossInputs in;
  in.log_probs = p.lp.data();
  in.old_log_probs = p.old.data();
  in.ref_log_probs = p.ref.data();
  in.advantages = p.adv.data();
  in.mask = p.mask.data();
  in.num_sequences = p.B;
  in.seq_len = p.L;
  in.loss_type = type;
  in.sequence_level = seq;
  in.beta = 0.04;
  in.epsilon_high = 0.28;
  in.max_completion_length = p.L + 3;
  return in;
}

void test_finite_differences() {
  const k::GrpoLossType types[] = {k::GrpoLossType::kGrpo, k::GrpoLossType::kBnpo, k::GrpoLossType::kDrGrpo,
                                   k::GrpoLossType::kDapo};
  for (k::GrpoLossType type : types) {
    for (bool seq : {false, true}) {
      Problem p = random_problem(3, 5, 7);
      std::vector<float> g(p.B * p.L);
      k::grpo_loss(inputs_of(p, type, seq), g.data(), 1);
      std::vector<float> scratch(p.B * p.L);
      for (std::size_t i = 0; i < p.B * p.L; ++i) {
        const float x = p.lp[i];
        const float h = 1e-3f;
        p.lp[i] = x + h;
        const double up = k::grpo_loss(inputs_of(p, type, seq), scratch.data(), 1).loss;
        p.lp[i] = x - h;
        const double down = k::grpo_loss(inputs_of(p, type, seq), scratch.data(), 1).loss;
        p.lp[i] = x;
        const double fd = (up - down) / (static_cast<double>(x + h) - static_cast<double>(x - h));
        if (!p.mask[i]) {
          CHECK(g[i] == 0.0f);
          CHECK(up == down);  // padding never contributes
        } else {
          CHECK_NEAR(g[i], fd, 1e-5);
        }
      }
    }
  }
}

void test_padding_and_threads() {
  Problem p = random_problem(64, 1100, 3);  // above the parallel threshold
  std::vector<float> g1(p.B * p.L), g4(p.B * p.L);
  const k::GrpoLossInputs in = inputs_of(p, k::GrpoLossType::kBnpo, false);
  const k::GrpoLossResult r1 = k::grpo_loss(in, g1.data(), 1);
  const k::GrpoLossResult r4 = k::grpo_loss(in, g4.data(), 4);
  CHECK(r1.loss == r4.loss && r1.mean_kl == r4.mean_kl && r1.clip_region == r4.clip_region);
  CHECK(g1 == g4);
  // NaN at every padded position changes nothing
  Problem q = p;
  const float nan = std::numeric_limits<float>::quiet_NaN();
  for (std::size_t i = 0; i < q.B * q.L; ++i) {
    if (!q.mask[i]) q.lp[i] = q.old[i] = q.ref[i] = nan;
  }
  std::vector<float> gq(p.B * p.L);
  const k::GrpoLossResult rq = k::grpo_loss(inputs_of(q, k::GrpoLossType::kBnpo, false), gq.data(), 2);
  CHECK(rq.loss == r1.loss);
  CHECK(gq == g1);
}

}  // namespace

int main() {
  test_advantages();
  test_hand_computed_loss();
  test_finite_differences();
  test_padding_and_threads();
  std::printf("%d checks, %d failures\n", g_checks, g_failures);
  return g_failures == 0 ? 0 : 1;
}
