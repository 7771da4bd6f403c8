// gae(opts) / gaeAsync(opts): Node-API binding of kernels::gae.
//
// Typed arrays are used zero-copy. Outputs are the caller's `advantages` / `returns` Float32Arrays
// when given, else new ones. gae() throws TypeError/RangeError on invalid arguments; gaeAsync()
// returns a promise rejected with the same errors and runs the kernel on the libuv thread pool.
#include <cstdint>
#include <exception>
#include <string>
#include <utility>

#include "binding/async.h"
#include "binding/bindings.h"
#include "binding/checks.h"
#include "kernels/flags.h"
#include "kernels/gae.h"

namespace proximal::binding {
namespace {

constexpr std::int64_t kMaxThreads = 1024;
constexpr std::int64_t kMaxSafeInteger = (std::int64_t{1} << 53) - 1;

/// Arguments of one call, validated; `Pin()` fills the data pointers.
struct GaeCall {
  ArrayArg<float> rewards, values, next_values, bootstrap_values, advantages, returns;
  ArrayArg<std::uint8_t> terminated, truncated;
  std::size_t num_steps = 0;
  std::size_t num_envs = 0;
  double gamma = 0;
  double lambda = 0;
  unsigned threads = 0;  // 0 = hardware concurrency
  bool check_finite = true;

  kernels::GaeInputs Inputs() const {
    kernels::GaeInputs in;
    in.rewards = rewards.data;
    in.values = values.data;
    in.next_values = next_values.present() ? next_values.data : nullptr;
    in.bootstrap_values = bootstrap_values.present() ? bootstrap_values.data : nullptr;
    in.terminated = terminated.data;
    in.truncated = truncated.present() ? truncated.data : nullptr;
    in.num_steps = num_steps;
    in.num_envs = num_envs;
    in.gamma = gamma;
    in.lambda = lambda;
    return in;
  }

