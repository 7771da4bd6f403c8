// Generalized advantage estimation (GAE) on the CPU. Plain C++17, no N-API.
//
// Semantics (ARCHITECTURE.md, "GAE semantics"; Schulman et al. 2016, "High-Dimensional Continuous
// Control Using Generalized Advantage Estimation", eq. 16; done handling as TorchRL's
// generalized_advantage_estimate, done = terminated OR truncated):
//
//   delta_t = r_t + gamma * (1 - terminated_t) * v'_t - v_t
//   A_t     = delta_t + gamma * lambda * (1 - (terminated_t OR truncated_t)) * A_{t+1},  A_T = 0
//   returns = A + v
//
// v'_t is next_values[t], or, without next_values, values[t + 1] for t < T - 1 and
// bootstrap_values at t = T - 1.
//
// Layout: every [T, N] array is time-major and flattened, element (t, n) at t * N + n.
//
// Precision: inputs are float32; every intermediate (delta, the running A_{t+1}, A + v) is computed
// in double and only the stored outputs are rounded to float32, with the same operation order as
// the TypeScript reference in @proximal/core (float64 accumulation), so results agree with it to
// the last float32 bit. The "(1 - flag) * x" factors are evaluated as selects (flag ? 0 : x), so a
// non-finite value masked by a flag does not leak into the result (as in the reference).
#pragma once

#include <cstddef>
#include <cstdint>

namespace proximal::kernels {

struct GaeInputs {
  const float* rewards = nullptr;           ///< r, [T, N]
  const float* values = nullptr;            ///< v = V(s_t), [T, N]
  const float* next_values = nullptr;       ///< v' = V(s_{t+1}), [T, N]; or null to use bootstrap_values
  const float* bootstrap_values = nullptr;  ///< V(s_T), [N]; used only when next_values is null
  const std::uint8_t* terminated = nullptr; ///< 0/1, [T, N]
  const std::uint8_t* truncated = nullptr;  ///< 0/1, [T, N]; optional (null = all zero)
  std::size_t num_steps = 0;                ///< T
  std::size_t num_envs = 0;                 ///< N
  double gamma = 0.99;
  double lambda = 0.95;
};

struct GaeOutputs {
  float* advantages = nullptr;  ///< A, [T, N]
  float* returns = nullptr;     ///< A + v, [T, N]
};

/// Inputs with at least this many elements (T * N) are split over threads.
constexpr std::size_t kGaeParallelThreshold = std::size_t{1} << 18;
/// Each thread gets at least this many columns (environments); boundaries are multiples of 16
/// floats (one 64-byte cache line) so that threads do not share written cache lines.
constexpr std::size_t kGaeMinColumnsPerThread = 32;
constexpr std::size_t kGaeColumnAlign = 16;

/// Number of threads gae() uses for a [num_steps, num_envs] problem when asked for `threads`
/// (0 = all hardware threads): 1 below kGaeParallelThreshold, otherwise at most one thread per
/// kGaeMinColumnsPerThread columns.
unsigned gae_threads_used(std::size_t num_steps, std::size_t num_envs, unsigned threads);

/// Computes advantages and returns for columns [col_begin, col_end) over the whole backward time
/// loop (t = T-1 .. 0; for each t the columns are processed contiguously). `scratch` must hold
/// col_end - col_begin doubles (the running A_{t+1}); it is overwritten. Returns true when an input
/// element it read (rewards, values, the successor values) is NaN or infinite: a branch-free test of
/// the exponent bits fused into the pass, so finding out costs no second read of the inputs.
bool gae_columns(const GaeInputs& in, const GaeOutputs& out, std::size_t col_begin, std::size_t col_end,
                 double* scratch);

/// Full GAE. Preconditions (checked by the binding, not here): all non-optional pointers valid for
/// their lengths, exactly one of next_values/bootstrap_values set, outputs not overlapping inputs.
/// Flags other than 0/1 are treated as 1. `threads` = 0 uses all hardware threads, 1 forces the
/// single-threaded path. Throws std::bad_alloc if the scratch row cannot be allocated. Returns true
/// when some element of rewards, values, next_values or bootstrap_values is NaN or infinite (every
/// element is read); the outputs are written all the same.
bool gae(const GaeInputs& in, const GaeOutputs& out, unsigned threads = 0);

}  // namespace proximal::kernels
