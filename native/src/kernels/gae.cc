#include "kernels/gae.h"

#include <atomic>
#include <cmath>
#include <vector>

#include "kernels/parallel.h"
#include "kernels/target.h"

namespace proximal::kernels {
namespace {

// One time step t of the backward recursion for a row segment of `width` columns. The pointers
// are already offset to (t, col_begin). Kept free of calls and aliasing stores so that it
// auto-vectorizes (the flags become blend masks; float -> double conversions are widened loads).
// `bad[i]` sums delta + v' over column i: delta = (r + boot) − v is finite exactly when r, v and
// (unless terminal) v' are, and v' is added itself, so the sum is non-finite exactly when an input
// read was NaN or infinite (finite float32 inputs cannot overflow a double sum over T steps). Two
// additions per element, and an elementwise update like last[i]: the loop stays the same plain
// vector loop (an integer test or a per-row reduction measurably slowed it).
template <bool kHasTruncated>
PROXIMAL_ALWAYS_INLINE void gae_row(const float* PROXIMAL_RESTRICT r, const float* PROXIMAL_RESTRICT v,
                                    const float* PROXIMAL_RESTRICT nv, const std::uint8_t* PROXIMAL_RESTRICT term,
                                    const std::uint8_t* PROXIMAL_RESTRICT trunc, float* PROXIMAL_RESTRICT adv,
                                    float* PROXIMAL_RESTRICT ret, double* PROXIMAL_RESTRICT last, std::size_t width,
                                    double* PROXIMAL_RESTRICT bad, double gamma, double gamma_lambda) {
  for (std::size_t i = 0; i < width; ++i) {
    // Every load is unconditional so that the selects below become blends (if-conversion).
    const double vi = static_cast<double>(v[i]);
    const double nvi = static_cast<double>(nv[i]);
    const double ri = static_cast<double>(r[i]);
    const double carry = last[i];
    const bool terminal = term[i] != 0;
    const bool done = kHasTruncated ? ((term[i] | trunc[i]) != 0) : terminal;
    // Same operation order as the float64 TypeScript reference: (r + boot) - v, then delta + carry.
    const double boot = terminal ? 0.0 : gamma * nvi;
    const double delta = (ri + boot) - vi;
    const double a = delta + (done ? 0.0 : gamma_lambda * carry);
    last[i] = a;
    adv[i] = static_cast<float>(a);
    ret[i] = static_cast<float>(a + vi);
    bad[i] += delta + nvi;
  }
}

template <bool kHasTruncated>
PROXIMAL_ALWAYS_INLINE bool gae_columns_impl(const GaeInputs& in, const GaeOutputs& out, std::size_t c0,
                                             std::size_t c1, double* last) {
  const std::size_t T = in.num_steps;
  const std::size_t N = in.num_envs;
  const std::size_t width = c1 - c0;
  const double gamma = in.gamma;
  const double gamma_lambda = in.gamma * in.lambda;
  for (std::size_t i = 0; i < width; ++i) last[i] = 0.0;  // A_T = 0
  std::vector<double> bad(width, 0.0);
  for (std::size_t t = T; t-- > 0;) {
    const std::size_t row = t * N + c0;
    const float* nv;
    if (in.next_values != nullptr) {
      nv = in.next_values + row;
    } else if (t + 1 == T) {
      nv = in.bootstrap_values + c0;
    } else {
      nv = in.values + row + N;
    }
    gae_row<kHasTruncated>(in.rewards + row, in.values + row, nv, in.terminated + row,
                           kHasTruncated ? in.truncated + row : nullptr, out.advantages + row, out.returns + row,
                           last, width, bad.data(), gamma, gamma_lambda);
  }
  bool any = false;
  for (std::size_t i = 0; i < width; ++i) any |= !std::isfinite(bad[i]);
  return any;
}

PROXIMAL_MULTIVERSION bool gae_columns_truncated(const GaeInputs& in, const GaeOutputs& out, std::size_t c0,
                                                 std::size_t c1, double* last) {
  return gae_columns_impl<true>(in, out, c0, c1, last);
}

PROXIMAL_MULTIVERSION bool gae_columns_plain(const GaeInputs& in, const GaeOutputs& out, std::size_t c0,
                                             std::size_t c1, double* last) {
  return gae_columns_impl<false>(in, out, c0, c1, last);
}

}  // namespace

bool gae_columns(const GaeInputs& in, const GaeOutputs& out, std::size_t col_begin, std::size_t col_end,
                 double* scratch) {
  if (col_end <= col_begin || in.num_steps == 0) return false;
  if (in.truncated != nullptr) return gae_columns_truncated(in, out, col_begin, col_end, scratch);
  return gae_columns_plain(in, out, col_begin, col_end, scratch);
}

unsigned gae_threads_used(std::size_t num_steps, std::size_t num_envs, unsigned threads) {
  threads = resolve_threads(threads);
  if (threads <= 1 || num_envs == 0 || num_steps * num_envs < kGaeParallelThreshold) return 1;
  const std::size_t by_columns = num_envs / kGaeMinColumnsPerThread;
  if (by_columns <= 1) return 1;
  return by_columns < threads ? static_cast<unsigned>(by_columns) : threads;
}

bool gae(const GaeInputs& in, const GaeOutputs& out, unsigned threads) {
  const std::size_t N = in.num_envs;
  if (N == 0 || in.num_steps == 0) return false;
  const unsigned parts = gae_threads_used(in.num_steps, N, threads);
  if (parts <= 1) {
    std::vector<double> last(N);
    return gae_columns(in, out, 0, N, last.data());
  }
  std::atomic<bool> bad{false};
  // Each thread owns a column range for the whole backward time loop, with its own running
  // A_{t+1} row (allocated by the thread itself, so it lives in that thread's cache).
  parallel_ranges(N, parts, kGaeColumnAlign, [&](std::size_t c0, std::size_t c1) {
    std::vector<double> last(c1 - c0);
    if (gae_columns(in, out, c0, c1, last.data())) bad.store(true, std::memory_order_relaxed);
  });
  return bad.load();
}

}  // namespace proximal::kernels
