#include "kernels/gae_tokens.h"

#include "kernels/parallel.h"

namespace proximal::kernels {

unsigned gae_tokens_threads_used(std::size_t batch_size, std::size_t seq_len, unsigned threads) {
  threads = resolve_threads(threads);
  if (threads <= 1 || batch_size <= 1 || batch_size * seq_len < kGaeTokensParallelThreshold) return 1;
  return batch_size < threads ? static_cast<unsigned>(batch_size) : threads;
}

void gae_tokens_rows(const GaeTokensInputs& in, const GaeTokensOutputs& out, std::size_t row_begin,
                     std::size_t row_end) {
  const std::size_t L = in.seq_len;
  const double gamma = in.gamma;
  const double gamma_lambda = in.gamma * in.lambda;
  for (std::size_t b = row_begin; b < row_end; ++b) {
    const std::size_t row = b * L;
    const float* r = in.rewards + row;
    const float* v = in.values + row;
    const std::uint8_t* m = in.mask + row;
    float* adv = out.advantages + row;
    float* ret = out.returns + row;
    // The recursion is serial along the row; the same operations in the same order as the reference.
    double next_value = in.bootstrap_values != nullptr ? static_cast<double>(in.bootstrap_values[b]) : 0.0;
    double last = 0.0;
    for (std::size_t l = L; l-- > 0;) {
      if (m[l] == 0) {
        adv[l] = 0.0f;
        ret[l] = 0.0f;
        continue;
      }
      const double vl = static_cast<double>(v[l]);
      const double delta = (static_cast<double>(r[l]) + gamma * next_value) - vl;
      const double a = delta + gamma_lambda * last;
      last = a;
      next_value = vl;
      adv[l] = static_cast<float>(a);
      ret[l] = static_cast<float>(a + vl);
    }
  }
}

void gae_tokens(const GaeTokensInputs& in, const GaeTokensOutputs& out, unsigned threads) {
  const std::size_t B = in.batch_size;
  if (B == 0 || in.seq_len == 0) return;
  const unsigned parts = gae_tokens_threads_used(B, in.seq_len, threads);
  parallel_ranges(B, parts, 1, [&](std::size_t b0, std::size_t b1) { gae_tokens_rows(in, out, b0, b1); });
}

}  // namespace proximal::kernels