  kernels::GaeOutputs Outputs() const { return {advantages.data, returns.data}; }
};

Napi::Float32Array NewFloat32Array(Napi::Env env, std::size_t length) {
  return Napi::Float32Array::New(env, length);
}

/// Reads and validates the options object (the order of checks follows @proximal/core's gae), and
/// allocates the outputs that were not given. Throws Napi::TypeError / Napi::RangeError.
GaeCall ParseGae(Napi::Env env, Napi::Value arg, const char* fn) {
  const std::string what = std::string(fn) + " arguments";
  Napi::Object opts = RequireOptions(env, arg, what.c_str());
  RefuseUnknownKeys(env, opts, what,
                    {"rewards", "values", "nextValues", "bootstrapValues", "terminated", "truncated", "numEnvs",
                     "gamma", "lambda", "advantages", "returns", "threads", "checkFinite"});

  // Read every property first: getters may run arbitrary JS, and none may run after the data
  // pointers are taken.
  Napi::Value v_rewards = opts.Get("rewards");
  Napi::Value v_values = opts.Get("values");
  Napi::Value v_next = opts.Get("nextValues");
  Napi::Value v_boot = opts.Get("bootstrapValues");
  Napi::Value v_term = opts.Get("terminated");
  Napi::Value v_trunc = opts.Get("truncated");
  Napi::Value v_num_envs = opts.Get("numEnvs");
  Napi::Value v_gamma = opts.Get("gamma");
  Napi::Value v_lambda = opts.Get("lambda");
  Napi::Value v_adv = opts.Get("advantages");
  Napi::Value v_ret = opts.Get("returns");
  Napi::Value v_threads = opts.Get("threads");
  Napi::Value v_check = opts.Get("checkFinite");

  GaeCall call;
  call.rewards = RequireTypedArray<float>(env, "rewards", v_rewards);
  const auto num_envs = RequireInteger(env, "numEnvs", v_num_envs, 1, kMaxSafeInteger);
  const std::size_t size = call.rewards.length;
  if (size % static_cast<std::uint64_t>(num_envs) != 0) {
    ThrowRangeError(env, "rewards has length " + std::to_string(size) + ", which is not a multiple of numEnvs = " +
                             std::to_string(num_envs));
  }
  call.num_envs = static_cast<std::size_t>(num_envs);
  call.num_steps = size / call.num_envs;

  call.values = RequireTypedArray<float>(env, "values", v_values);
  CheckLength(env, "values", call.values.length, size, "rewards.length");
  call.terminated = RequireTypedArray<std::uint8_t>(env, "terminated", v_term);
  CheckLength(env, "terminated", call.terminated.length, size, "rewards.length");
  call.truncated = RequireTypedArray<std::uint8_t>(env, "truncated", v_trunc, /*optional=*/true);
  if (call.truncated.present()) CheckLength(env, "truncated", call.truncated.length, size, "rewards.length");

  const bool has_next = !v_next.IsUndefined();
  const bool has_boot = !v_boot.IsUndefined();
  if (has_next == has_boot) {
    ThrowTypeError(env, std::string(fn) + " needs exactly one of nextValues [T, N] or bootstrapValues [N], got " +
                            (has_next ? "both" : "neither"));
  }
  if (has_next) {
    call.next_values = RequireTypedArray<float>(env, "nextValues", v_next);
    CheckLength(env, "nextValues", call.next_values.length, size, "rewards.length");
  } else {
    call.bootstrap_values = RequireTypedArray<float>(env, "bootstrapValues", v_boot);
    CheckLength(env, "bootstrapValues", call.bootstrap_values.length, call.num_envs, "numEnvs");
    if (call.truncated.present()) {
      ThrowTypeError(env,
                     "truncated needs nextValues: with bootstrapValues the value of a truncated episode's final "
                     "state is unknown");
    }
  }
  call.gamma = RequireNumberInRange(env, "gamma", v_gamma, 0.0, 1.0);
  call.lambda = RequireNumberInRange(env, "lambda", v_lambda, 0.0, 1.0);
  if (!v_threads.IsUndefined()) {
    call.threads = static_cast<unsigned>(RequireInteger(env, "threads", v_threads, 1, kMaxThreads));
  }
  call.check_finite = ParseCheckFinite(env, v_check);

  call.advantages = RequireTypedArray<float>(env, "advantages", v_adv, /*optional=*/true);
  if (call.advantages.present()) CheckLength(env, "advantages", call.advantages.length, size, "rewards.length");
  call.returns = RequireTypedArray<float>(env, "returns", v_ret, /*optional=*/true);
  if (call.returns.present()) CheckLength(env, "returns", call.returns.length, size, "rewards.length");
  if (!call.advantages.present()) call.advantages.value = NewFloat32Array(env, size);
  if (!call.returns.present()) call.returns.value = NewFloat32Array(env, size);

  // No JS runs from here on: take the data pointers.
  for (auto* a : {&call.rewards, &call.values, &call.next_values, &call.bootstrap_values, &call.advantages,
                  &call.returns}) {
    a->Pin();
  }
  call.terminated.Pin();
  call.truncated.Pin();
  // Pinned lengths can differ from the checked ones only if a getter shrank a resizable buffer.
  if (call.values.length != size || call.terminated.length != size || call.advantages.length != size ||
      call.returns.length != size || (call.next_values.present() && call.next_values.length != size) ||
      (call.truncated.present() && call.truncated.length != size) ||
      (call.bootstrap_values.present() && call.bootstrap_values.length != call.num_envs) ||
      call.rewards.length != size) {
    ThrowRangeError(env, std::string(fn) + ": an argument array changed length while the arguments were read");
  }

  const MemoryRange inputs[] = {
      {"rewards", call.rewards.data, size * sizeof(float)},
      {"values", call.values.data, size * sizeof(float)},
      {"nextValues", call.next_values.data, call.next_values.length * sizeof(float)},
      {"bootstrapValues", call.bootstrap_values.data, call.bootstrap_values.length * sizeof(float)},
      {"terminated", call.terminated.data, size},
      {"truncated", call.truncated.data, call.truncated.length},
  };
  const MemoryRange adv{"advantages", call.advantages.data, size * sizeof(float)};
  const MemoryRange ret{"returns", call.returns.data, size * sizeof(float)};
  CheckNoOverlap(env, adv, inputs);
  CheckNoOverlap(env, ret, inputs);
  const MemoryRange adv_only[] = {adv};
  CheckNoOverlap(env, ret, adv_only);
  return call;
}

/// Empty string when every flag is 0/1, else the RangeError message for the first bad one.
/// Runs without touching JS values (an absent `truncated` has length 0), so also on pool threads.
std::string CheckGaeFlags(const GaeCall& call) {
  for (const ArrayArg<std::uint8_t>* flags : {&call.terminated, &call.truncated}) {
    const std::ptrdiff_t bad = kernels::first_invalid_flag(flags->data, flags->length);
    if (bad >= 0) return FlagErrorMessage(flags->name, bad, flags->data[bad]);
  }
  return {};
}

/// Runs the kernel. With checkFinite, the kernel's fused test tells whether an input was NaN or
/// infinite (no extra pass over the data); only then are the inputs scanned, in argument order,
/// for the RangeError message naming the first bad element (the outputs have been written by then).
std::string RunGae(const GaeCall& call, const kernels::GaeInputs& in, const kernels::GaeOutputs& out) {
  const bool non_finite = kernels::gae(in, out, call.threads);
  if (!call.check_finite || !non_finite) return {};
  return CheckFiniteArrays({{"rewards", call.rewards.data, call.rewards.length},
                            {"values", call.values.data, call.values.length},
                            {"nextValues", call.next_values.data, call.next_values.length},
                            {"bootstrapValues", call.bootstrap_values.data, call.bootstrap_values.length}},
                           kernels::gae_threads_used(call.num_steps, call.num_envs, call.threads));
}

Napi::Object MakeResult(Napi::Env env, Napi::Value advantages, Napi::Value returns) {
  Napi::Object result = Napi::Object::New(env);
  result.Set("advantages", advantages);
  result.Set("returns", returns);
  return result;
}

Napi::Value Gae(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  GaeCall call = ParseGae(env, info[0], "gae");
  const std::string flag_error = CheckGaeFlags(call);
  if (!flag_error.empty()) ThrowRangeError(env, flag_error);
  const std::string finite_error = RunGae(call, call.Inputs(), call.Outputs());
  if (!finite_error.empty()) ThrowRangeError(env, finite_error);
  return MakeResult(env, call.advantages.value, call.returns.value);
}

class GaeWorker final : public PromiseWorker {
 public:
  GaeWorker(Napi::Env env, const GaeCall& call)
      : PromiseWorker(env, "proximal:gae"), call_(call), inputs_(call.Inputs()), outputs_(call.Outputs()) {
    // Keep every array alive until the promise settles, then drop the handles (they belong to the
    // caller's handle scope); inputs_/outputs_ already hold the pinned pointers.
    for (auto* a : {&call_.rewards, &call_.values, &call_.next_values, &call_.bootstrap_values}) {
      if (a->present()) Keep(a->value);
      a->value = Napi::Value();
    }
    for (auto* a : {&call_.terminated, &call_.truncated}) {
      if (a->present()) Keep(a->value);
      a->value = Napi::Value();
    }
    advantages_slot_ = Keep(call_.advantages.value);
    returns_slot_ = Keep(call_.returns.value);
    call_.advantages.value = Napi::Value();
    call_.returns.value = Napi::Value();
  }

