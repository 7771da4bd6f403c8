// Compile-time switches for CPU dispatch.
//
// The addon must run on any x86-64 CPU, so it is never built with -march=native. Hot loops are
// instead marked PROXIMAL_MULTIVERSION: on x86-64 with GCC/Clang and ifunc support (checked by
// CMake, which then defines PROXIMAL_HAVE_TARGET_CLONES) the compiler emits an AVX2 clone next to
// the baseline SSE2 one and the dynamic loader picks one for the running CPU.
#pragma once

#if defined(PROXIMAL_HAVE_TARGET_CLONES) && (defined(__x86_64__) || defined(_M_X64))
#define PROXIMAL_MULTIVERSION __attribute__((target_clones("avx2", "default")))
#define PROXIMAL_MULTIVERSIONED 1
#else
#define PROXIMAL_MULTIVERSION
#define PROXIMAL_MULTIVERSIONED 0
#endif

#if defined(__GNUC__) || defined(__clang__)
#define PROXIMAL_RESTRICT __restrict__
#define PROXIMAL_ALWAYS_INLINE inline __attribute__((always_inline))
#elif defined(_MSC_VER)
#define PROXIMAL_RESTRICT __restrict
#define PROXIMAL_ALWAYS_INLINE __forceinline
#else
#define PROXIMAL_RESTRICT
#define PROXIMAL_ALWAYS_INLINE inline
#endif

namespace proximal::kernels {

/// The vector instruction set the multiversioned loops run with on this CPU:
/// "avx2" or "sse2" on x86-64, "neon" on arm64, otherwise "scalar".
const char* simd_level();

}  // namespace proximal::kernels
