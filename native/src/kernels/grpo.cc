#include "kernels/grpo.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "kernels/parallel.h"

namespace proximal::kernels {

void group_relative_advantages(const float* rewards, std::size_t n, std::size_t group_size, RewardScaling scaling,
                               GroupAdvantagesOutputs& out) {
  const std::size_t g = group_size;
  const std::size_t groups = n / g;
  std::vector<double> means(groups), stds(groups);
  std::size_t zero = 0;
  for (std::size_t k = 0; k < groups; ++k) {
    double s = 0;
    for (std::size_t i = k * g; i < (k + 1) * g; ++i) s += static_cast<double>(rewards[i]);
    const double mean = s / static_cast<double>(g);
    double ss = 0;
    for (std::size_t i = k * g; i < (k + 1) * g; ++i) {
      const double d = static_cast<double>(rewards[i]) - mean;
      ss += d * d;
    }
    const double std_dev = std::sqrt(ss / static_cast<double>(g - 1));
    means[k] = mean;
    stds[k] = std_dev;
    out.group_mean[k] = static_cast<float>(mean);
    out.group_std[k] = static_cast<float>(std_dev);
    if (std_dev <= 1e-8) ++zero;
  }
  double s = 0;
  for (std::size_t i = 0; i < n; ++i) s += static_cast<double>(rewards[i]);
  const double batch_mean = s / static_cast<double>(n);
  double ss = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double d = static_cast<double>(rewards[i]) - batch_mean;
    ss += d * d;
  }
  const double batch_std = std::sqrt(ss / static_cast<double>(n - 1));
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t k = i / g;
    const double centred = static_cast<double>(rewards[i]) - means[k];
    double a = centred;
    if (scaling == RewardScaling::kGroup) a = centred / (stds[k] + 1e-4);
    if (scaling == RewardScaling::kBatch) a = centred / (batch_std + 1e-4);
    out.advantages[i] = static_cast<float>(a);
  }
  out.batch_std = batch_std;
  out.frac_zero_std = static_cast<double>(zero) / static_cast<double>(groups);
}

namespace {

struct RowStats {
  double loss = 0;  // the row's contribution to the loss sum (÷ n_b for grpo)
  double kl = 0;
  double low = 0, high = 0, region = 0;
};

struct Surrogate {
  double loss;        // −min(coef1·A, coef2·A)
  double derivative;  // ∂loss/∂coef1 (before the δ clamp)
  int flags;          // bit 0 low-clipped, bit 1 high-clipped
};

inline Surrogate surrogate(double raw, double a, double lo, double hi, bool has_delta, double delta) {
  const double c2 = raw < lo ? lo : (raw > hi ? hi : raw);
  const bool over = has_delta && raw > delta;
  const double c1 = over ? delta : raw;
  const double l1 = c1 * a;
  const double l2 = c2 * a;
  const double g1 = over ? 0.0 : 1.0;
  const double g2 = (raw >= lo && raw <= hi) ? 1.0 : 0.0;
  Surrogate s;
  s.loss = -(l1 < l2 ? l1 : l2);
  s.derivative = l1 < l2 ? -a * g1 : (l2 < l1 ? -a * g2 : (-a * (g1 + g2)) / 2);
  s.flags = ((c1 < lo && a < 0) ? 1 : 0) | ((c1 > hi && a > 0) ? 2 : 0);
  return s;
}

}  // namespace

