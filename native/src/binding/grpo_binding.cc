// groupRelativeAdvantages / grpoLoss (and their ...Async forms): Node-API bindings of kernels/grpo.h.
//
// Checks follow @proximal/core's rlhf/grpo.ts (same order, same messages; the mask's 0/1 check
// comes last and runs on the pool thread for the async form). Unknown options are refused by core
// before it calls the addon. Typed arrays are read zero-copy; outputs are new Float32Arrays.
#include <cstdint>
#include <limits>
#include <string>

#include "binding/async.h"
#include "binding/bindings.h"
#include "binding/call.h"
#include "binding/checks.h"
#include "kernels/flags.h"
#include "kernels/grpo.h"

namespace proximal::binding {
namespace {

constexpr std::int64_t kMaxSafeInteger = (std::int64_t{1} << 53) - 1;
constexpr double kMaxValue = std::numeric_limits<double>::max();

bool Absent(const Napi::Value& v) { return v.IsUndefined() || v.IsNull(); }

/// "name must be one of 'a', 'b', got 'x'" unless v is one of `choices`; returns the index.
template <std::size_t K>
std::size_t RequireChoice(Napi::Env env, const char* name, Napi::Value v, const char* const (&choices)[K]) {
  if (v.IsString()) {
    const std::string s = v.As<Napi::String>().Utf8Value();
    for (std::size_t i = 0; i < K; ++i) {
      if (s == choices[i]) return i;
    }
  }
  std::string list;
  for (std::size_t i = 0; i < K; ++i) list += (i ? ", '" : "'") + std::string(choices[i]) + "'";
  const std::string got = v.IsString() ? "'" + v.As<Napi::String>().Utf8Value() + "'" : Describe(v);
  ThrowRangeError(env, std::string(name) + " must be one of " + list + ", got " + got);
}

// ---------------------------------------------------------------------------------------------

struct AdvantagesCall {
  ArrayArg<float> rewards, advantages, group_mean, group_std;
  std::size_t group_size = 0;
  kernels::RewardScaling scaling = kernels::RewardScaling::kGroup;
  kernels::GroupAdvantagesOutputs out;
  std::size_t slots[3] = {0, 0, 0};

  std::string Validate() const { return std::string(); }
  // Non-finite inputs are refused by @proximal/core before it calls the addon (checkFinite).
  std::string PostCheck() const { return std::string(); }
  void Compute() {
    out.advantages = advantages.data;
    out.group_mean = group_mean.data;
    out.group_std = group_std.data;
    kernels::group_relative_advantages(rewards.data, rewards.length, group_size, scaling, out);
  }
  void KeepAll(PromiseWorker& w) {
    KeepInput(w, rewards);
    slots[0] = KeepOutput(w, advantages);
    slots[1] = KeepOutput(w, group_mean);
    slots[2] = KeepOutput(w, group_std);
  }
  Napi::Value Result(Napi::Env env, Napi::Value adv, Napi::Value mean, Napi::Value std_dev) const {
    Napi::Object o = Napi::Object::New(env);
    o.Set("advantages", adv);
    o.Set("groupMean", mean);
    o.Set("groupStd", std_dev);
    o.Set("batchStd", out.batch_std);
    o.Set("fracRewardZeroStd", out.frac_zero_std);
    return o;
  }
  Napi::Value SyncResult(Napi::Env env) const {
    return Result(env, advantages.value, group_mean.value, group_std.value);
  }
  Napi::Value AsyncResult(Napi::Env env, const PromiseWorker& w) const {
    return Result(env, w.Kept(slots[0]), w.Kept(slots[1]), w.Kept(slots[2]));
  }
};

AdvantagesCall ParseAdvantages(Napi::Env env, Napi::Value arg, const char* fn) {
  const std::string what = std::string("groupRelativeAdvantages arguments");
  Napi::Object opts = RequireOptions(env, arg, what.c_str());
  Napi::Value v_rewards = opts.Get("rewards");
  Napi::Value v_g = opts.Get("numGenerations");
  Napi::Value v_scale = opts.Get("scaleRewards");

  AdvantagesCall call;
  call.rewards = RequireTypedArray<float>(env, "rewards", v_rewards);
  const auto g = RequireInteger(env, "numGenerations", v_g, 2, kMaxSafeInteger);
  const std::size_t n = call.rewards.length;
  if (n == 0 || n % static_cast<std::size_t>(g) != 0) {
    ThrowRangeError(env, "rewards has length " + std::to_string(n) + ", expected a positive multiple of numGenerations = " +
                             std::to_string(g));
  }
  static const char* const kScalings[] = {"group", "batch", "none"};
  const std::size_t scale = Absent(v_scale) ? 0 : RequireChoice(env, "scaleRewards", v_scale, kScalings);
  call.scaling = scale == 0 ? kernels::RewardScaling::kGroup
                            : (scale == 1 ? kernels::RewardScaling::kBatch : kernels::RewardScaling::kNone);
  call.group_size = static_cast<std::size_t>(g);
  const std::size_t groups = n / call.group_size;
  call.advantages.value = Napi::Float32Array::New(env, n);
  call.group_mean.value = Napi::Float32Array::New(env, groups);
  call.group_std.value = Napi::Float32Array::New(env, groups);
  // No JS runs from here on.
  call.rewards.Pin();
  call.advantages.Pin();
  call.group_mean.Pin();
  call.group_std.Pin();
  if (call.rewards.length != n) ThrowChangedLength(env, fn);
  return call;
}

Napi::Value GroupRelativeAdvantages(const Napi::CallbackInfo& info) {
  return RunSync<AdvantagesCall, ParseAdvantages>(info, "groupRelativeAdvantages");
}
Napi::Value GroupRelativeAdvantagesAsync(const Napi::CallbackInfo& info) {
  return RunAsync<AdvantagesCall, ParseAdvantages>(info, "groupRelativeAdvantagesAsync",
                                                    "proximal:groupRelativeAdvantages");
}

// ---------------------------------------------------------------------------------------------

struct GrpoCall {
  ArrayArg<float> log_probs, old_log_probs, ref_log_probs, advantages, grad;
  ArrayArg<std::uint8_t> mask;
  kernels::GrpoLossInputs in;
  kernels::GrpoLossResult res;
  unsigned threads = 0;
  std::size_t grad_slot = 0;

