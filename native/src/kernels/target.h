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

// Hand-written x86 paths (intrinsics in functions marked PROXIMAL_TARGET_AVX2 / PROXIMAL_TARGET_AVX512,
// chosen at run time with cpu_has_avx2_fma() / cpu_has_avx512f()): GCC/Clang on x86-64, with or without
// ifunc support.
#if (defined(__x86_64__) || defined(_M_X64)) && (defined(__GNUC__) || defined(__clang__))
#define PROXIMAL_X86_DISPATCH 1
#define PROXIMAL_TARGET_AVX2 __attribute__((target("avx2,fma")))
#define PROXIMAL_TARGET_AVX2_INLINE inline __attribute__((always_inline, target("avx2,fma")))
#define PROXIMAL_TARGET_AVX512 __attribute__((target("avx512f,avx2,fma")))
#define PROXIMAL_TARGET_AVX512_INLINE inline __attribute__((always_inline, target("avx512f,avx2,fma")))
#else
#define PROXIMAL_X86_DISPATCH 0
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

/// The widest vector instruction set the kernels run with on this CPU: "avx512" (the hand-written
/// AVX-512 paths, chosen with cpu_has_avx512f()), "avx2" or "sse2" on x86-64, "neon" on arm64,
/// otherwise "scalar".
const char* simd_level();

/// True when the running CPU has AVX2 and FMA3 (and the build has PROXIMAL_X86_DISPATCH paths).
bool cpu_has_avx2_fma();

/// True when the running CPU has AVX-512F, AVX2 and FMA3 (and the build has PROXIMAL_X86_DISPATCH paths).
bool cpu_has_avx512f();

}  // namespace proximal::kernels
