// clippedSurrogate / valueLoss / klEstimate (and their ...Async variants): Node-API bindings of
// kernels/surrogate.h and kernels/kl.h.
//
// Argument checks follow @proximal/core's TypeScript (same order, same messages). Typed arrays are
// used zero-copy; outputs are the caller's preallocated Float32Arrays when given, else new ones.
// The sync functions throw TypeError/RangeError; the async ones return a promise rejected with the
// same errors and run the kernel (and the mask check) on the libuv thread pool.
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <exception>
#include <string>
#include <utility>

#include "binding/async.h"
#include "binding/bindings.h"
#include "binding/call.h"
#include "binding/checks.h"
#include "kernels/flags.h"
#include "kernels/kl.h"
#include "kernels/surrogate.h"

namespace proximal::binding {
namespace {

// ---------------------------------------------------------------------------------------------
// clippedSurrogate

struct SurrogateCall {
  ArrayArg<float> log_probs, old_log_probs, advantages, grad;
  ArrayArg<std::uint8_t> mask;
  kernels::SurrogateInputs in;
  unsigned threads = 0;
  bool check_finite = true;
  kernels::SurrogateResult result;
  std::size_t grad_slot = 0;

  // Runs on the pool thread for the async form: reads only the pinned pointers (the JS handles are
  // gone by then).
  std::string Validate() const {
    if (in.mask != nullptr) {
      const std::ptrdiff_t bad = kernels::first_invalid_flag(in.mask, in.size);
      if (bad >= 0) return FlagErrorMessage("mask", bad, in.mask[bad]);
    }
    return {};
  }
  void Compute() { result = kernels::clipped_surrogate(in, grad.data, threads); }
  // No separate pass for checkFinite: a NaN or infinite logProbs/oldLogProbs element (mask = 1)
  // makes the float64 sum of the log-ratios (approxKlK1) non-finite, and an advantages one makes
  // the objective's sum (the loss) non-finite, while finite float32 inputs cannot overflow those
  // sums; only then are the inputs scanned for the first bad element (masked-out ones never count).
  std::string PostCheck() const {
    if (!check_finite || (std::isfinite(result.loss) && std::isfinite(result.approx_kl_k1))) return {};
    return CheckFiniteArrays({{"logProbs", in.log_probs, in.size, in.mask},
                              {"oldLogProbs", in.old_log_probs, in.size, in.mask},
                              {"advantages", in.advantages, in.size, in.mask}},
                             threads);
  }
  void KeepAll(PromiseWorker& w) {
    KeepInput(w, log_probs);
    KeepInput(w, old_log_probs);
    KeepInput(w, advantages);
    KeepInput(w, mask);
    grad_slot = KeepOutput(w, grad);
  }
  Napi::Value Result(Napi::Env env, Napi::Value grad_value) const {
    Napi::Object out = Napi::Object::New(env);
    out.Set("loss", result.loss);
    out.Set("gradLogProbs", grad_value);
    out.Set("clipFraction", result.clip_fraction);
    out.Set("approxKl", result.approx_kl);
    out.Set("approxKlK1", result.approx_kl_k1);
    out.Set("ratioMean", result.ratio_mean);
    return out;
  }
  Napi::Value SyncResult(Napi::Env env) const { return Result(env, grad.value); }
  Napi::Value AsyncResult(Napi::Env env, const PromiseWorker& w) const { return Result(env, w.Kept(grad_slot)); }
};

SurrogateCall ParseSurrogate(Napi::Env env, Napi::Value arg, const char* fn) {
  const std::string what = std::string(fn) + " arguments";
  Napi::Object opts = RequireOptions(env, arg, what.c_str());
  RefuseUnknownKeys(env, opts, what,
                    {"logProbs", "oldLogProbs", "advantages", "clipRange", "clipRangeHigh", "dualClip", "mask",
                     "normalizeAdvantages", "aggregation", "seqLen", "gradLogProbs", "threads", "checkFinite"});
  // Read every property first: getters may run JS, and none may run once the data pointers are taken.
  Napi::Value v_lp = opts.Get("logProbs");
  Napi::Value v_olp = opts.Get("oldLogProbs");
  Napi::Value v_adv = opts.Get("advantages");
  Napi::Value v_clip = opts.Get("clipRange");
  Napi::Value v_high = opts.Get("clipRangeHigh");
  Napi::Value v_dual = opts.Get("dualClip");
  Napi::Value v_mask = opts.Get("mask");
  Napi::Value v_norm = opts.Get("normalizeAdvantages");
  Napi::Value v_agg = opts.Get("aggregation");
  Napi::Value v_seq = opts.Get("seqLen");
  Napi::Value v_grad = opts.Get("gradLogProbs");
  Napi::Value v_threads = opts.Get("threads");
  Napi::Value v_check = opts.Get("checkFinite");

  SurrogateCall call;
  call.log_probs = RequireTypedArray<float>(env, "logProbs", v_lp);
  const std::size_t n = call.log_probs.length;
  if (n == 0) ThrowRangeError(env, "logProbs must not be empty");
  call.old_log_probs = RequireTypedArray<float>(env, "oldLogProbs", v_olp);
  CheckLength(env, "oldLogProbs", call.old_log_probs.length, n, "logProbs.length");
  call.advantages = RequireTypedArray<float>(env, "advantages", v_adv);
  CheckLength(env, "advantages", call.advantages.length, n, "logProbs.length");
  call.in.clip_range = RequireNumberInRange(env, "clipRange", v_clip, 0.0, DBL_MAX);
  call.in.clip_range_high = v_high.IsUndefined() ? call.in.clip_range
                                                  : RequireNumberInRange(env, "clipRangeHigh", v_high, 0.0, DBL_MAX);
  if (!v_dual.IsUndefined()) {
    const double c = v_dual.IsNumber() ? v_dual.As<Napi::Number>().DoubleValue() : 0.0;
    if (!v_dual.IsNumber() || !(c > 1.0) || !std::isfinite(c)) {
      ThrowRangeError(env, "dualClip must be a finite number > 1, got " + Describe(v_dual));
    }
    call.in.dual_clip = c;
  }
  call.mask = RequireTypedArray<std::uint8_t>(env, "mask", v_mask, /*optional=*/true);
  if (call.mask.present()) CheckLength(env, "mask", call.mask.length, n, "logProbs.length");
  const std::string agg = v_agg.IsString() ? v_agg.As<Napi::String>().Utf8Value() : std::string();
  if (v_agg.IsUndefined() || agg == "token-mean") {
    call.in.aggregation = kernels::LossAggregation::kTokenMean;
  } else if (agg == "seq-mean-token-sum") {
    call.in.aggregation = kernels::LossAggregation::kSeqMeanTokenSum;
  } else if (agg == "seq-mean-token-mean") {
    call.in.aggregation = kernels::LossAggregation::kSeqMeanTokenMean;
  } else {
    ThrowRangeError(env, "aggregation must be 'token-mean', 'seq-mean-token-sum' or 'seq-mean-token-mean', got " +
                             (v_agg.IsString() ? "'" + agg + "'" : Describe(v_agg)));
  }
  if (!v_seq.IsUndefined()) {
    const auto seq = RequireInteger(env, "seqLen", v_seq, 1, (std::int64_t{1} << 53) - 1);
    if (n % static_cast<std::uint64_t>(seq) != 0) {
      ThrowRangeError(env, "logProbs has length " + std::to_string(n) + ", which is not a multiple of seqLen = " +
                               std::to_string(seq));
    }
    call.in.seq_len = static_cast<std::size_t>(seq);
  } else if (call.in.aggregation != kernels::LossAggregation::kTokenMean) {
    ThrowRangeError(env, "seqLen is required with aggregation '" + agg +
                             "' (an integer ≥ 1 dividing logProbs.length)");
  }
  call.in.normalize_advantages = !v_norm.IsUndefined() && v_norm.ToBoolean().Value();
  call.threads = ParseThreads(env, v_threads);
  call.check_finite = ParseCheckFinite(env, v_check);
  call.grad = OutputArray(env, "gradLogProbs", v_grad, n, "logProbs.length");

  // No JS runs from here on.
  call.log_probs.Pin();
  call.old_log_probs.Pin();
  call.advantages.Pin();
  call.mask.Pin();
  call.grad.Pin();
  if (call.log_probs.length != n || call.old_log_probs.length != n || call.advantages.length != n ||
      call.grad.length != n || (call.mask.present() && call.mask.length != n)) {
    ThrowChangedLength(env, fn);
  }
  const MemoryRange inputs[] = {
      {"logProbs", call.log_probs.data, n * sizeof(float)},
      {"oldLogProbs", call.old_log_probs.data, n * sizeof(float)},
      {"advantages", call.advantages.data, n * sizeof(float)},
      {"mask", call.mask.data, call.mask.length},
  };
  CheckNoOverlap(env, {"gradLogProbs", call.grad.data, n * sizeof(float)}, inputs);
  call.in.log_probs = call.log_probs.data;
  call.in.old_log_probs = call.old_log_probs.data;
  call.in.advantages = call.advantages.data;
  call.in.mask = call.mask.present() ? call.mask.data : nullptr;
  call.in.size = n;
  return call;
}

// ---------------------------------------------------------------------------------------------
// valueLoss

struct ValueLossCall {
  ArrayArg<float> values, old_values, returns, grad;
  kernels::ValueLossInputs in;
  unsigned threads = 0;
  bool check_finite = true;
  kernels::ValueLossResult result;
  std::size_t grad_slot = 0;

