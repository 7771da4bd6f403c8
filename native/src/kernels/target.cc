#include "kernels/target.h"

namespace proximal::kernels {

const char* simd_level() {
#if defined(__x86_64__) || defined(_M_X64)
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

}  // namespace proximal::kernels
