// fisherVectorProduct(opts) / conjugateGradientFisher(opts) and their ...Async variants: Node-API
// binding of kernels::FisherOperator (fvp.h) and kernels::conjugate_gradient (cg.h).
//
// The policy is described by `layers` (an array of { inSize, outSize, activation }), `head`
// ('categorical' | 'diag-gaussian') and flat float32 `params`; `states` is float32 [batch, obsDim].
// Every property is read and checked (TypeError/RangeError naming the argument) before any data
// pointer is taken; the async variants reject their promise with the same errors and run the
// products on the libuv thread pool. Conjugate gradient runs entirely in C++: no JS call per step.
#include <cmath>
#include <cstdint>
#include <exception>
#include <limits>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include "binding/async.h"
#include "binding/bindings.h"
#include "binding/checks.h"
#include "binding/policy_args.h"
#include "kernels/cg.h"
#include "kernels/fvp.h"
#include "kernels/mlp.h"

namespace proximal::binding {
namespace {

namespace k = proximal::kernels;

constexpr std::int64_t kMaxThreads = 1024;
constexpr std::int64_t kMaxIterations = std::int64_t{1} << 31;

/// The policy and states of one call; Pin() fills the data pointers.
struct PolicyCall {
  k::MlpSpec spec;
  k::PolicyHead head = k::PolicyHead::kCategorical;
  ArrayArg<float> params, states;
  std::size_t batch = 0;
  unsigned threads = 0;
  double damping = 0;
  bool check_finite = true;

  /// Empty, or the RangeError message for the first non-finite element of params, states, then
  /// `vec` (named `vec_name`). Reads only pinned pointers (also on pool threads).
  std::string CheckFinite(const ArrayArg<float>& vec, const char* vec_name) const {
    if (!check_finite) return {};
    return CheckFiniteArrays({{"params", params.data, params.length},
                              {"states", states.data, states.length},
                              {vec_name, vec.data, vec.length}},
                             1);
  }
};

struct FvpCall : PolicyCall {
  ArrayArg<float> vector;
};

struct CgCall : PolicyCall {
  ArrayArg<float> b;
  std::size_t max_iterations = 10;
  double residual_tolerance = 1e-10;
};

/// Reads the properties shared by both kernels. `fn` names the function in messages.
Napi::Object ParsePolicy(Napi::Env env, Napi::Value arg, const char* fn, PolicyCall& call, bool is_cg) {
  const std::string what = std::string(fn) + " arguments";
  Napi::Object opts = RequireOptions(env, arg, what.c_str());
  if (is_cg) {
    RefuseUnknownKeys(env, opts, what,
                      {"layers", "head", "params", "states", "b", "damping", "maxIterations", "residualTolerance",
                       "threads", "checkFinite"});
  } else {
    RefuseUnknownKeys(env, opts, what,
                      {"layers", "head", "params", "states", "vector", "damping", "threads", "checkFinite"});
  }
  Napi::Value v_layers = opts.Get("layers");
  Napi::Value v_head = opts.Get("head");
  Napi::Value v_params = opts.Get("params");
  Napi::Value v_states = opts.Get("states");
  Napi::Value v_damping = opts.Get("damping");
  Napi::Value v_threads = opts.Get("threads");
  Napi::Value v_check = opts.Get("checkFinite");

  call.spec = ParseLayers(env, v_layers);
  call.head = ParseHead(env, v_head);
  call.params = RequireParams(env, "params", v_params, call.spec, call.head);
  call.batch = RequireStates(env, v_states, call.spec, call.states);
  if (!v_damping.IsUndefined()) {
    bool ok = v_damping.IsNumber();
    if (ok) {
      call.damping = v_damping.As<Napi::Number>().DoubleValue();
      ok = std::isfinite(call.damping) && call.damping >= 0;
    }
    if (!ok) ThrowRangeError(env, "damping must be a finite number ≥ 0, got " + Describe(v_damping));
  }
  if (!v_threads.IsUndefined()) {
    call.threads = static_cast<unsigned>(RequireInteger(env, "threads", v_threads, 1, kMaxThreads));
  }
  call.check_finite = ParseCheckFinite(env, v_check);
  return opts;
}

/// Takes the data pointers once no more JS can run, and re-checks the lengths.
void PinPolicy(Napi::Env env, PolicyCall& call, ArrayArg<float>& vec, const char* fn) {
  const std::size_t p = call.params.length, s = call.states.length, v = vec.length;
  call.params.Pin();
  call.states.Pin();
  vec.Pin();
  if (call.params.length != p || call.states.length != s || vec.length != v) {
    ThrowRangeError(env, std::string(fn) + ": an argument array changed length while the arguments were read");
  }
}

FvpCall ParseFvp(Napi::Env env, Napi::Value arg, const char* fn) {
  FvpCall call;
  Napi::Object opts = ParsePolicy(env, arg, fn, call, false);
  Napi::Value v_vector = opts.Get("vector");
  call.vector = RequireTypedArray<float>(env, "vector", v_vector);
  CheckLength(env, "vector", call.vector.length, call.params.length, "params.length");
  PinPolicy(env, call, call.vector, fn);
  return call;
}

CgCall ParseCg(Napi::Env env, Napi::Value arg, const char* fn) {
  CgCall call;
  Napi::Object opts = ParsePolicy(env, arg, fn, call, true);
  Napi::Value v_b = opts.Get("b");
  Napi::Value v_iters = opts.Get("maxIterations");
  Napi::Value v_tol = opts.Get("residualTolerance");
  call.b = RequireTypedArray<float>(env, "b", v_b);
  CheckLength(env, "b", call.b.length, call.params.length, "params.length");
  if (!v_iters.IsUndefined()) {
    call.max_iterations = static_cast<std::size_t>(RequireInteger(env, "maxIterations", v_iters, 0, kMaxIterations));
  }
  if (!v_tol.IsUndefined()) {
    bool ok = v_tol.IsNumber();
    if (ok) {
      call.residual_tolerance = v_tol.As<Napi::Number>().DoubleValue();
      ok = std::isfinite(call.residual_tolerance) && call.residual_tolerance >= 0;
    }
    if (!ok) ThrowRangeError(env, "residualTolerance must be a finite number ≥ 0, got " + Describe(v_tol));
  }
  PinPolicy(env, call, call.b, fn);
  return call;
}

/// F v + damping v in double.
std::vector<double> RunFvp(const FvpCall& call) {
  k::FisherOperator op(call.spec, call.head, call.params.data, call.states.data, call.batch, call.threads);
  std::vector<double> v(call.vector.data, call.vector.data + op.size()), out(op.size());
  op.apply(v.data(), call.damping, out.data());
  return out;
}

struct CgOutcome {
  std::vector<double> x;
  k::CgResult result;

