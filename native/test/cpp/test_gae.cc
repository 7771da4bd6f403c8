// C++ unit tests of the CPU GAE kernel and its helpers (no framework; run by ctest).
//   node scripts/build.mjs --tests      (configures build-tests/, builds, runs ctest)
#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <mutex>
#include <random>
#include <stdexcept>
#include <vector>

#include "check.h"
#include "kernels/flags.h"
#include "kernels/gae.h"
#include "kernels/parallel.h"
#include "kernels/target.h"

namespace k = proximal::kernels;


namespace {

struct Problem {
  std::size_t T = 0, N = 0;
  std::vector<float> rewards, values, next_values, bootstrap;
  std::vector<std::uint8_t> terminated, truncated;
  bool use_next = true, use_truncated = true;

  k::GaeInputs inputs(double gamma, double lambda) const {
    k::GaeInputs in;
    in.rewards = rewards.data();
    in.values = values.data();
    in.next_values = use_next ? next_values.data() : nullptr;
    in.bootstrap_values = use_next ? nullptr : bootstrap.data();
    in.terminated = terminated.data();
    in.truncated = use_truncated ? truncated.data() : nullptr;
    in.num_steps = T;
    in.num_envs = N;
    in.gamma = gamma;
    in.lambda = lambda;
    return in;
  }
};

// Straightforward float64 reference, written independently of the kernel (per column, backwards).
void reference(const Problem& p, double gamma, double lambda, std::vector<float>& adv, std::vector<float>& ret) {
  adv.assign(p.T * p.N, 0.f);
  ret.assign(p.T * p.N, 0.f);
  for (std::size_t n = 0; n < p.N; ++n) {
    double next_adv = 0.0;
    for (std::size_t t = p.T; t-- > 0;) {
      const std::size_t i = t * p.N + n;
      double v_next;
      if (p.use_next) {
        v_next = p.next_values[i];
      } else {
        v_next = t + 1 == p.T ? p.bootstrap[n] : p.values[i + p.N];
      }
      const bool term = p.terminated[i] != 0;
      const bool done = term || (p.use_truncated && p.truncated[i] != 0);
      const double delta = (static_cast<double>(p.rewards[i]) + (term ? 0.0 : gamma * v_next)) - p.values[i];
      const double a = delta + (done ? 0.0 : gamma * lambda * next_adv);
      next_adv = a;
      adv[i] = static_cast<float>(a);
      ret[i] = static_cast<float>(a + p.values[i]);
    }
  }
}

Problem random_problem(std::mt19937_64& rng, std::size_t T, std::size_t N, bool use_next, bool use_truncated) {
  Problem p;
  p.T = T;
  p.N = N;
  p.use_next = use_next;
  p.use_truncated = use_truncated;
  std::uniform_real_distribution<float> u(-2.f, 2.f);
  std::bernoulli_distribution flag(0.05);
  const std::size_t S = T * N;
  p.rewards.resize(S);
  p.values.resize(S);
  p.next_values.resize(S);
  p.terminated.resize(S);
  p.truncated.resize(S);
  p.bootstrap.resize(N);
  for (std::size_t i = 0; i < S; ++i) {
    p.rewards[i] = u(rng);
    p.values[i] = u(rng);
    p.next_values[i] = u(rng);
    p.terminated[i] = flag(rng) ? 1 : 0;
    p.truncated[i] = flag(rng) ? 1 : 0;
  }
  for (auto& b : p.bootstrap) b = u(rng);
  return p;
}

bool bit_equal(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0);
}

void test_hand_computed_terminated() {
  // T = 3, N = 1, gamma = 0.5, lambda = 0.5, terminated at t = 1, nextValues given.
  Problem p;
  p.T = 3;
  p.N = 1;
  p.rewards = {1, 2, 3};
  p.values = {0.5f, 1, 1.5f};
  p.next_values = {1, 4, 2};
  p.terminated = {0, 1, 0};
  p.truncated = {0, 0, 0};
  p.use_truncated = false;
  std::vector<float> adv(3), ret(3);
  CHECK(!k::gae(p.inputs(0.5, 0.5), {adv.data(), ret.data()}, 1));
  // t=2: delta = 3 + 0.5*2 - 1.5 = 2.5; A = 2.5
  // t=1: terminated: delta = 2 - 1 = 1; A = 1 (no carry)
  // t=0: delta = 1 + 0.5*1 - 0.5 = 1; A = 1 + 0.25*1 = 1.25
  CHECK_NEAR(adv[2], 2.5, 1e-7);
  CHECK_NEAR(adv[1], 1.0, 1e-7);
  CHECK_NEAR(adv[0], 1.25, 1e-7);
  CHECK_NEAR(ret[0], 1.75, 1e-7);
  CHECK_NEAR(ret[1], 2.0, 1e-7);
  CHECK_NEAR(ret[2], 4.0, 1e-7);
}