 protected:
  void Run() override {
    // Flags are checked here rather than on the JS thread: it is a full pass over the flag arrays.
    std::string flag_error = CheckGaeFlags(call_);
    if (!flag_error.empty()) {
      Fail(ErrorKind::kRangeError, std::move(flag_error));
      return;
    }
    std::string finite_error = RunGae(call_, inputs_, outputs_);
    if (!finite_error.empty()) Fail(ErrorKind::kRangeError, std::move(finite_error));
  }

  Napi::Value Result(Napi::Env env) override {
    return MakeResult(env, Kept(advantages_slot_), Kept(returns_slot_));
  }

 private:
  GaeCall call_;
  kernels::GaeInputs inputs_;
  kernels::GaeOutputs outputs_;
  std::size_t advantages_slot_ = 0;
  std::size_t returns_slot_ = 0;
};

Napi::Value GaeAsync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  GaeCall call;
  try {
    call = ParseGae(env, info[0], "gaeAsync");
  } catch (const Napi::Error& e) {
    return PromiseWorker::Rejected(env, e.Value());
  } catch (const std::exception& e) {
    return PromiseWorker::Rejected(env, Napi::Error::New(env, e.what()).Value());
  }
  return PromiseWorker::Start(new GaeWorker(env, call));
}

}  // namespace

void RegisterGae(Napi::Env env, Napi::Object exports) {
  exports.Set("gae", Napi::Function::New(env, Gae, "gae"));
  exports.Set("gaeAsync", Napi::Function::New(env, GaeAsync, "gaeAsync"));
}

}  // namespace proximal::binding
