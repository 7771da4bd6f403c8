// Deterministic chunked reductions shared by the loss kernels (plain C++17, no N-API).
//
// [0, n) is cut into fixed chunks of kReduceChunk elements whatever the thread count; each chunk
// produces one partial (in lane accumulators inside the chunk, see kReduceLanes) and the caller
// adds the partials in chunk order. Threads claim chunks one at a time in increasing order
// (parallel_items), so both stay busy until the last chunk even when one runs slower; the result is
// the same bit for bit for every thread count, and the single-threaded path is the same computation.
#pragma once

#include <cstddef>
#include <vector>

#include "kernels/parallel.h"

namespace proximal::kernels {

/// Elements per chunk (one partial each).
constexpr std::size_t kReduceChunk = std::size_t{1} << 14;
/// Inputs with at least this many elements are split over threads.
constexpr std::size_t kReduceParallelThreshold = std::size_t{1} << 18;
/// Independent accumulators per sum inside a chunk: element i adds to lane i % kReduceLanes, so
/// the sums vectorize without reassociating floating-point additions.
constexpr std::size_t kReduceLanes = 8;

/// Threads a chunked reduction over n elements uses when asked for `threads` (0 = all hardware
/// threads): 1 below kReduceParallelThreshold, else at most one per chunk.
inline unsigned reduce_threads_used(std::size_t n, unsigned threads) {
  threads = resolve_threads(threads);
  if (threads <= 1 || n < kReduceParallelThreshold) return 1;
  const std::size_t chunks = (n + kReduceChunk - 1) / kReduceChunk;
  return chunks < threads ? static_cast<unsigned>(chunks) : threads;
}

/// Calls f(begin, end, partial) for every chunk [c·kReduceChunk, min(n, (c+1)·kReduceChunk)) with a
/// value-initialized Partial, on up to `threads` threads, and returns the partials in chunk order.
template <class Partial, class F>
std::vector<Partial> chunked_partials(std::size_t n, unsigned threads, F&& f) {
  const std::size_t chunks = (n + kReduceChunk - 1) / kReduceChunk;
  std::vector<Partial> partials(chunks);
  parallel_items(chunks, reduce_threads_used(n, threads), [&](std::size_t c) {
    const std::size_t begin = c * kReduceChunk;
    const std::size_t end = n - begin < kReduceChunk ? n : begin + kReduceChunk;
    f(begin, end, partials[c]);
  });
  return partials;
}

/// Sum of kReduceLanes lane accumulators in a fixed (pairwise) order.
inline double sum_lanes(const double (&lanes)[kReduceLanes]) {
  static_assert(kReduceLanes == 8, "sum_lanes is written for 8 lanes");
  return ((lanes[0] + lanes[4]) + (lanes[2] + lanes[6])) + ((lanes[1] + lanes[5]) + (lanes[3] + lanes[7]));
}

}  // namespace proximal::kernels
