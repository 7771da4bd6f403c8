#include "kernels/line_search.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <vector>

#include "kernels/parallel.h"

namespace proximal::kernels {
namespace {

constexpr double kPi = 3.141592653589793;  // Math.PI

/// log-softmax of o[0, n) into out (the reference's logSoftmax: max, Σ e^(o - max), o - lse).
void log_softmax(const double* o, std::size_t n, double* out) {
  double mx = o[0];
  for (std::size_t j = 1; j < n; ++j) {
    if (o[j] > mx) mx = o[j];
  }
  double sum = 0;
  for (std::size_t j = 0; j < n; ++j) sum += std::exp(o[j] - mx);
  const double lse = mx + std::log(sum);
  for (std::size_t j = 0; j < n; ++j) out[j] = o[j] - lse;
}

struct Partial {
  double kl = 0;
  double surrogate = 0;
};

/// Per-block partial sums of the KL (and, with `surr`, of the surrogate) over the batch, in block order.
std::vector<Partial> evaluate(const PolicyView& old_policy, const PolicyView& new_policy, const float* states,
                              std::size_t batch, unsigned threads, const SurrogateKlInputs* surr) {
  const MlpSpec& so = *old_policy.spec;
  const MlpSpec& sn = *new_policy.spec;
  MlpPacked po, pn;
  mlp_pack(so, old_policy.params, /*transposed=*/false, po);
  mlp_pack(sn, new_policy.params, /*transposed=*/false, pn);
  const std::size_t rows = std::min(mlp_block_rows(so), mlp_block_rows(sn));
  const std::size_t blocks = (batch + rows - 1) / rows;
  const std::size_t in = so.input_size();
  const std::size_t od = so.output_size();
  const bool gaussian = old_policy.head == PolicyHead::kDiagGaussian;

  // Gaussian head: the log-stds ℓ (after each policy's own MLP parameters) and the factors of the KL.
  std::vector<double> l0, l1, var0, twice_var1, sigma1;
  if (gaussian) {
    const float* ls0 = old_policy.params + so.param_count();
    const float* ls1 = new_policy.params + sn.param_count();
    l0.resize(od);
    l1.resize(od);
    var0.resize(od);
    twice_var1.resize(od);
    sigma1.resize(od);
    for (std::size_t j = 0; j < od; ++j) {
      l0[j] = static_cast<double>(ls0[j]);
      l1[j] = static_cast<double>(ls1[j]);
      var0[j] = std::exp(2 * l0[j]);
      twice_var1[j] = 2 * std::exp(2 * l1[j]);
      sigma1[j] = std::exp(l1[j]);
    }
  }
  const double half_log_2pi = 0.5 * std::log(2 * kPi);

  std::vector<Partial> partials(blocks);
  const unsigned parts = line_search_threads_used(batch, threads, rows);
  // Each thread claims blocks one at a time (both stay busy to the end when one runs slower).
  std::atomic<std::size_t> next{0};
  parallel_ranges(parts, parts, 1, [&](std::size_t, std::size_t) {
    MlpWorkspace wo(so, rows), wn(sn, rows);
    std::vector<double> a(od), b(od);
    for (std::size_t blk = next.fetch_add(1, std::memory_order_relaxed); blk < blocks;
         blk = next.fetch_add(1, std::memory_order_relaxed)) {
      const std::size_t r0 = blk * rows;
      const std::size_t n = std::min(rows, batch - r0);
      mlp_block_forward(so, po, states + r0 * in, n, wo);
      mlp_block_forward(sn, pn, states + r0 * in, n, wn);
      const double* out_old = wo.h.back().data();
      const double* out_new = wn.h.back().data();
      Partial p;
      for (std::size_t r = 0; r < n; ++r) {
        const double* x = out_old + r * od;  // logits or means of π_old
        const double* y = out_new + r * od;  // ... of π_new
        const std::size_t s = r0 + r;
        double log_prob = 0;  // log π_new(a_s | s)
        if (!gaussian) {
          log_softmax(x, od, a.data());
          log_softmax(y, od, b.data());
          for (std::size_t j = 0; j < od; ++j) p.kl += std::exp(a[j]) * (a[j] - b[j]);
          if (surr != nullptr) log_prob = b[static_cast<std::size_t>(surr->actions[s])];
        } else {
          for (std::size_t j = 0; j < od; ++j) {
            const double dm = x[j] - y[j];
            p.kl += l1[j] - l0[j] + (var0[j] + dm * dm) / twice_var1[j] - 0.5;
          }
          if (surr != nullptr) {
            const float* act = surr->continuous_actions + s * od;
            for (std::size_t j = 0; j < od; ++j) {
              const double z = (static_cast<double>(act[j]) - y[j]) / sigma1[j];
              log_prob += -0.5 * z * z - l1[j] - half_log_2pi;
            }
          }
        }
        if (surr != nullptr) {
          p.surrogate += std::exp(log_prob - static_cast<double>(surr->old_log_probs[s])) *
                         static_cast<double>(surr->advantages[s]);
        }
      }
      partials[blk] = p;
    }
  });
  return partials;
}

}  // namespace

unsigned line_search_threads_used(std::size_t batch, unsigned threads, std::size_t block_rows) {
  return fvp_threads_used(batch, threads, block_rows);
}

double mean_kl(const PolicyView& old_policy, const PolicyView& new_policy, const float* states, std::size_t batch,
               unsigned threads) {
  double kl = 0;
  for (const Partial& p : evaluate(old_policy, new_policy, states, batch, threads, nullptr)) kl += p.kl;
  return kl / static_cast<double>(batch);
}

SurrogateKl surrogate_and_kl(const SurrogateKlInputs& in, unsigned threads) {
  const PolicyView old_policy{in.spec, in.head, in.old_params};
  const PolicyView new_policy{in.spec, in.head, in.new_params};
  SurrogateKl out;
  for (const Partial& p : evaluate(old_policy, new_policy, in.states, in.batch, threads, &in)) {
    out.kl += p.kl;
    out.surrogate += p.surrogate;
  }
  out.kl /= static_cast<double>(in.batch);
  out.surrogate /= static_cast<double>(in.batch);
  return out;
}

}  // namespace proximal::kernels