void test_hand_computed_truncated() {
  // Truncated at t = 0 of env 1: bootstraps from nextValues but does not carry A_1.
  Problem p;
  p.T = 2;
  p.N = 2;
  p.rewards = {1, 1, 0, 0};
  p.values = {0, 0, 1, 1};
  p.next_values = {1, 10, 2, 2};
  p.terminated = {0, 0, 0, 0};
  p.truncated = {0, 1, 0, 0};
  std::vector<float> adv(4), ret(4);
  k::gae(p.inputs(1.0, 1.0), {adv.data(), ret.data()}, 1);
  // t=1: delta = 0 + 2 - 1 = 1 for both envs.
  CHECK_NEAR(adv[2], 1.0, 1e-7);
  CHECK_NEAR(adv[3], 1.0, 1e-7);
  // env 0, t=0: delta = 1 + 1 - 0 = 2, carry 1 -> 3.  env 1: delta = 1 + 10 = 11, no carry.
  CHECK_NEAR(adv[0], 3.0, 1e-7);
  CHECK_NEAR(adv[1], 11.0, 1e-7);
  CHECK_NEAR(ret[1], 11.0, 1e-7);
}

void test_hand_computed_bootstrap() {
  // CleanRL form: v'_t = v_{t+1}, bootstrap at T-1.
  Problem p;
  p.T = 2;
  p.N = 1;
  p.rewards = {1, 1};
  p.values = {2, 3};
  p.bootstrap = {4};
  p.terminated = {0, 0};
  p.use_next = false;
  p.use_truncated = false;
  std::vector<float> adv(2), ret(2);
  k::gae(p.inputs(0.5, 1.0), {adv.data(), ret.data()}, 1);
  // t=1: delta = 1 + 0.5*4 - 3 = 0.  t=0: delta = 1 + 0.5*3 - 2 = 0.5, carry 0.5*0 -> 0.5
  CHECK_NEAR(adv[1], 0.0, 1e-7);
  CHECK_NEAR(adv[0], 0.5, 1e-7);
  CHECK_NEAR(ret[0], 2.5, 1e-7);
  CHECK_NEAR(ret[1], 3.0, 1e-7);
}

void test_masked_nonfinite_does_not_leak() {
  Problem p;
  p.T = 2;
  p.N = 1;
  p.rewards = {1, NAN};
  p.values = {0, 0};
  p.next_values = {0, INFINITY};
  p.terminated = {0, 1};  // t=1 is terminal: its next value is ignored
  p.truncated = {1, 0};   // t=0 is cut: A_1 (NaN) is not carried
  std::vector<float> adv(2), ret(2);
  // gae() reports the non-finite inputs it read (its fused check), masked or not.
  CHECK(k::gae(p.inputs(0.9, 0.9), {adv.data(), ret.data()}, 1));
  CHECK(std::isnan(adv[1]));
  CHECK_NEAR(adv[0], 1.0, 0);
  p.rewards = {1, 2};
  CHECK(k::gae(p.inputs(0.9, 0.9), {adv.data(), ret.data()}, 1));  // the masked next value alone
  p.next_values = {0, 3.0e38f};
  p.values = {-3.0e38f, 3.0e38f};  // large but finite: no report
  CHECK(!k::gae(p.inputs(0.9, 0.9), {adv.data(), ret.data()}, 1));
}

void test_random_against_reference() {
  std::mt19937_64 rng(1234);
  const std::size_t shapes[][2] = {{1, 1}, {1, 7}, {5, 1}, {17, 3}, {64, 33}, {33, 64}, {3, 1000},
                                   {300, 1024}, {520, 517}, {2048, 130}, {70, 4099}};
  int cases = 0;
  for (const auto& shape : shapes) {
    for (int variant = 0; variant < 3; ++variant) {
      const bool use_next = variant != 2;
      const bool use_truncated = variant == 1;
      Problem p = random_problem(rng, shape[0], shape[1], use_next, use_truncated);
      std::vector<float> ref_adv, ref_ret;
      const double gamma = 0.99, lambda = 0.95;
      reference(p, gamma, lambda, ref_adv, ref_ret);
      for (unsigned threads : {1u, 2u, 3u, 8u, 0u}) {
        std::vector<float> adv(p.T * p.N, -1.f), ret(p.T * p.N, -1.f);
        k::gae(p.inputs(gamma, lambda), {adv.data(), ret.data()}, threads);
        const bool ok = bit_equal(adv, ref_adv) && bit_equal(ret, ref_ret);
        CHECK(ok);
        if (!ok) {
          std::fprintf(stderr, "  shape [%zu, %zu] variant %d threads %u\n", p.T, p.N, variant, threads);
        }
        ++cases;
      }
    }
  }
  std::printf("  random vs reference: %d cases bit-identical\n", cases);
}

void test_gamma_lambda_edges() {
  std::mt19937_64 rng(7);
  for (double gamma : {0.0, 1.0}) {
    for (double lambda : {0.0, 1.0}) {
      Problem p = random_problem(rng, 40, 9, true, true);
      std::vector<float> ref_adv, ref_ret, adv(p.T * p.N), ret(p.T * p.N);
      reference(p, gamma, lambda, ref_adv, ref_ret);
      k::gae(p.inputs(gamma, lambda), {adv.data(), ret.data()}, 1);
      CHECK(bit_equal(adv, ref_adv) && bit_equal(ret, ref_ret));
    }
  }
}