  std::string Validate() const {
    const std::ptrdiff_t bad = kernels::first_invalid_flag(in.mask, in.num_sequences * in.seq_len);
    return bad >= 0 ? FlagErrorMessage("mask", bad, in.mask[bad]) : std::string();
  }
  void Compute() { res = kernels::grpo_loss(in, grad.data, threads); }
  std::string PostCheck() const { return std::string(); }
  void KeepAll(PromiseWorker& w) {
    KeepInput(w, log_probs);
    KeepInput(w, old_log_probs);
    KeepInput(w, ref_log_probs);
    KeepInput(w, advantages);
    KeepInput(w, mask);
    grad_slot = KeepOutput(w, grad);
  }
  Napi::Value Result(Napi::Env env, Napi::Value g) const {
    Napi::Object o = Napi::Object::New(env);
    o.Set("loss", res.loss);
    o.Set("gradLogProbs", g);
    if (in.ref_log_probs != nullptr) {
      o.Set("meanKl", res.mean_kl);
    } else {
      o.Set("meanKl", env.Null());
    }
    o.Set("clipRatioLow", res.clip_low);
    o.Set("clipRatioHigh", res.clip_high);
    o.Set("clipRatioRegion", res.clip_region);
    return o;
  }
  Napi::Value SyncResult(Napi::Env env) const { return Result(env, grad.value); }
  Napi::Value AsyncResult(Napi::Env env, const PromiseWorker& w) const { return Result(env, w.Kept(grad_slot)); }
};

GrpoCall ParseGrpo(Napi::Env env, Napi::Value arg, const char* fn) {
  Napi::Object opts = RequireOptions(env, arg, "grpoLoss arguments");
  // Read every property first: getters may run JS, and none may run once the data pointers are taken.
  Napi::Value v_lp = opts.Get("logProbs");
  Napi::Value v_old = opts.Get("oldLogProbs");
  Napi::Value v_ref = opts.Get("refLogProbs");
  Napi::Value v_adv = opts.Get("advantages");
  Napi::Value v_mask = opts.Get("mask");
  Napi::Value v_b = opts.Get("numSequences");
  Napi::Value v_l = opts.Get("seqLen");
  Napi::Value v_type = opts.Get("lossType");
  Napi::Value v_level = opts.Get("importanceSamplingLevel");
  Napi::Value v_eps = opts.Get("epsilon");
  Napi::Value v_eps_high = opts.Get("epsilonHigh");
  Napi::Value v_delta = opts.Get("delta");
  Napi::Value v_beta = opts.Get("beta");
  Napi::Value v_max_len = opts.Get("maxCompletionLength");
  Napi::Value v_threads = opts.Get("threads");

  GrpoCall call;
  const auto B = RequireInteger(env, "numSequences", v_b, 1, kMaxSafeInteger);
  const auto L = RequireInteger(env, "seqLen", v_l, 1, kMaxSafeInteger);
  const double size_d = static_cast<double>(B) * static_cast<double>(L);
  const std::string size_s = NumberToString(size_d);
  auto check_len = [&](const char* name, std::size_t length) {
    if (static_cast<double>(length) != size_d) {
      ThrowRangeError(env, std::string(name) + " has length " + std::to_string(length) + ", expected " + size_s +
                               " (= numSequences * seqLen)");
    }
  };
  call.log_probs = RequireTypedArray<float>(env, "logProbs", v_lp);
  check_len("logProbs", call.log_probs.length);
  const std::size_t size = call.log_probs.length;
  call.old_log_probs = RequireTypedArray<float>(env, "oldLogProbs", v_old, /*optional=*/true);
  if (call.old_log_probs.present()) check_len("oldLogProbs", call.old_log_probs.length);
  call.ref_log_probs = RequireTypedArray<float>(env, "refLogProbs", v_ref, /*optional=*/true);
  if (call.ref_log_probs.present()) check_len("refLogProbs", call.ref_log_probs.length);
  call.advantages = RequireTypedArray<float>(env, "advantages", v_adv);
  CheckLength(env, "advantages", call.advantages.length, static_cast<std::size_t>(B), "numSequences");
  call.mask = RequireTypedArray<std::uint8_t>(env, "mask", v_mask);
  check_len("mask", call.mask.length);
  static const char* const kTypes[] = {"grpo", "bnpo", "dr_grpo", "dapo"};
  static const kernels::GrpoLossType kTypeValues[] = {kernels::GrpoLossType::kGrpo, kernels::GrpoLossType::kBnpo,
                                                      kernels::GrpoLossType::kDrGrpo, kernels::GrpoLossType::kDapo};
  call.in.loss_type = kTypeValues[RequireChoice(env, "lossType", v_type, kTypes)];
  static const char* const kLevels[] = {"token", "sequence"};
  call.in.sequence_level = !Absent(v_level) && RequireChoice(env, "importanceSamplingLevel", v_level, kLevels) == 1;
  call.in.epsilon = Absent(v_eps) ? 0.2 : RequireNumberInRange(env, "epsilon", v_eps, 0.0, kMaxValue);
  call.in.epsilon_high =
      Absent(v_eps_high) ? call.in.epsilon : RequireNumberInRange(env, "epsilonHigh", v_eps_high, 0.0, kMaxValue);
  if (!v_delta.IsUndefined()) {
    call.in.has_delta = true;
    call.in.delta = RequireNumberInRange(env, "delta", v_delta, 0.0, kMaxValue);
  }
  call.in.beta = Absent(v_beta) ? 0.0 : RequireNumberInRange(env, "beta", v_beta, 0.0, kMaxValue);
  if (call.in.beta != 0 && !call.ref_log_probs.present()) {
    ThrowTypeError(env, "refLogProbs is required when beta ≠ 0 (beta = " + NumberToString(call.in.beta) + ")");
  }
  if (!v_max_len.IsUndefined()) {
    call.in.max_completion_length =
        static_cast<std::size_t>(RequireInteger(env, "maxCompletionLength", v_max_len, 1, kMaxSafeInteger));
  } else if (call.in.loss_type == kernels::GrpoLossType::kDrGrpo) {
    ThrowTypeError(env, "maxCompletionLength is required with lossType 'dr_grpo' (an integer ≥ 1)");
  }
  call.threads = ParseThreads(env, v_threads);
  call.grad.value = Napi::Float32Array::New(env, size);

  // No JS runs from here on.
  for (auto* a : {&call.log_probs, &call.old_log_probs, &call.ref_log_probs, &call.advantages, &call.grad}) a->Pin();
  call.mask.Pin();
  if (call.log_probs.length != size || call.mask.length != size ||
      (call.old_log_probs.present() && call.old_log_probs.length != size) ||
      (call.ref_log_probs.present() && call.ref_log_probs.length != size) ||
      call.advantages.length != static_cast<std::size_t>(B)) {
    ThrowChangedLength(env, fn);
  }
  call.in.log_probs = call.log_probs.data;
  call.in.old_log_probs = call.old_log_probs.present() ? call.old_log_probs.data : nullptr;
  call.in.ref_log_probs = call.ref_log_probs.present() ? call.ref_log_probs.data : nullptr;
  call.in.advantages = call.advantages.data;
  call.in.mask = call.mask.data;
  call.in.num_sequences = static_cast<std::size_t>(B);
  call.in.seq_len = static_cast<std::size_t>(L);
  return call;
}

Napi::Value GrpoLoss(const Napi::CallbackInfo& info) { return RunSync<GrpoCall, ParseGrpo>(info, "grpoLoss"); }
Napi::Value GrpoLossAsync(const Napi::CallbackInfo& info) {
  return RunAsync<GrpoCall, ParseGrpo>(info, "grpoLossAsync", "proximal:grpoLoss");
}

}  // namespace

void RegisterGrpo(Napi::Env env, Napi::Object exports) {
  exports.Set("groupRelativeAdvantages",
              Napi::Function::New(env, GroupRelativeAdvantages, "groupRelativeAdvantages"));
  exports.Set("groupRelativeAdvantagesAsync",
              Napi::Function::New(env, GroupRelativeAdvantagesAsync, "groupRelativeAdvantagesAsync"));
  exports.Set("grpoLoss", Napi::Function::New(env, GrpoLoss, "grpoLoss"));
  exports.Set("grpoLossAsync", Napi::Function::New(env, GrpoLossAsync, "grpoLossAsync"));
}

}  // namespace proximal::binding
