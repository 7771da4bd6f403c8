// Multilayer perceptrons on the CPU: forward pass, forward-mode tangents (J·v) and reverse-mode
// cotangents (Jᵀ·g) over a block of rows. Plain C++17, no N-API. Used by the Fisher-vector
// product (fvp.h).
//
// Network (ARCHITECTURE.md, "Kernel API"): h_0 = x, z_l = h_l W_l + b_l, h_{l+1} = act_l(z_l) for
// l = 0..L-1, output o = h_L. Flat float32 params: for each layer its W_l [in, out] row-major (the
// layout of a tfjs Dense kernel) then b_l [out]; a diagonal-Gaussian policy appends its log-std
// [out_{L-1}] after the last layer (not read here).
//
// Forward mode (tangent propagation; Pearlmutter 1994, "Fast exact multiplication by the Hessian";
// Martens 2014, "New insights and perspectives on the natural gradient method", sec. 9): for a
// parameter direction v = (dW_l, db_l),
//   dz_l = dh_l W_l + h_l dW_l + db_l,  dh_0 = 0,  dh_{l+1} = act_l'(z_l) ⊙ dz_l,  J v = dh_L.
// Reverse mode for a cotangent g on the output: gh_L = g, gz_l = gh_{l+1} ⊙ act_l'(z_l),
//   gW_l += h_lᵀ gz_l,  gb_l += Σ_rows gz_l,  gh_l = gz_l W_lᵀ.
// act' is 1 − h² for tanh, [z > 0] for relu (0 at z = 0), 1 for linear.
//
// Precision: parameters and inputs are float32; every activation, tangent and sum is double.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "kernels/gemm.h"

namespace proximal::kernels {

enum class Activation : int { kTanh = 0, kRelu = 1, kLinear = 2 };

struct MlpLayerSpec {
  std::size_t in = 0;
  std::size_t out = 0;
  Activation activation = Activation::kLinear;
};

/// Layer sizes must chain (layers[i].in == layers[i-1].out); checked by mlp_check.
struct MlpSpec {
  std::vector<MlpLayerSpec> layers;

  std::size_t input_size() const { return layers.empty() ? 0 : layers.front().in; }
  std::size_t output_size() const { return layers.empty() ? 0 : layers.back().out; }
  /// Σ in·out + out over layers (without a Gaussian log-std).
  std::size_t param_count() const;
  /// Offset of W_l in the flat params; b_l follows at offset + in·out.
  std::size_t weight_offset(std::size_t l) const;
  std::size_t max_width() const;
};

/// Empty when `spec` is valid (non-empty, sizes ≥ 1, chained), else a message naming the layer.
std::string mlp_check(const MlpSpec& spec);

/// Parameters (or a parameter direction) converted to double and packed for the products:
/// W_l for the forward/tangent products, W_lᵀ for the backward one.
struct MlpPacked {
  std::vector<gemm::PackedB> w;   ///< W_l [in, out]
  std::vector<gemm::PackedB> wt;  ///< W_lᵀ [out, in] (only built when `transposed`)
  std::vector<std::vector<double>> b;
};

/// Converts flat float32 (or double) params/direction into packed double form.
void mlp_pack(const MlpSpec& spec, const float* params, bool transposed, MlpPacked& out);
void mlp_pack(const MlpSpec& spec, const double* params, bool transposed, MlpPacked& out);

/// Buffers of one block of up to `rows` rows: per layer the input h_l, act'(z_l), tangents and
/// cotangents. One per thread.
class MlpWorkspace {
 public:
  MlpWorkspace(const MlpSpec& spec, std::size_t rows);
  std::size_t capacity() const { return capacity_; }
  std::size_t rows = 0;                   ///< rows of the current block
  std::vector<std::vector<double>> h;     ///< h_l [rows, size_l], l = 0..L (h_L = output)
  std::vector<std::vector<double>> d;     ///< act_l'(z_l) [rows, out_l], l = 0..L-1
  std::vector<std::vector<double>> dh;    ///< tangents dh_l [rows, size_l], l = 0..L
  std::vector<double> g;                  ///< cotangent scratch [rows, max width]
  std::vector<double> g2;                 ///< cotangent scratch [rows, max width]
  gemm::PackedB gpack;                    ///< packed gz_l

 private:
  std::size_t capacity_ = 0;
};

/// Rows per block of the batched kernels (fewer for very wide networks, see mlp_block_rows).
constexpr std::size_t kMlpBlockRows = 64;

/// Rows per block for this network: kMlpBlockRows, reduced (down to 1) so that one block's
/// activations, Σ widths × rows doubles, stay within 2^21 doubles (16 MiB) per buffer.
std::size_t mlp_block_rows(const MlpSpec& spec);

/// Forward pass of rows [0, n) of `inputs` (float32 [n, input_size]) into ws.h / ws.d; n ≤ capacity.
void mlp_block_forward(const MlpSpec& spec, const MlpPacked& params, const float* inputs, std::size_t n,
                       MlpWorkspace& ws);
/// Tangent pass after mlp_block_forward: ws.dh[L] = J · direction for the current block.
void mlp_block_jvp(const MlpSpec& spec, const MlpPacked& params, const MlpPacked& direction, MlpWorkspace& ws);
/// Cotangent pass after mlp_block_forward: adds Σ_rows Jᵀ g to `grad` (double [param_count]).
/// `g` is double [rows, output_size] (may alias ws.dh[L]). Needs params packed with `transposed`.
void mlp_block_vjp(const MlpSpec& spec, const MlpPacked& params, const double* g, MlpWorkspace& ws, double* grad);

/// Whole-batch helpers (single thread), mainly for tests.
/// outputs: double [batch, output_size].
void mlp_forward(const MlpSpec& spec, const float* params, const float* inputs, std::size_t batch, double* outputs);
/// tangents: double [batch, output_size] = J(x_s) · direction for every row s.
void mlp_jvp(const MlpSpec& spec, const float* params, const double* direction, const float* inputs,
             std::size_t batch, double* tangents);
/// grad (double [param_count], overwritten) = Σ_s J(x_s)ᵀ g_s, g double [batch, output_size].
void mlp_vjp(const MlpSpec& spec, const float* params, const float* inputs, std::size_t batch, const double* g,
             double* grad);

}  // namespace proximal::kernels