GrpoLossResult grpo_loss(const GrpoLossInputs& in, float* grad, unsigned threads) {
  const std::size_t B = in.num_sequences;
  const std::size_t L = in.seq_len;
  GrpoLossResult res;
  if (B == 0 || L == 0) return res;
  const float* old = in.old_log_probs != nullptr ? in.old_log_probs : in.log_probs;
  const float* ref = in.ref_log_probs;
  const double lo = 1.0 - in.epsilon;
  const double hi = 1.0 + in.epsilon_high;
  const double beta = in.beta;
  const double Bd = static_cast<double>(B);

  std::vector<double> counts(B);
  double total = 0;
  for (std::size_t b = 0; b < B; ++b) {
    const std::uint8_t* m = in.mask + b * L;
    double c = 0;
    for (std::size_t t = 0; t < L; ++t) c += m[t];
    counts[b] = c;
    total += c;
  }
  const double total_den = std::max(1.0, total);

  std::vector<RowStats> rows(B);
  auto run_rows = [&](std::size_t b0, std::size_t b1) {
    for (std::size_t b = b0; b < b1; ++b) {
      const std::size_t row = b * L;
      float* g_row = grad + row;
      const std::uint8_t* m = in.mask + row;
      const double n = counts[b];
      if (n == 0) {
        std::fill(g_row, g_row + L, 0.0f);
        continue;
      }
      const double a = static_cast<double>(in.advantages[b]);
      const double w = in.loss_type == GrpoLossType::kGrpo
                           ? 1.0 / (Bd * n)
                           : (in.loss_type == GrpoLossType::kDrGrpo
                                  ? 1.0 / (Bd * static_cast<double>(in.max_completion_length))
                                  : 1.0 / total_den);
      RowStats st;
      double row_loss = 0;
      auto kl_term = [&](std::size_t t) -> double {
        if (ref == nullptr) return 0.0;
        const double d = static_cast<double>(ref[row + t]) - static_cast<double>(in.log_probs[row + t]);
        const double e = std::exp(d);
        const double k3 = e - d - 1.0;
        st.kl += k3;
        if (beta == 0) return 0.0;
        row_loss += beta * k3;
        return w * beta * (1.0 - e);
      };
      auto count = [&](int flags) {
        st.low += flags & 1;
        st.high += flags >> 1;
        st.region += flags == 0 ? 0 : 1;
      };
      if (in.sequence_level) {
        double s = 0;
        for (std::size_t t = 0; t < L; ++t) {
          if (m[t]) s += static_cast<double>(in.log_probs[row + t]) - static_cast<double>(old[row + t]);
        }
        const double coef = std::exp(s / n);
        const Surrogate sur = surrogate(coef, a, lo, hi, in.has_delta, in.delta);
        count(sur.flags);
        const double g = w * sur.derivative * coef;
        for (std::size_t t = 0; t < L; ++t) {
          if (!m[t]) {
            g_row[t] = 0.0f;
            continue;
          }
          row_loss += sur.loss;
          g_row[t] = static_cast<float>(g + kl_term(t));
        }
      } else {
        for (std::size_t t = 0; t < L; ++t) {
          if (!m[t]) {
            g_row[t] = 0.0f;
            continue;
          }
          const double raw =
              std::exp(static_cast<double>(in.log_probs[row + t]) - static_cast<double>(old[row + t]));
          const Surrogate sur = surrogate(raw, a, lo, hi, in.has_delta, in.delta);
          count(sur.flags);
          row_loss += sur.loss;
          g_row[t] = static_cast<float>(w * sur.derivative * raw + kl_term(t));
        }
      }
      st.loss = in.loss_type == GrpoLossType::kGrpo ? row_loss / n : row_loss;
      rows[b] = st;
    }
  };
  unsigned parts = 1;
  if (B > 1 && B * L >= kGrpoParallelThreshold) {
    parts = resolve_threads(threads);
    if (parts > B) parts = static_cast<unsigned>(B);
  }
  parallel_ranges(B, parts, 1, run_rows);

  double loss_sum = 0, kl_sum = 0, low = 0, high = 0, region = 0;
  for (std::size_t b = 0; b < B; ++b) {
    loss_sum += rows[b].loss;
    kl_sum += rows[b].kl;
    low += rows[b].low;
    high += rows[b].high;
    region += rows[b].region;
  }
  switch (in.loss_type) {
    case GrpoLossType::kGrpo:
      res.loss = loss_sum / Bd;
      break;
    case GrpoLossType::kDrGrpo:
      res.loss = loss_sum / (Bd * static_cast<double>(in.max_completion_length));
      break;
    default:
      res.loss = loss_sum / total_den;
  }
  const double clip_den = in.sequence_level ? Bd : total_den;
  res.mean_kl = kl_sum / total_den;
  res.clip_low = low / clip_den;
  res.clip_high = high / clip_den;
  res.clip_region = region / clip_den;
  return res;
}

}  // namespace proximal::kernels
