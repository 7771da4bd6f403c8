// Small dense matrix products in double precision for the MLP kernels (internal header, plain C++).
//
// Everything here is PROXIMAL_ALWAYS_INLINE so that it is compiled into the caller's target: the
// MLP block routines in mlp.cc are instantiated twice, once with target("avx2,fma") and once for
// the baseline ISA, and each copy gets its own code generation of these loops.
//
// Products are C (+)= A · B with
//   A: M×K, read through strides (A(m, k) = a[m * a_row + k * a_col]), so that A or Aᵀ of a
//      row-major matrix are both used without copying;
//   B: K×N, packed into column panels of kNr = 8 columns (PackedB), each panel K×8 contiguous
//      (k-major) and zero-padded past N, so that the micro-kernel streams it;
//   C: M×N row-major with leading dimension ldc; the product is always accumulated into C (callers
//      initialize C with the bias or zeros first).
// The micro-kernel keeps a 4×8 tile of C in eight 4-double vector registers (GCC/Clang vector
// extensions; split into SSE2 pairs on the baseline ISA). With -ffp-contract=fast (set for the MLP
// sources in CMakeLists.txt) the AVX2 copy uses FMA.
#pragma once

#include <cstddef>
#include <cstring>
#include <vector>

#include "kernels/target.h"

namespace proximal::kernels::gemm {

constexpr std::size_t kNr = 8;  ///< columns per packed panel of B
constexpr std::size_t kMr = 4;  ///< rows of the micro-kernel's C tile

/// B [K, N] packed into ceil(N / 8) panels of K×8 doubles.
struct PackedB {
  std::size_t k = 0, n = 0;
  std::vector<double> data;
  std::size_t panels() const { return (n + kNr - 1) / kNr; }
  const double* panel(std::size_t j) const { return data.data() + j * k * kNr; }
};

/// Packs B(k, n) = src[k * row + n * col] (float or double source) into `out`.
template <typename T>
PROXIMAL_ALWAYS_INLINE void pack_b(const T* src, std::size_t K, std::size_t N, std::size_t row, std::size_t col,
                                   PackedB& out) {
  out.k = K;
  out.n = N;
  const std::size_t panels = (N + kNr - 1) / kNr;
  out.data.assign(panels * K * kNr, 0.0);
  for (std::size_t p = 0; p < panels; ++p) {
    double* dst = out.data.data() + p * K * kNr;
    const std::size_t n0 = p * kNr;
    const std::size_t w = N - n0 < kNr ? N - n0 : kNr;
    for (std::size_t kk = 0; kk < K; ++kk) {
      const T* s = src + kk * row + n0 * col;
      for (std::size_t j = 0; j < w; ++j) dst[kk * kNr + j] = static_cast<double>(s[j * col]);
    }
  }
}

#if defined(__GNUC__) || defined(__clang__)
#define PROXIMAL_GEMM_VECTOR 1
// The 32-byte vector type is only passed between always-inline functions, so the "AVX vector
// return without AVX enabled changes the ABI" note of the baseline copy does not apply.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpsabi"
typedef double v4d __attribute__((vector_size(32)));

PROXIMAL_ALWAYS_INLINE v4d load4(const double* p) {
  v4d v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
PROXIMAL_ALWAYS_INLINE void store4(double* p, v4d v) { std::memcpy(p, &v, sizeof v); }
PROXIMAL_ALWAYS_INLINE v4d splat(double x) { return v4d{x, x, x, x}; }

/// C[MR×w] += A[MR×K] · panel[K×8]; w ≤ 8 columns of C are written.
template <std::size_t MR>
PROXIMAL_ALWAYS_INLINE void micro(std::size_t K, const double* PROXIMAL_RESTRICT a, std::size_t a_row,
                                  std::size_t a_col, const double* PROXIMAL_RESTRICT b, double* PROXIMAL_RESTRICT c,
                                  std::size_t ldc, std::size_t w) {
  v4d acc0[MR], acc1[MR];
  for (std::size_t i = 0; i < MR; ++i) acc0[i] = acc1[i] = splat(0.0);
  for (std::size_t kk = 0; kk < K; ++kk) {
    const v4d b0 = load4(b + kk * kNr);
    const v4d b1 = load4(b + kk * kNr + 4);
    const double* ak = a + kk * a_col;
    for (std::size_t i = 0; i < MR; ++i) {
      const v4d ai = splat(ak[i * a_row]);
      acc0[i] += ai * b0;
      acc1[i] += ai * b1;
    }
  }
  if (w == kNr) {
    for (std::size_t i = 0; i < MR; ++i) {
      double* ci = c + i * ldc;
      store4(ci, load4(ci) + acc0[i]);
      store4(ci + 4, load4(ci + 4) + acc1[i]);
    }
  } else {
    for (std::size_t i = 0; i < MR; ++i) {
      double tmp[kNr];
      store4(tmp, acc0[i]);
      store4(tmp + 4, acc1[i]);
      double* ci = c + i * ldc;
      for (std::size_t j = 0; j < w; ++j) ci[j] += tmp[j];
    }
  }
}
#pragma GCC diagnostic pop
#else
#define PROXIMAL_GEMM_VECTOR 0
template <std::size_t MR>
PROXIMAL_ALWAYS_INLINE void micro(std::size_t K, const double* a, std::size_t a_row, std::size_t a_col, const double* b,
                                  double* c, std::size_t ldc, std::size_t w) {
  double acc[MR][kNr] = {};
  for (std::size_t kk = 0; kk < K; ++kk) {
    const double* ak = a + kk * a_col;
    for (std::size_t i = 0; i < MR; ++i) {
      const double ai = ak[i * a_row];
      for (std::size_t j = 0; j < kNr; ++j) acc[i][j] += ai * b[kk * kNr + j];
    }
  }
  for (std::size_t i = 0; i < MR; ++i)
    for (std::size_t j = 0; j < w; ++j) c[i * ldc + j] += acc[i][j];
}
#endif

/// C[M×N] += A[M×K] · B (packed). A(m, k) = a[m * a_row + k * a_col].
PROXIMAL_ALWAYS_INLINE void gemm_acc(std::size_t M, const double* a, std::size_t a_row, std::size_t a_col,
                                     const PackedB& b, double* c, std::size_t ldc) {
  const std::size_t K = b.k, N = b.n;
  if (M == 0 || N == 0 || K == 0) return;
  const std::size_t panels = b.panels();
  // Column panels outermost: a panel of B (K×8 doubles) stays in L1 while the rows of A stream.
  for (std::size_t p = 0; p < panels; ++p) {
    const double* bp = b.panel(p);
    const std::size_t n0 = p * kNr;
    const std::size_t w = N - n0 < kNr ? N - n0 : kNr;
    std::size_t m = 0;
    for (; m + kMr <= M; m += kMr) micro<kMr>(K, a + m * a_row, a_row, a_col, bp, c + m * ldc + n0, ldc, w);
    switch (M - m) {
      case 3:
        micro<3>(K, a + m * a_row, a_row, a_col, bp, c + m * ldc + n0, ldc, w);
        break;
      case 2:
        micro<2>(K, a + m * a_row, a_row, a_col, bp, c + m * ldc + n0, ldc, w);
        break;
      case 1:
        micro<1>(K, a + m * a_row, a_row, a_col, bp, c + m * ldc + n0, ldc, w);
        break;
      default:
        break;
    }
  }
}

}  // namespace proximal::kernels::gemm
