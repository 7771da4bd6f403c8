// Parsing of MLP policy descriptions shared by the Fisher and line-search bindings: `layers` (an
// array of { inSize, outSize, activation }) and `head` ('categorical' | 'diag-gaussian'), with the
// TypeError/RangeError messages of @proximal/core's policyLayout (packages/core/src/fisher/policy.ts).
#pragma once

#include <napi.h>

#include <cstdint>
#include <string>

#include "binding/checks.h"
#include "kernels/fvp.h"
#include "kernels/mlp.h"

namespace proximal::binding {

constexpr std::int64_t kMaxLayerSize = std::int64_t{1} << 24;
constexpr std::uint32_t kMaxLayers = 4096;

/// A string value in single quotes, anything else as Describe() gives it.
inline std::string Quoted(Napi::Value v) {
  if (v.IsString()) return "'" + v.As<Napi::String>().Utf8Value() + "'";
  return Describe(v);
}

/// The `layers` array: TypeError unless a non-empty array of objects; RangeError for sizes not in
/// [1, 2^24], an unknown activation, more than 4096 layers or sizes that do not chain.
inline kernels::MlpSpec ParseLayers(Napi::Env env, Napi::Value value) {
  namespace k = proximal::kernels;
  if (!value.IsArray()) ThrowTypeError(env, "layers must be a non-empty array, got " + Describe(value));
  Napi::Array arr = value.As<Napi::Array>();
  const std::uint32_t n = arr.Length();
  if (n == 0) ThrowTypeError(env, "layers must be a non-empty array, got Array(0)");
  if (n > kMaxLayers) {
    ThrowRangeError(env, "layers has " + std::to_string(n) + " layers, at most " + std::to_string(kMaxLayers) +
                             " are supported");
  }
  k::MlpSpec spec;
  spec.layers.resize(n);
  for (std::uint32_t i = 0; i < n; ++i) {
    const std::string name = "layers[" + std::to_string(i) + "]";
    Napi::Value item = arr.Get(i);
    if (item.Type() != napi_object || item.IsArray()) {
      ThrowTypeError(env, name + " must be an object { inSize, outSize, activation }, got " + Describe(item));
    }
    Napi::Object layer = item.As<Napi::Object>();
    Napi::Value v_in = layer.Get("inSize");
    Napi::Value v_out = layer.Get("outSize");
    Napi::Value v_act = layer.Get("activation");
    auto& l = spec.layers[i];
    l.in = static_cast<std::size_t>(RequireInteger(env, (name + ".inSize").c_str(), v_in, 1, kMaxLayerSize));
    l.out = static_cast<std::size_t>(RequireInteger(env, (name + ".outSize").c_str(), v_out, 1, kMaxLayerSize));
    const std::string act = v_act.IsString() ? v_act.As<Napi::String>().Utf8Value() : std::string();
    if (act == "tanh") {
      l.activation = k::Activation::kTanh;
    } else if (act == "relu") {
      l.activation = k::Activation::kRelu;
    } else if (act == "linear") {
      l.activation = k::Activation::kLinear;
    } else {
      ThrowRangeError(env, name + ".activation must be 'tanh', 'relu' or 'linear', got " + Quoted(v_act));
    }
  }
  const std::string problem = k::mlp_check(spec);
  if (!problem.empty()) ThrowRangeError(env, problem);
  return spec;
}

/// The `head`: RangeError unless 'categorical' or 'diag-gaussian'.
inline kernels::PolicyHead ParseHead(Napi::Env env, Napi::Value v_head) {
  const std::string head = v_head.IsString() ? v_head.As<Napi::String>().Utf8Value() : std::string();
  if (head == "categorical") return kernels::PolicyHead::kCategorical;
  if (head == "diag-gaussian") return kernels::PolicyHead::kDiagGaussian;
  ThrowRangeError(env, "head must be 'categorical' or 'diag-gaussian', got " + Quoted(v_head));
}

/// What the params length message says the expected length is made of.
inline const char* ParamsLengthWhat(kernels::PolicyHead head) {
  return head == kernels::PolicyHead::kDiagGaussian ? "Σ inSize·outSize + outSize over layers, + actionDim log-std"
                                                    : "Σ inSize·outSize + outSize over layers";
}

/// A flat float32 parameter vector of the policy's length (TypeError / RangeError naming `name`).
inline ArrayArg<float> RequireParams(Napi::Env env, const char* name, Napi::Value v, const kernels::MlpSpec& spec,
                                     kernels::PolicyHead head) {
  ArrayArg<float> params = RequireTypedArray<float>(env, name, v);
  CheckLength(env, name, params.length, kernels::policy_param_count(spec, head), ParamsLengthWhat(head));
  return params;
}

/// `states`, float32 [batch ≥ 1, obsDim]; returns the batch size.
inline std::size_t RequireStates(Napi::Env env, Napi::Value v, const kernels::MlpSpec& spec, ArrayArg<float>& out) {
  out = RequireTypedArray<float>(env, "states", v);
  const std::size_t obs = spec.input_size();
  if (out.length % obs != 0) {
    ThrowRangeError(env, "states has length " + std::to_string(out.length) + ", which is not a multiple of obsDim = " +
                             std::to_string(obs) + " (layers[0].inSize)");
  }
  if (out.length == 0) ThrowRangeError(env, "states must hold at least one state, got length 0");
  return out.length / obs;
}

}  // namespace proximal::binding
