// gaeTokens(opts) / gaeTokensAsync(opts): Node-API binding of kernels::gae_tokens.
//
// Checks follow @proximal/core's gaeTokens (same order, same messages; the mask's 0/1 check comes
// last, and runs on the pool thread for the async form). Typed arrays are used zero-copy; outputs
// are the caller's `advantages` / `returns` Float32Arrays when given, else new ones.
#include <cstdint>
#include <string>

#include "binding/async.h"
#include "binding/bindings.h"
#include "binding/call.h"
#include "binding/checks.h"
#include "kernels/flags.h"
#include "kernels/gae_tokens.h"

namespace proximal::binding {
namespace {

constexpr std::int64_t kMaxSafeInteger = (std::int64_t{1} << 53) - 1;

struct GaeTokensCall {
  ArrayArg<float> rewards, values, bootstrap_values, advantages, returns;
  ArrayArg<std::uint8_t> mask;
  kernels::GaeTokensInputs in;
  unsigned threads = 0;
  bool check_finite = true;
  std::size_t advantages_slot = 0, returns_slot = 0;

  std::string Validate() const {
    const std::size_t n = in.batch_size * in.seq_len;
    const std::ptrdiff_t bad = kernels::first_invalid_flag(in.mask, n);
    if (bad >= 0) return FlagErrorMessage("mask", bad, in.mask[bad]);
    if (!check_finite) return {};
    // Only the tokens the recursion runs over (mask = 1) must be finite.
    return CheckFiniteArrays({{"rewards", in.rewards, n, in.mask},
                              {"values", in.values, n, in.mask},
                              {"bootstrapValues", in.bootstrap_values, in.bootstrap_values ? in.batch_size : 0}},
                             threads);
  }
  std::string PostCheck() const { return {}; }
  void Compute() { kernels::gae_tokens(in, {advantages.data, returns.data}, threads); }
  void KeepAll(PromiseWorker& w) {
    KeepInput(w, rewards);
    KeepInput(w, values);
    KeepInput(w, bootstrap_values);
    KeepInput(w, mask);
    advantages_slot = KeepOutput(w, advantages);
    returns_slot = KeepOutput(w, returns);
  }
  static Napi::Value Result(Napi::Env env, Napi::Value adv, Napi::Value ret) {
    Napi::Object out = Napi::Object::New(env);
    out.Set("advantages", adv);
    out.Set("returns", ret);
    return out;
  }
  Napi::Value SyncResult(Napi::Env env) const { return Result(env, advantages.value, returns.value); }
  Napi::Value AsyncResult(Napi::Env env, const PromiseWorker& w) const {
    return Result(env, w.Kept(advantages_slot), w.Kept(returns_slot));
  }
};

GaeTokensCall ParseGaeTokens(Napi::Env env, Napi::Value arg, const char* fn) {
  const std::string what = std::string(fn) + " arguments";
  Napi::Object opts = RequireOptions(env, arg, what.c_str());
  RefuseUnknownKeys(env, opts, what,
                    {"rewards", "values", "mask", "batchSize", "seqLen", "gamma", "lambda", "bootstrapValues",
                     "advantages", "returns", "threads", "checkFinite"});
  // Read every property first: getters may run JS, and none may run once the data pointers are taken.
  Napi::Value v_rewards = opts.Get("rewards");
  Napi::Value v_values = opts.Get("values");
  Napi::Value v_mask = opts.Get("mask");
  Napi::Value v_batch = opts.Get("batchSize");
  Napi::Value v_seq = opts.Get("seqLen");
  Napi::Value v_gamma = opts.Get("gamma");
  Napi::Value v_lambda = opts.Get("lambda");
  Napi::Value v_boot = opts.Get("bootstrapValues");
  Napi::Value v_adv = opts.Get("advantages");
  Napi::Value v_ret = opts.Get("returns");
  Napi::Value v_threads = opts.Get("threads");
  Napi::Value v_check = opts.Get("checkFinite");

  GaeTokensCall call;
  call.rewards = RequireTypedArray<float>(env, "rewards", v_rewards);
  const auto batch = RequireInteger(env, "batchSize", v_batch, 1, kMaxSafeInteger);
  const auto seq = RequireInteger(env, "seqLen", v_seq, 1, kMaxSafeInteger);
  // B * L as JavaScript computes it (a double); any length matches only when it is exact.
  const double size_d = static_cast<double>(batch) * static_cast<double>(seq);
  const std::string size_s = NumberToString(size_d);
  auto check_len = [&](const char* name, std::size_t length) {
    if (static_cast<double>(length) != size_d) {
      ThrowRangeError(env, std::string(name) + " has length " + std::to_string(length) + ", expected " + size_s +
                               " (= batchSize * seqLen)");
    }
  };
  check_len("rewards", call.rewards.length);
  const std::size_t size = call.rewards.length;
  call.values = RequireTypedArray<float>(env, "values", v_values);
  check_len("values", call.values.length);
  call.mask = RequireTypedArray<std::uint8_t>(env, "mask", v_mask);
  check_len("mask", call.mask.length);
  call.bootstrap_values = RequireTypedArray<float>(env, "bootstrapValues", v_boot, /*optional=*/true);
  if (call.bootstrap_values.present()) {
    CheckLength(env, "bootstrapValues", call.bootstrap_values.length, static_cast<std::size_t>(batch), "batchSize");
  }
  call.in.gamma = RequireNumberInRange(env, "gamma", v_gamma, 0.0, 1.0);
  call.in.lambda = RequireNumberInRange(env, "lambda", v_lambda, 0.0, 1.0);
  call.threads = ParseThreads(env, v_threads);
  call.check_finite = ParseCheckFinite(env, v_check);
  call.advantages = OutputArray(env, "advantages", v_adv, size, "batchSize * seqLen");
  call.returns = OutputArray(env, "returns", v_ret, size, "batchSize * seqLen");

  // No JS runs from here on.
  for (auto* a : {&call.rewards, &call.values, &call.bootstrap_values, &call.advantages, &call.returns}) a->Pin();
  call.mask.Pin();
  if (call.rewards.length != size || call.values.length != size || call.mask.length != size ||
      call.advantages.length != size || call.returns.length != size ||
      (call.bootstrap_values.present() && call.bootstrap_values.length != static_cast<std::size_t>(batch))) {
    ThrowChangedLength(env, fn);
  }
  const MemoryRange inputs[] = {
      {"rewards", call.rewards.data, size * sizeof(float)},
      {"values", call.values.data, size * sizeof(float)},
      {"mask", call.mask.data, size},
      {"bootstrapValues", call.bootstrap_values.data, call.bootstrap_values.length * sizeof(float)},
  };
  const MemoryRange adv{"advantages", call.advantages.data, size * sizeof(float)};
  const MemoryRange ret{"returns", call.returns.data, size * sizeof(float)};
  CheckNoOverlap(env, adv, inputs);
  CheckNoOverlap(env, ret, inputs);
  const MemoryRange adv_only[] = {adv};
  CheckNoOverlap(env, ret, adv_only);

  call.in.rewards = call.rewards.data;
  call.in.values = call.values.data;
  call.in.mask = call.mask.data;
  call.in.bootstrap_values = call.bootstrap_values.present() ? call.bootstrap_values.data : nullptr;
  call.in.batch_size = static_cast<std::size_t>(batch);
  call.in.seq_len = static_cast<std::size_t>(seq);
  return call;
}

Napi::Value GaeTokens(const Napi::CallbackInfo& info) {
  return RunSync<GaeTokensCall, ParseGaeTokens>(info, "gaeTokens");
}
Napi::Value GaeTokensAsync(const Napi::CallbackInfo& info) {
  return RunAsync<GaeTokensCall, ParseGaeTokens>(info, "gaeTokensAsync", "proximal:gaeTokens");
}

}  // namespace

void RegisterGaeTokens(Napi::Env env, Napi::Object exports) {
  exports.Set("gaeTokens", Napi::Function::New(env, GaeTokens, "gaeTokens"));
  exports.Set("gaeTokensAsync", Napi::Function::New(env, GaeTokensAsync, "gaeTokensAsync"));
}

}  // namespace proximal::binding
