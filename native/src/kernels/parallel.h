// Small threading helpers shared by the CPU kernels (plain C++17, no N-API).
//
// Kernels split independent work (for GAE: the environment columns) into contiguous ranges and
// run one range per std::thread. Threads are started per call: at the sizes where threading pays
// off (hundreds of thousands of elements and up) the ~20-50 us of thread start-up is noise.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <system_error>
#include <thread>
#include <vector>

namespace proximal::kernels {

/// std::thread::hardware_concurrency(), or 1 when the platform does not report it.
inline unsigned hardware_threads() {
  const unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : n;
}

/// Maps a requested thread count to the one used: 0 means "all hardware threads".
inline unsigned resolve_threads(unsigned requested) {
  return requested == 0 ? hardware_threads() : requested;
}

/// Splits [0, n) into `parts` contiguous ranges whose inner boundaries are multiples of `align`
/// (so that two threads never write to the same cache line of a row) and calls f(begin, end) on
/// each, one range per thread; the calling thread runs the first range. When a thread cannot be
/// started the calling thread runs that range itself. The first exception thrown by any range is
/// rethrown after every thread has joined (an exception never escapes a std::thread).
template <class F>
void parallel_ranges(std::size_t n, unsigned parts, std::size_t align, F&& f) {
  if (align == 0) align = 1;
  const std::size_t max_parts = (n + align - 1) / align;
  if (parts > max_parts) parts = static_cast<unsigned>(max_parts);
  if (parts <= 1) {
    if (n > 0) f(std::size_t{0}, n);
    return;
  }
  // Range i is [bounds[i], bounds[i + 1]); boundaries rounded to multiples of `align`.
  std::vector<std::size_t> bounds(parts + 1);
  const std::size_t blocks = max_parts;
  for (unsigned i = 0; i <= parts; ++i) {
    bounds[i] = std::min(n, (blocks * i / parts) * align);
  }
  bounds[parts] = n;

  std::vector<std::exception_ptr> errors(parts);
  auto run = [&](unsigned i) {
    try {
      if (bounds[i] < bounds[i + 1]) f(bounds[i], bounds[i + 1]);
    } catch (...) {
      errors[i] = std::current_exception();
    }
  };

  std::vector<std::thread> threads;
  std::vector<unsigned> inline_parts;
  threads.reserve(parts - 1);
  for (unsigned i = 1; i < parts; ++i) {
    try {
      threads.emplace_back(run, i);
    } catch (const std::system_error&) {
      inline_parts.push_back(i);  // could not start a thread: do it here
    }
  }
  run(0);
  for (unsigned i : inline_parts) run(i);
  for (auto& t : threads) t.join();
  for (auto& e : errors) {
    if (e) std::rethrow_exception(e);
  }
}

/// Calls f(i) for every i in [0, count) on up to `parts` threads (the calling thread included) that
/// claim indices in increasing order from a shared counter as they finish the previous one, so a
/// thread slowed down (a core shared with another process) takes fewer items instead of delaying
/// the whole call. Which thread runs an item varies, so f must write only item-indexed results.
/// Exceptions as parallel_ranges (the other threads finish the remaining items first).
template <class F>
void parallel_items(std::size_t count, unsigned parts, F&& f) {
  if (parts > count) parts = static_cast<unsigned>(count);
  if (parts <= 1) {
    for (std::size_t i = 0; i < count; ++i) f(i);
    return;
  }
  std::atomic<std::size_t> next{0};
  parallel_ranges(parts, parts, 1, [&](std::size_t, std::size_t) {
    for (std::size_t i = next.fetch_add(1, std::memory_order_relaxed); i < count;
         i = next.fetch_add(1, std::memory_order_relaxed)) {
      f(i);
    }
  });
}

}  // namespace proximal::kernels