  /// Empty, or the RangeError message for a non-finite Fisher-vector product that stopped CG.
  std::string Error() const {
    if (result.non_finite_index < 0) return {};
    return FiniteErrorMessage("Fisher-vector product", result.non_finite_index, result.non_finite_value) +
           " (conjugate gradient iteration " + std::to_string(result.non_finite_iteration) + ")";
  }
};

CgOutcome RunCg(const CgCall& call) {
  k::FisherOperator op(call.spec, call.head, call.params.data, call.states.data, call.batch, call.threads);
  CgOutcome out;
  out.x.resize(op.size());
  std::vector<double> b(call.b.data, call.b.data + op.size());
  const double damping = call.damping;
  out.result = k::conjugate_gradient([&](const double* p, double* ap) { op.apply(p, damping, ap); }, b.data(),
                                     b.size(), call.max_iterations, call.residual_tolerance, out.x.data(),
                                     call.check_finite);
  return out;
}

Napi::Float32Array ToFloat32(Napi::Env env, const std::vector<double>& v) {
  Napi::Float32Array out = Napi::Float32Array::New(env, v.size());
  float* data = out.Data();
  for (std::size_t i = 0; i < v.size(); ++i) data[i] = static_cast<float>(v[i]);
  return out;
}

Napi::Value CgResultObject(Napi::Env env, const CgOutcome& outcome) {
  Napi::Object result = Napi::Object::New(env);
  result.Set("x", ToFloat32(env, outcome.x));
  result.Set("iterations", static_cast<double>(outcome.result.iterations));
  result.Set("residual", outcome.result.residual);
  return result;
}

[[noreturn]] void ThrowOutOfMemory(Napi::Env env, const char* fn) {
  ThrowRangeError(env, std::string(fn) + ": out of memory for the network's work buffers");
}

Napi::Value FisherVectorProduct(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  FvpCall call = ParseFvp(env, info[0], "fisherVectorProduct");
  const std::string error = call.CheckFinite(call.vector, "vector");
  if (!error.empty()) ThrowRangeError(env, error);
  std::vector<double> out;
  try {
    out = RunFvp(call);
  } catch (const std::bad_alloc&) {
    ThrowOutOfMemory(env, "fisherVectorProduct");
  }
  return ToFloat32(env, out);
}

Napi::Value ConjugateGradientFisher(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  CgCall call = ParseCg(env, info[0], "conjugateGradientFisher");
  const std::string error = call.CheckFinite(call.b, "b");
  if (!error.empty()) ThrowRangeError(env, error);
  CgOutcome out;
  try {
    out = RunCg(call);
  } catch (const std::bad_alloc&) {
    ThrowOutOfMemory(env, "conjugateGradientFisher");
  }
  const std::string product_error = out.Error();
  if (!product_error.empty()) ThrowRangeError(env, product_error);
  return CgResultObject(env, out);
}

/// Keeps the policy's arrays alive until the promise settles and drops the JS handles.
void KeepPolicy(PromiseWorker& worker, PolicyCall& call, ArrayArg<float>& vec) {
  for (ArrayArg<float>* a : {&call.params, &call.states, &vec}) {
    worker.Keep(a->value);
    a->value = Napi::Value();
  }
}

class FvpWorker final : public PromiseWorker {
 public:
  FvpWorker(Napi::Env env, FvpCall call) : PromiseWorker(env, "proximal:fisherVectorProduct"), call_(std::move(call)) {
    KeepPolicy(*this, call_, call_.vector);
  }

