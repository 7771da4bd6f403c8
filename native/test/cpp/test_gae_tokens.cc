// C++ tests of the token-level GAE kernel and of the surrogate's sequence aggregations (ctest).
//   node scripts/build.mjs --tests
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <random>
#include <vector>

#include "kernels/gae_tokens.h"
#include "kernels/surrogate.h"

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

namespace {

void test_hand_computed() {
  // Row 0: mask [1, 0, 1, 0], γ = λ = 0.5, bootstrap 2 → A = [2.25, 0, 1, 0], R = [2.75, 0, 2, 0].
  // Row 1: all masked → zeros (NaN inputs there are never read as numbers).
  const float nan = std::nanf("");
  const std::vector<float> r = {2, nan, 1, nan, nan, nan, nan, nan};
  const std::vector<float> v = {0.5f, nan, 1, nan, nan, nan, nan, nan};
  const std::vector<std::uint8_t> m = {1, 0, 1, 0, 0, 0, 0, 0};
  const std::vector<float> boot = {2, 5};
  std::vector<float> adv(8, 7.0f), ret(8, 7.0f);
  k::GaeTokensInputs in;
  in.rewards = r.data();
  in.values = v.data();
  in.mask = m.data();
  in.bootstrap_values = boot.data();
  in.batch_size = 2;
  in.seq_len = 4;
  in.gamma = 0.5;
  in.lambda = 0.5;
  k::gae_tokens(in, {adv.data(), ret.data()}, 1);
  const float want_adv[] = {2.25f, 0, 1, 0, 0, 0, 0, 0};
  const float want_ret[] = {2.75f, 0, 2, 0, 0, 0, 0, 0};
  for (int i = 0; i < 8; ++i) {
    CHECK(adv[i] == want_adv[i]);
    CHECK(ret[i] == want_ret[i]);
  }
}

void test_threads_same_bits() {
  const std::size_t B = 300, L = 700;
  std::mt19937 gen(7);
  std::uniform_real_distribution<float> u(-2, 2);
  std::vector<float> r(B * L), v(B * L), boot(B);
  std::vector<std::uint8_t> m(B * L);
  for (std::size_t i = 0; i < B * L; ++i) {
    r[i] = u(gen);
    v[i] = u(gen);
    m[i] = u(gen) > -1.0f ? 1 : 0;
  }
  for (auto& x : boot) x = u(gen);
  k::GaeTokensInputs in;
  in.rewards = r.data();
  in.values = v.data();
  in.mask = m.data();
  in.bootstrap_values = boot.data();
  in.batch_size = B;
  in.seq_len = L;
  in.gamma = 0.99;
  in.lambda = 0.95;
  std::vector<float> a1(B * L), r1(B * L), a4(B * L), r4(B * L);
  k::gae_tokens(in, {a1.data(), r1.data()}, 1);
  k::gae_tokens(in, {a4.data(), r4.data()}, 4);
  CHECK(k::gae_tokens_threads_used(B, L, 4) == 4);
  CHECK(std::memcmp(a1.data(), a4.data(), a1.size() * sizeof(float)) == 0);
  CHECK(std::memcmp(r1.data(), r4.data(), r1.size() * sizeof(float)) == 0);
}

void test_seq_aggregation() {
  // ratio 1: objective = advantage. Sequences (L = 3): masks [1,1,0] / [0,1,0], A [1,2,9] / [9,4,9].
  const std::vector<float> lp(6, 0.0f), olp(6, 0.0f), adv = {1, 2, 9, 9, 4, 9};
  const std::vector<std::uint8_t> mask = {1, 1, 0, 0, 1, 0};
  std::vector<float> grad(6, 7.0f);
  k::SurrogateInputs in;
  in.log_probs = lp.data();
  in.old_log_probs = olp.data();
  in.advantages = adv.data();
  in.mask = mask.data();
  in.size = 6;
  in.seq_len = 3;
  in.aggregation = k::LossAggregation::kSeqMeanTokenSum;
  k::SurrogateResult res = k::clipped_surrogate(in, grad.data(), 1);
  CHECK(std::fabs(res.loss + 3.5) < 1e-12);
  CHECK(grad[0] == -0.5f && grad[1] == -1.0f && grad[4] == -2.0f && grad[2] == 0.0f && !std::signbit(grad[2]));
  in.aggregation = k::LossAggregation::kSeqMeanTokenMean;
  res = k::clipped_surrogate(in, grad.data(), 1);
  CHECK(std::fabs(res.loss + 2.75) < 1e-12);
  CHECK(grad[0] == -0.25f && grad[1] == -0.5f && grad[4] == -2.0f);
  CHECK(res.ratio_mean == 1.0 && res.count == 3);
}

}  // namespace

int main() {
  test_hand_computed();
  test_threads_same_bits();
  test_seq_aggregation();
  std::printf("test_gae_tokens: %d checks, %d failures\n", g_checks, g_failures);
  return g_failures == 0 ? 0 : 1;
}