  std::string Validate() const { return {}; }
  void Compute() { result = kernels::value_loss(in, grad.data, threads); }
  // A non-finite input makes the float64 sum of squared errors (the loss) non-finite (finite
  // float32 inputs cannot overflow it): only then are the inputs scanned for the first bad element.
  // oldValues is read (and checked) only with clipRange.
  std::string PostCheck() const {
    if (!check_finite || std::isfinite(result.loss)) return {};
    return CheckFiniteArrays({{"values", in.values, in.size},
                              {"oldValues", in.clipped ? in.old_values : nullptr, in.size},
                              {"returns", in.returns, in.size}},
                             threads);
  }
  void KeepAll(PromiseWorker& w) {
    KeepInput(w, values);
    KeepInput(w, old_values);
    KeepInput(w, returns);
    grad_slot = KeepOutput(w, grad);
  }
  Napi::Value Result(Napi::Env env, Napi::Value grad_value) const {
    Napi::Object out = Napi::Object::New(env);
    out.Set("loss", result.loss);
    out.Set("gradValues", grad_value);
    out.Set("clipFraction", result.clip_fraction);
    return out;
  }
  Napi::Value SyncResult(Napi::Env env) const { return Result(env, grad.value); }
  Napi::Value AsyncResult(Napi::Env env, const PromiseWorker& w) const { return Result(env, w.Kept(grad_slot)); }
};

ValueLossCall ParseValueLoss(Napi::Env env, Napi::Value arg, const char* fn) {
  const std::string what = std::string(fn) + " arguments";
  Napi::Object opts = RequireOptions(env, arg, what.c_str());
  RefuseUnknownKeys(env, opts, what,
                    {"values", "oldValues", "returns", "clipRange", "gradValues", "threads", "checkFinite"});
  Napi::Value v_values = opts.Get("values");
  Napi::Value v_old = opts.Get("oldValues");
  Napi::Value v_ret = opts.Get("returns");
  Napi::Value v_clip = opts.Get("clipRange");
  Napi::Value v_grad = opts.Get("gradValues");
  Napi::Value v_threads = opts.Get("threads");
  Napi::Value v_check = opts.Get("checkFinite");

  ValueLossCall call;
  call.values = RequireTypedArray<float>(env, "values", v_values);
  const std::size_t n = call.values.length;
  if (n == 0) ThrowRangeError(env, "values must not be empty");
  call.returns = RequireTypedArray<float>(env, "returns", v_ret);
  CheckLength(env, "returns", call.returns.length, n, "values.length");
  call.old_values = RequireTypedArray<float>(env, "oldValues", v_old, /*optional=*/true);
  if (call.old_values.present()) CheckLength(env, "oldValues", call.old_values.length, n, "values.length");
  if (!v_clip.IsUndefined()) {
    call.in.clip_range = RequireNumberInRange(env, "clipRange", v_clip, 0.0, DBL_MAX);
    if (!call.old_values.present()) {
      ThrowTypeError(env, "clipRange needs oldValues (the value predictions recorded with the rollout)");
    }
    call.in.clipped = true;
  }
  call.threads = ParseThreads(env, v_threads);
  call.check_finite = ParseCheckFinite(env, v_check);
  call.grad = OutputArray(env, "gradValues", v_grad, n, "values.length");

  call.values.Pin();
  call.old_values.Pin();
  call.returns.Pin();
  call.grad.Pin();
  if (call.values.length != n || call.returns.length != n || call.grad.length != n ||
      (call.old_values.present() && call.old_values.length != n)) {
    ThrowChangedLength(env, fn);
  }
  const MemoryRange inputs[] = {
      {"values", call.values.data, n * sizeof(float)},
      {"oldValues", call.old_values.data, call.old_values.length * sizeof(float)},
      {"returns", call.returns.data, n * sizeof(float)},
  };
  CheckNoOverlap(env, {"gradValues", call.grad.data, n * sizeof(float)}, inputs);
  call.in.values = call.values.data;
  call.in.old_values = call.old_values.present() ? call.old_values.data : nullptr;
  call.in.returns = call.returns.data;
  call.in.size = n;
  return call;
}

// ---------------------------------------------------------------------------------------------
// klEstimate

struct KlCall {
  ArrayArg<float> log_probs, ref_log_probs, values, grad;
  kernels::KlInputs in;
  unsigned threads = 0;
  bool check_finite = true;
  double mean = 0;
  std::size_t values_slot = 0, grad_slot = 0;