 protected:
  void Run() override {
    std::string error = call_.CheckFinite(call_.vector, "vector");
    if (!error.empty()) {
      Fail(ErrorKind::kRangeError, std::move(error));
      return;
    }
    out_ = RunFvp(call_);
  }
  Napi::Value Result(Napi::Env env) override { return ToFloat32(env, out_); }

 private:
  FvpCall call_;
  std::vector<double> out_;
};

class CgWorker final : public PromiseWorker {
 public:
  CgWorker(Napi::Env env, CgCall call) : PromiseWorker(env, "proximal:conjugateGradientFisher"), call_(std::move(call)) {
    KeepPolicy(*this, call_, call_.b);
  }

 protected:
  void Run() override {
    std::string error = call_.CheckFinite(call_.b, "b");
    if (error.empty()) {
      out_ = RunCg(call_);
      error = out_.Error();
    }
    if (!error.empty()) Fail(ErrorKind::kRangeError, std::move(error));
  }
  Napi::Value Result(Napi::Env env) override { return CgResultObject(env, out_); }

 private:
  CgCall call_;
  CgOutcome out_;
};

template <typename Call, typename Worker>
Napi::Value StartAsync(const Napi::CallbackInfo& info, Call (*parse)(Napi::Env, Napi::Value, const char*),
                       const char* fn) {
  Napi::Env env = info.Env();
  Call call;
  try {
    call = parse(env, info[0], fn);
  } catch (const Napi::Error& e) {
    return PromiseWorker::Rejected(env, e.Value());
  } catch (const std::exception& e) {
    return PromiseWorker::Rejected(env, Napi::Error::New(env, e.what()).Value());
  }
  return PromiseWorker::Start(new Worker(env, std::move(call)));
}

Napi::Value FisherVectorProductAsync(const Napi::CallbackInfo& info) {
  return StartAsync<FvpCall, FvpWorker>(info, ParseFvp, "fisherVectorProductAsync");
}

Napi::Value ConjugateGradientFisherAsync(const Napi::CallbackInfo& info) {
  return StartAsync<CgCall, CgWorker>(info, ParseCg, "conjugateGradientFisherAsync");
}

}  // namespace

void RegisterFisher(Napi::Env env, Napi::Object exports) {
  exports.Set("fisherVectorProduct", Napi::Function::New(env, FisherVectorProduct, "fisherVectorProduct"));
  exports.Set("fisherVectorProductAsync",
              Napi::Function::New(env, FisherVectorProductAsync, "fisherVectorProductAsync"));
  exports.Set("conjugateGradientFisher",
              Napi::Function::New(env, ConjugateGradientFisher, "conjugateGradientFisher"));
  exports.Set("conjugateGradientFisherAsync",
              Napi::Function::New(env, ConjugateGradientFisherAsync, "conjugateGradientFisherAsync"));
}

}  // namespace proximal::binding