void test_empty() {
  Problem p;
  p.T = 0;
  p.N = 4;
  p.bootstrap = {1, 2, 3, 4};
  p.use_next = false;
  p.use_truncated = false;
  k::gae(p.inputs(0.9, 0.9), {nullptr, nullptr}, 0);  // must not touch anything
  CHECK(true);
}

void test_threads_used() {
  CHECK(k::gae_threads_used(1024, 8192, 1) == 1);
  CHECK(k::gae_threads_used(1024, 8192, 4) == 4);
  CHECK(k::gae_threads_used(10, 10, 8) == 1);               // below the size threshold
  CHECK(k::gae_threads_used(1 << 20, 1, 8) == 1);           // one column: nothing to split
  CHECK(k::gae_threads_used(1 << 16, 64, 8) == 2);          // 32 columns per thread at least
  CHECK(k::gae_threads_used(1024, 8192, 0) == std::min<unsigned>(k::hardware_threads(), 256));
}

void test_parallel_ranges() {
  const std::size_t sizes[] = {0, 1, 15, 16, 17, 100, 1000, 4096};
  for (std::size_t n : sizes) {
    for (unsigned parts : {1u, 2u, 3u, 7u, 64u}) {
      std::vector<int> hits(n, 0);
      std::mutex m;
      bool aligned = true;
      k::parallel_ranges(n, parts, 16, [&](std::size_t b, std::size_t e) {
        std::lock_guard<std::mutex> lock(m);
        if (b % 16 != 0) aligned = false;
        for (std::size_t i = b; i < e; ++i) ++hits[i];
      });
      bool once = true;
      for (int h : hits) once = once && h == 1;
      CHECK(once);
      CHECK(aligned);
    }
  }
  // An exception in a worker thread is rethrown in the caller after all threads joined.
  std::atomic<int> ran{0};
  bool caught = false;
  try {
    k::parallel_ranges(64, 4, 16, [&](std::size_t b, std::size_t) {
      ++ran;
      if (b == 32) throw std::runtime_error("boom");
    });
  } catch (const std::runtime_error&) {
    caught = true;
  }
  CHECK(caught);
  CHECK(ran.load() == 4);
}

void test_flags() {
  std::vector<std::uint8_t> f(10000, 0);
  CHECK(k::first_invalid_flag(f.data(), f.size()) == -1);
  CHECK(k::first_invalid_flag(nullptr, 0) == -1);
  f[4097] = 1;
  CHECK(k::first_invalid_flag(f.data(), f.size()) == -1);
  f[9000] = 2;
  f[9500] = 255;
  CHECK(k::first_invalid_flag(f.data(), f.size()) == 9000);
  f[3] = 7;
  CHECK(k::first_invalid_flag(f.data(), f.size()) == 3);
}

void test_first_non_finite() {
  const std::size_t n = (std::size_t{1} << 19) + 11;  // above the threading threshold
  std::vector<float> x(n, 1.5f);
  std::vector<std::uint8_t> mask(n, 1);
  CHECK(k::first_non_finite(x.data(), n) == -1);
  CHECK(k::first_non_finite(static_cast<const float*>(nullptr), 0) == -1);
  x[n - 1] = std::numeric_limits<float>::quiet_NaN();
  x[300000] = -std::numeric_limits<float>::infinity();
  x[9000] = std::numeric_limits<float>::max();  // finite
  for (unsigned threads : {1u, 2u, 3u, 7u, 0u}) {
    CHECK(k::first_non_finite(x.data(), n, nullptr, threads) == 300000);
  }
  mask[300000] = 0;  // masked out: the next bad element counts
  CHECK(k::first_non_finite(x.data(), n, mask.data(), 3) == static_cast<std::ptrdiff_t>(n - 1));
  x[5] = std::numeric_limits<float>::infinity();
  CHECK(k::first_non_finite(x.data(), n, mask.data(), 2) == 5);
  std::vector<double> d = {0.0, 1e308, -1e308, std::nan("")};
  CHECK(k::first_non_finite(d.data(), d.size()) == 3);
  CHECK(k::first_non_finite(d.data(), 3) == -1);
}

}  // namespace

int main() {
  std::printf("proximal C++ kernel tests (simd: %s, hardware threads: %u)\n", k::simd_level(), k::hardware_threads());
  test_hand_computed_terminated();
  test_hand_computed_truncated();
  test_hand_computed_bootstrap();
  test_masked_nonfinite_does_not_leak();
  test_random_against_reference();
  test_gamma_lambda_edges();
  test_empty();
  test_threads_used();
  test_parallel_ranges();
  test_flags();
  test_first_non_finite();
  std::printf("%d checks, %d failures\n", g_checks, g_failures);
  return g_failures == 0 ? 0 : 1;
}
