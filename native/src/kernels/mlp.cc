#include "kernels/mlp.h"

#include <algorithm>
#include <cmath>

#include "kernels/target.h"

namespace proximal::kernels {

std::size_t MlpSpec::param_count() const {
  std::size_t n = 0;
  for (const auto& l : layers) n += l.in * l.out + l.out;
  return n;
}

std::size_t MlpSpec::weight_offset(std::size_t layer) const {
  std::size_t n = 0;
  for (std::size_t i = 0; i < layer; ++i) n += layers[i].in * layers[i].out + layers[i].out;
  return n;
}

std::size_t MlpSpec::max_width() const {
  std::size_t w = input_size();
  for (const auto& l : layers) w = std::max(w, l.out);
  return w;
}

std::size_t mlp_block_rows(const MlpSpec& spec) {
  std::size_t widths = spec.input_size();
  for (const auto& l : spec.layers) widths += l.out;
  const std::size_t cap = (std::size_t{1} << 21) / (widths == 0 ? 1 : widths);
  return std::max<std::size_t>(1, std::min(kMlpBlockRows, cap));
}

std::string mlp_check(const MlpSpec& spec) {
  if (spec.layers.empty()) return "layers must be a non-empty array";
  for (std::size_t i = 0; i < spec.layers.size(); ++i) {
    const auto& l = spec.layers[i];
    if (l.in == 0) return "layers[" + std::to_string(i) + "].inSize must be ≥ 1";
    if (l.out == 0) return "layers[" + std::to_string(i) + "].outSize must be ≥ 1";
    if (i > 0 && l.in != spec.layers[i - 1].out) {
      return "layers[" + std::to_string(i) + "].inSize is " + std::to_string(l.in) + ", expected " +
             std::to_string(spec.layers[i - 1].out) + " (layers[" + std::to_string(i - 1) + "].outSize)";
    }
  }
  return {};
}

namespace {

template <typename T>
void pack_impl(const MlpSpec& spec, const T* params, bool transposed, MlpPacked& out) {
  const std::size_t L = spec.layers.size();
  out.w.resize(L);
  out.b.resize(L);
  out.wt.resize(transposed ? L : 0);
  std::size_t off = 0;
  for (std::size_t l = 0; l < L; ++l) {
    const std::size_t in = spec.layers[l].in, o = spec.layers[l].out;
    const T* w = params + off;
    gemm::pack_b(w, in, o, o, 1, out.w[l]);                   // W [in, out]
    if (transposed) gemm::pack_b(w, o, in, 1, o, out.wt[l]);  // Wᵀ [out, in]: Wᵀ(k, n) = w[n * out + k]
    out.b[l].resize(o);
    for (std::size_t j = 0; j < o; ++j) out.b[l][j] = static_cast<double>(params[off + in * o + j]);
    off += in * o + o;
  }
}

#if PROXIMAL_GEMM_VECTOR
typedef long long v4i __attribute__((vector_size(32)));

/// tanh of 4 doubles: sign(x) (1 − e) / (1 + e) with e = exp(−2|x|), the exponential by Cody–Waite
/// reduction (y = n ln2 + r, |r| ≤ ln2/2) and its Taylor polynomial to r¹³ (truncation < 1e-17
/// relative), scaled by 2ⁿ through the exponent bits. Absolute error a few 1e-16 (relative error
/// grows as 1e-16/|x| for tiny |x|, from 1 − e); vectorizes, unlike libm's tanh.
PROXIMAL_ALWAYS_INLINE gemm::v4d tanh4(gemm::v4d x) {
  using gemm::splat;
  using gemm::v4d;
  const v4d ax = x < 0 ? -x : x;  // lane masks select
  v4d y = -2.0 * ax;
  y = y < -700.0 ? splat(-700.0) : y;
  const v4d magic = splat(6755399441055744.0);  // 1.5 · 2^52: adding it rounds to an integer
  const v4d t = y * 1.4426950408889634 + magic;
  const v4d n = t - magic;
  const v4d r = (y - n * 0.6931471803691238) - n * 1.9082149292705877e-10;
  v4d p = splat(1.0 / 6227020800.0);
  p = p * r + 1.0 / 479001600.0;
  p = p * r + 1.0 / 39916800.0;
  p = p * r + 1.0 / 3628800.0;
  p = p * r + 1.0 / 362880.0;
  p = p * r + 1.0 / 40320.0;
  p = p * r + 1.0 / 5040.0;
  p = p * r + 1.0 / 720.0;
  p = p * r + 1.0 / 120.0;
  p = p * r + 1.0 / 24.0;
  p = p * r + 1.0 / 6.0;
  p = p * r + 0.5;
  p = p * r + 1.0;
  p = p * r + 1.0;
  // 2^n: n sits in the low bits of t's mantissa; n ≥ −1010 here, so 2^n is a normal number.
  const v4i bits = ((v4i)t - (v4i)magic + 1023) << 52;
  const v4d e = p * (v4d)bits;
  const v4d th = (1.0 - e) / (1.0 + e);
  return x < 0 ? -th : th;
}

/// z ← tanh(z), d ← 1 − tanh(z)², over m elements.
PROXIMAL_ALWAYS_INLINE void tanh_block(double* PROXIMAL_RESTRICT z, double* PROXIMAL_RESTRICT d, std::size_t m) {
  std::size_t i = 0;
  for (; i + 4 <= m; i += 4) {
    const gemm::v4d t = tanh4(gemm::load4(z + i));
    gemm::store4(z + i, t);
    gemm::store4(d + i, 1.0 - t * t);
  }
  if (i < m) {
    double tmp[4] = {0, 0, 0, 0};
    for (std::size_t j = i; j < m; ++j) tmp[j - i] = z[j];
    const gemm::v4d t = tanh4(gemm::load4(tmp));
    gemm::store4(tmp, t);
    for (std::size_t j = i; j < m; ++j) {
      z[j] = tmp[j - i];
      d[j] = 1.0 - z[j] * z[j];
    }
  }
}
#else
PROXIMAL_ALWAYS_INLINE void tanh_block(double* z, double* d, std::size_t m) {
  for (std::size_t i = 0; i < m; ++i) {
    const double t = std::tanh(z[i]);
    z[i] = t;
    d[i] = 1.0 - t * t;
  }
}
#endif

PROXIMAL_ALWAYS_INLINE void forward_impl(const MlpSpec& spec, const MlpPacked& p, const float* inputs, std::size_t n,
                                         MlpWorkspace& ws) {
  ws.rows = n;
  const std::size_t L = spec.layers.size();
  const std::size_t in0 = spec.layers[0].in;
  double* h0 = ws.h[0].data();
  for (std::size_t i = 0; i < n * in0; ++i) h0[i] = static_cast<double>(inputs[i]);
  for (std::size_t l = 0; l < L; ++l) {
    const std::size_t in = spec.layers[l].in, out = spec.layers[l].out;
    double* PROXIMAL_RESTRICT z = ws.h[l + 1].data();
    double* PROXIMAL_RESTRICT d = ws.d[l].data();
    const double* bias = p.b[l].data();
    for (std::size_t r = 0; r < n; ++r) std::copy(bias, bias + out, z + r * out);
    gemm::gemm_acc(n, ws.h[l].data(), in, 1, p.w[l], z, out);
    const std::size_t m = n * out;
    switch (spec.layers[l].activation) {
      case Activation::kTanh:
        tanh_block(z, d, m);
        break;
      case Activation::kRelu:
        for (std::size_t i = 0; i < m; ++i) {
          const bool pos = z[i] > 0.0;
          d[i] = pos ? 1.0 : 0.0;
          z[i] = pos ? z[i] : 0.0;
        }
        break;
      case Activation::kLinear:
        break;
    }
  }
}

PROXIMAL_ALWAYS_INLINE void jvp_impl(const MlpSpec& spec, const MlpPacked& p, const MlpPacked& dir,
                                     MlpWorkspace& ws) {
  const std::size_t n = ws.rows;
  const std::size_t L = spec.layers.size();
  for (std::size_t l = 0; l < L; ++l) {
    const std::size_t in = spec.layers[l].in, out = spec.layers[l].out;
    double* PROXIMAL_RESTRICT dz = ws.dh[l + 1].data();
    const double* db = dir.b[l].data();
    for (std::size_t r = 0; r < n; ++r) std::copy(db, db + out, dz + r * out);
    if (l > 0) gemm::gemm_acc(n, ws.dh[l].data(), in, 1, p.w[l], dz, out);  // dh_l W_l (dh_0 = 0)
    gemm::gemm_acc(n, ws.h[l].data(), in, 1, dir.w[l], dz, out);            // h_l dW_l
    if (spec.layers[l].activation != Activation::kLinear) {
      const double* PROXIMAL_RESTRICT d = ws.d[l].data();
      for (std::size_t i = 0; i < n * out; ++i) dz[i] *= d[i];
    }
  }
}

PROXIMAL_ALWAYS_INLINE void vjp_impl(const MlpSpec& spec, const MlpPacked& p, const double* g, MlpWorkspace& ws,
                                     double* grad) {
  const std::size_t n = ws.rows;
  const std::size_t L = spec.layers.size();
  double* cur = ws.g.data();
  double* other = ws.g2.data();
  std::copy(g, g + n * spec.output_size(), cur);
  std::size_t off = spec.param_count();
  for (std::size_t l = L; l-- > 0;) {
    const std::size_t in = spec.layers[l].in, out = spec.layers[l].out;
    off -= in * out + out;
    if (spec.layers[l].activation != Activation::kLinear) {
      const double* PROXIMAL_RESTRICT d = ws.d[l].data();
      for (std::size_t i = 0; i < n * out; ++i) cur[i] *= d[i];  // gz_l
    }
    double* PROXIMAL_RESTRICT gb = grad + off + in * out;
    for (std::size_t r = 0; r < n; ++r) {
      const double* row = cur + r * out;
      for (std::size_t j = 0; j < out; ++j) gb[j] += row[j];
    }
    gemm::pack_b(cur, n, out, out, 1, ws.gpack);
    gemm::gemm_acc(in, ws.h[l].data(), 1, in, ws.gpack, grad + off, out);  // gW_l += h_lᵀ gz_l
    if (l > 0) {
      std::fill(other, other + n * in, 0.0);
      gemm::gemm_acc(n, cur, out, 1, p.wt[l], other, in);  // gh_l = gz_l W_lᵀ
      std::swap(cur, other);
    }
  }
}

#if PROXIMAL_X86_DISPATCH
PROXIMAL_TARGET_AVX2 void forward_avx2(const MlpSpec& s, const MlpPacked& p, const float* x, std::size_t n,
                                        MlpWorkspace& ws) {
  forward_impl(s, p, x, n, ws);
}
PROXIMAL_TARGET_AVX2 void jvp_avx2(const MlpSpec& s, const MlpPacked& p, const MlpPacked& d, MlpWorkspace& ws) {
  jvp_impl(s, p, d, ws);
}
PROXIMAL_TARGET_AVX2 void vjp_avx2(const MlpSpec& s, const MlpPacked& p, const double* g, MlpWorkspace& ws,
                                    double* grad) {
  vjp_impl(s, p, g, ws, grad);
}
#endif

void forward_base(const MlpSpec& s, const MlpPacked& p, const float* x, std::size_t n, MlpWorkspace& ws) {
  forward_impl(s, p, x, n, ws);
}
void jvp_base(const MlpSpec& s, const MlpPacked& p, const MlpPacked& d, MlpWorkspace& ws) { jvp_impl(s, p, d, ws); }
void vjp_base(const MlpSpec& s, const MlpPacked& p, const double* g, MlpWorkspace& ws, double* grad) {
  vjp_impl(s, p, g, ws, grad);
}

}  // namespace

void mlp_pack(const MlpSpec& spec, const float* params, bool transposed, MlpPacked& out) {
  pack_impl(spec, params, transposed, out);
}
void mlp_pack(const MlpSpec& spec, const double* params, bool transposed, MlpPacked& out) {
  pack_impl(spec, params, transposed, out);
}

MlpWorkspace::MlpWorkspace(const MlpSpec& spec, std::size_t rows_) : capacity_(rows_) {
  const std::size_t L = spec.layers.size();
  h.resize(L + 1);
  dh.resize(L + 1);
  d.resize(L);
  h[0].resize(rows_ * spec.input_size());
  for (std::size_t l = 0; l < L; ++l) {
    h[l + 1].resize(rows_ * spec.layers[l].out);
    dh[l + 1].resize(rows_ * spec.layers[l].out);
    d[l].resize(rows_ * spec.layers[l].out);
  }
  g.resize(rows_ * spec.max_width());
  g2.resize(rows_ * spec.max_width());
}

void mlp_block_forward(const MlpSpec& spec, const MlpPacked& params, const float* inputs, std::size_t n,
                       MlpWorkspace& ws) {
#if PROXIMAL_X86_DISPATCH
  if (cpu_has_avx2_fma()) return forward_avx2(spec, params, inputs, n, ws);
#endif
  forward_base(spec, params, inputs, n, ws);
}

void mlp_block_jvp(const MlpSpec& spec, const MlpPacked& params, const MlpPacked& direction, MlpWorkspace& ws) {
#if PROXIMAL_X86_DISPATCH
  if (cpu_has_avx2_fma()) return jvp_avx2(spec, params, direction, ws);
#endif
  jvp_base(spec, params, direction, ws);
}

void mlp_block_vjp(const MlpSpec& spec, const MlpPacked& params, const double* g, MlpWorkspace& ws, double* grad) {
#if PROXIMAL_X86_DISPATCH
  if (cpu_has_avx2_fma()) return vjp_avx2(spec, params, g, ws, grad);
#endif
  vjp_base(spec, params, g, ws, grad);
}

void mlp_forward(const MlpSpec& spec, const float* params, const float* inputs, std::size_t batch, double* outputs) {
  MlpPacked p;
  mlp_pack(spec, params, false, p);
  const std::size_t rows = mlp_block_rows(spec);
  MlpWorkspace ws(spec, rows);
  const std::size_t in = spec.input_size(), out = spec.output_size();
  for (std::size_t r0 = 0; r0 < batch; r0 += rows) {
    const std::size_t n = std::min(rows, batch - r0);
    mlp_block_forward(spec, p, inputs + r0 * in, n, ws);
    std::copy(ws.h.back().begin(), ws.h.back().begin() + n * out, outputs + r0 * out);
  }
}

void mlp_jvp(const MlpSpec& spec, const float* params, const double* direction, const float* inputs,
             std::size_t batch, double* tangents) {
  MlpPacked p, dir;
  mlp_pack(spec, params, false, p);
  mlp_pack(spec, direction, false, dir);
  const std::size_t rows = mlp_block_rows(spec);
  MlpWorkspace ws(spec, rows);
  const std::size_t in = spec.input_size(), out = spec.output_size();
  for (std::size_t r0 = 0; r0 < batch; r0 += rows) {
    const std::size_t n = std::min(rows, batch - r0);
    mlp_block_forward(spec, p, inputs + r0 * in, n, ws);
    mlp_block_jvp(spec, p, dir, ws);
    std::copy(ws.dh.back().begin(), ws.dh.back().begin() + n * out, tangents + r0 * out);
  }
}

void mlp_vjp(const MlpSpec& spec, const float* params, const float* inputs, std::size_t batch, const double* g,
             double* grad) {
  MlpPacked p;
  mlp_pack(spec, params, true, p);
  const std::size_t rows = mlp_block_rows(spec);
  MlpWorkspace ws(spec, rows);
  std::fill(grad, grad + spec.param_count(), 0.0);
  const std::size_t in = spec.input_size(), out = spec.output_size();
  for (std::size_t r0 = 0; r0 < batch; r0 += rows) {
    const std::size_t n = std::min(rows, batch - r0);
    mlp_block_forward(spec, p, inputs + r0 * in, n, ws);
    mlp_block_vjp(spec, p, g + r0 * out, ws, grad);
  }
}

}  // namespace proximal::kernels
