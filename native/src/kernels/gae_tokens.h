// Token-level (segmented) GAE over a padded batch of sequences [B, L], on the CPU. Plain C++17,
// no N-API.
//
// Semantics (as @proximal/core's gaeTokensReference): row b is one sequence; the recursion runs
// backwards over the positions with mask = 1 only. Masked positions are skipped: the successor of
// a valid token is the next valid token of the same row, and the last valid token bootstraps from
// bootstrap_values[b] (0 when null):
//
//   delta_l = r_l + gamma * V_next - V_l,  V_next = V of the next valid token (or the bootstrap)
//   A_l     = delta_l + gamma * lambda * A_next,  A_next = 0 after the last valid token
//   returns = A + V at valid positions; advantages = returns = 0 where mask = 0
//
// (verl's compute_gae_advantage_return "skips values and TD-error on observation tokens" the same
// way; TRL/OpenRLHF's get_advantages_and_returns agree for right-padded responses.)
//
// Layout: row-major, element (b, l) at b * L + l. Precision: float32 inputs, double arithmetic in
// the reference's operation order, float32 stores: bit-identical to the TypeScript reference.
// Masked positions are never read as numbers, so a NaN there does not leak.
#pragma once

#include <cstddef>
#include <cstdint>

namespace proximal::kernels {

struct GaeTokensInputs {
  const float* rewards = nullptr;           ///< r, [B, L]
  const float* values = nullptr;            ///< V, [B, L]
  const std::uint8_t* mask = nullptr;       ///< 0/1 (nonzero counts as 1), [B, L]
  const float* bootstrap_values = nullptr;  ///< [B]; optional (null = zeros)
  std::size_t batch_size = 0;               ///< B
  std::size_t seq_len = 0;                  ///< L
  double gamma = 1.0;
  double lambda = 1.0;
};

struct GaeTokensOutputs {
  float* advantages = nullptr;  ///< [B, L]
  float* returns = nullptr;     ///< [B, L]
};

/// Problems with at least this many elements (B * L) are split over threads (by rows).
constexpr std::size_t kGaeTokensParallelThreshold = std::size_t{1} << 16;

/// Threads gae_tokens() uses for a [B, L] problem when asked for `threads` (0 = all hardware
/// threads): 1 below kGaeTokensParallelThreshold, else at most one per row.
unsigned gae_tokens_threads_used(std::size_t batch_size, std::size_t seq_len, unsigned threads);

/// Rows [row_begin, row_end) of the token GAE.
void gae_tokens_rows(const GaeTokensInputs& in, const GaeTokensOutputs& out, std::size_t row_begin,
                     std::size_t row_end);

/// Full token GAE, rows split over threads (each row is independent, so the result does not depend
/// on the thread count). Preconditions (checked by the binding): pointers valid for B * L (B for the
/// bootstrap values), outputs not overlapping inputs.
void gae_tokens(const GaeTokensInputs& in, const GaeTokensOutputs& out, unsigned threads = 0);

}  // namespace proximal::kernels