  std::string Validate() const { return {}; }
  void Compute() { mean = kernels::kl_estimate(in, values.data, grad.data, threads); }
  // Every estimator has a −log r or (log r)² term, so a non-finite input makes the float64 sum of
  // the estimates (the mean) non-finite: only then are the inputs scanned for the first bad element
  // (a finite overflow of k3's r only costs that scan).
  std::string PostCheck() const {
    if (!check_finite || std::isfinite(mean)) return {};
    return CheckFiniteArrays({{"logProbs", in.log_probs, in.size}, {"refLogProbs", in.ref_log_probs, in.size}},
                             threads);
  }
  void KeepAll(PromiseWorker& w) {
    KeepInput(w, log_probs);
    KeepInput(w, ref_log_probs);
    values_slot = KeepOutput(w, values);
    grad_slot = KeepOutput(w, grad);
  }
  Napi::Value Result(Napi::Env env, Napi::Value values_value, Napi::Value grad_value) const {
    Napi::Object out = Napi::Object::New(env);
    out.Set("values", values_value);
    out.Set("gradLogProbs", grad_value);
    out.Set("mean", mean);
    return out;
  }
  Napi::Value SyncResult(Napi::Env env) const { return Result(env, values.value, grad.value); }
  Napi::Value AsyncResult(Napi::Env env, const PromiseWorker& w) const {
    return Result(env, w.Kept(values_slot), w.Kept(grad_slot));
  }
};

KlCall ParseKl(Napi::Env env, Napi::Value arg, const char* fn) {
  const std::string what = std::string(fn) + " arguments";
  Napi::Object opts = RequireOptions(env, arg, what.c_str());
  RefuseUnknownKeys(env, opts, what,
                    {"logProbs", "refLogProbs", "kind", "values", "gradLogProbs", "threads", "checkFinite"});
  Napi::Value v_lp = opts.Get("logProbs");
  Napi::Value v_ref = opts.Get("refLogProbs");
  Napi::Value v_kind = opts.Get("kind");
  Napi::Value v_values = opts.Get("values");
  Napi::Value v_grad = opts.Get("gradLogProbs");
  Napi::Value v_threads = opts.Get("threads");
  Napi::Value v_check = opts.Get("checkFinite");

  KlCall call;
  call.log_probs = RequireTypedArray<float>(env, "logProbs", v_lp);
  const std::size_t n = call.log_probs.length;
  call.ref_log_probs = RequireTypedArray<float>(env, "refLogProbs", v_ref);
  CheckLength(env, "refLogProbs", call.ref_log_probs.length, n, "logProbs.length");
  const std::string kind = v_kind.IsString() ? v_kind.As<Napi::String>().Utf8Value() : std::string();
  if (kind == "k1") {
    call.in.kind = kernels::KlKind::kK1;
  } else if (kind == "k2") {
    call.in.kind = kernels::KlKind::kK2;
  } else if (kind == "k3") {
    call.in.kind = kernels::KlKind::kK3;
  } else {
    ThrowRangeError(env, "kind must be 'k1', 'k2' or 'k3', got " +
                             (v_kind.IsString() ? "'" + kind + "'" : Describe(v_kind)));
  }
  call.threads = ParseThreads(env, v_threads);
  call.check_finite = ParseCheckFinite(env, v_check);
  call.values = OutputArray(env, "values", v_values, n, "logProbs.length");
  call.grad = OutputArray(env, "gradLogProbs", v_grad, n, "logProbs.length");

  call.log_probs.Pin();
  call.ref_log_probs.Pin();
  call.values.Pin();
  call.grad.Pin();
  if (call.log_probs.length != n || call.ref_log_probs.length != n || call.values.length != n ||
      call.grad.length != n) {
    ThrowChangedLength(env, fn);
  }
  const MemoryRange inputs[] = {
      {"logProbs", call.log_probs.data, n * sizeof(float)},
      {"refLogProbs", call.ref_log_probs.data, n * sizeof(float)},
  };
  const MemoryRange values_range{"values", call.values.data, n * sizeof(float)};
  const MemoryRange grad_range{"gradLogProbs", call.grad.data, n * sizeof(float)};
  CheckNoOverlap(env, values_range, inputs);
  CheckNoOverlap(env, grad_range, inputs);
  const MemoryRange values_only[] = {values_range};
  CheckNoOverlap(env, grad_range, values_only);
  call.in.log_probs = call.log_probs.data;
  call.in.ref_log_probs = call.ref_log_probs.data;
  call.in.size = n;
  return call;
}

Napi::Value ClippedSurrogate(const Napi::CallbackInfo& info) {
  return RunSync<SurrogateCall, ParseSurrogate>(info, "clippedSurrogate");
}
Napi::Value ClippedSurrogateAsync(const Napi::CallbackInfo& info) {
  return RunAsync<SurrogateCall, ParseSurrogate>(info, "clippedSurrogateAsync", "proximal:clippedSurrogate");
}
Napi::Value ValueLoss(const Napi::CallbackInfo& info) { return RunSync<ValueLossCall, ParseValueLoss>(info, "valueLoss"); }
Napi::Value ValueLossAsync(const Napi::CallbackInfo& info) {
  return RunAsync<ValueLossCall, ParseValueLoss>(info, "valueLossAsync", "proximal:valueLoss");
}
Napi::Value KlEstimate(const Napi::CallbackInfo& info) { return RunSync<KlCall, ParseKl>(info, "klEstimate"); }
Napi::Value KlEstimateAsync(const Napi::CallbackInfo& info) {
  return RunAsync<KlCall, ParseKl>(info, "klEstimateAsync", "proximal:klEstimate");
}

}  // namespace

void RegisterSurrogate(Napi::Env env, Napi::Object exports) {
  exports.Set("clippedSurrogate", Napi::Function::New(env, ClippedSurrogate, "clippedSurrogate"));
  exports.Set("clippedSurrogateAsync", Napi::Function::New(env, ClippedSurrogateAsync, "clippedSurrogateAsync"));
  exports.Set("valueLoss", Napi::Function::New(env, ValueLoss, "valueLoss"));
  exports.Set("valueLossAsync", Napi::Function::New(env, ValueLossAsync, "valueLossAsync"));
  exports.Set("klEstimate", Napi::Function::New(env, KlEstimate, "klEstimate"));
  exports.Set("klEstimateAsync", Napi::Function::New(env, KlEstimateAsync, "klEstimateAsync"));
}

}  // namespace proximal::binding
