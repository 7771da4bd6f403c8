#include "kernels/target.h"

namespace proximal::kernels {

const char* simd_level() {
#if defined(__x86_64__) || defined(_M_X64)
  // The widest path any kernel takes: the hand-written AVX-512 / AVX2+FMA ones (clipped surrogate,
  // MLP blocks, ...), else the AVX2 clones of the multiversioned loops.
  if (cpu_has_avx512f()) return "avx512";
  if (cpu_has_avx2_fma()) return "avx2";
#if PROXIMAL_MULTIVERSIONED
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx2")) return "avx2";
#endif
  return "sse2";
#elif defined(__aarch64__) || defined(_M_ARM64)
  return "neon";
#else
  return "scalar";
#endif
}

bool cpu_has_avx2_fma() {
#if PROXIMAL_X86_DISPATCH
  static const bool yes = [] {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  }();
  return yes;
#else
  return false;
#endif
}

bool cpu_has_avx512f() {
#if PROXIMAL_X86_DISPATCH
  static const bool yes = [] {
    __builtin_cpu_init();
    return cpu_has_avx2_fma() && __builtin_cpu_supports("avx512f");
  }();
  return yes;
#else
  return false;
#endif
}

}  // namespace proximal::kernels
