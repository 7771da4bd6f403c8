// surrogateAndKl(opts) / meanKl(opts) and their ...Async variants: Node-API binding of
// kernels/line_search.h (TRPO's line-search evaluation of a candidate parameter vector).
//
//   surrogateAndKl({ policy: { layers, head }, oldParams, newParams, states, actions, advantages,
//                    oldLogProbs, threads? }) → { surrogate, kl }
//   meanKl({ policyOld: { layers, head, params }, policyNew: { layers, head, params }, states,
//            threads? }) → number
//
// Arguments are checked in the order and with the messages of @proximal/core's TypeScript
// (packages/core/src/fisher/kl.ts): TypeError for a wrong type or dtype, RangeError for sizes,
// lengths, heads and action indices. Every property is read before any data pointer is taken; the
// categorical action-range check is a pass over the data and comes last (on the libuv thread pool for
// the async variants, whose promise rejects with the same errors).
#include <cstdint>
#include <new>
#include <string>
#include <utility>

#include "binding/async.h"
#include "binding/bindings.h"
#include "binding/call.h"
#include "binding/checks.h"
#include "binding/policy_args.h"
#include "kernels/fvp.h"
#include "kernels/line_search.h"
#include "kernels/mlp.h"

namespace proximal::binding {
namespace {

namespace k = proximal::kernels;

[[noreturn]] void ThrowOutOfMemory(Napi::Env env, const char* fn) {
  ThrowRangeError(env, std::string(fn) + ": out of memory for the network's work buffers");
}

/// An options object: TypeError "<what> must be an object, got <x>" otherwise, <x> as core's
/// checkObject describes it (the type for numbers, where Describe would give the value).
Napi::Object RequireObject(Napi::Env env, Napi::Value value, const std::string& what) {
  if (value.IsNumber()) ThrowTypeError(env, what + " must be an object, got number");
  return RequireOptions(env, value, what.c_str());
}

/// RangeError message for the first categorical action outside [0, num_actions), or empty.
std::string ActionRangeError(const std::int32_t* actions, std::size_t n, std::size_t num_actions) {
  for (std::size_t i = 0; i < n; ++i) {
    const std::int32_t a = actions[i];
    if (a < 0 || static_cast<std::size_t>(a) >= num_actions) {
      return "actions[" + std::to_string(i) + "] must be in [0, " + std::to_string(num_actions - 1) + "], got " +
             std::to_string(a);
    }
  }
  return {};
}

// ---------------------------------------------------------------------------------------------
// surrogateAndKl

struct SurrogateKlCall {
  k::MlpSpec spec;
  k::PolicyHead head = k::PolicyHead::kCategorical;
  ArrayArg<float> old_params, new_params, states, continuous_actions, advantages, old_log_probs;
  ArrayArg<std::int32_t> actions;
  std::size_t batch = 0;
  unsigned threads = 0;
  bool check_finite = true;
  k::SurrogateKl result;

  std::string Validate() const {
    if (head == k::PolicyHead::kCategorical) {
      std::string error = ActionRangeError(actions.data, batch, spec.output_size());
      if (!error.empty()) return error;
    }
    if (!check_finite) return {};
    return CheckFiniteArrays({{"oldParams", old_params.data, old_params.length},
                              {"newParams", new_params.data, new_params.length},
                              {"states", states.data, states.length},
                              {"actions", continuous_actions.data, continuous_actions.length},
                              {"advantages", advantages.data, advantages.length},
                              {"oldLogProbs", old_log_probs.data, old_log_probs.length}},
                             1);
  }
  std::string PostCheck() const { return {}; }
  void Compute() {
    k::SurrogateKlInputs in;
    in.spec = &spec;
    in.head = head;
    in.old_params = old_params.data;
    in.new_params = new_params.data;
    in.states = states.data;
    in.batch = batch;
    in.actions = actions.data;
    in.continuous_actions = continuous_actions.data;
    in.advantages = advantages.data;
    in.old_log_probs = old_log_probs.data;
    result = k::surrogate_and_kl(in, threads);
  }
  void KeepAll(PromiseWorker& w) {
    KeepInput(w, old_params);
    KeepInput(w, new_params);
    KeepInput(w, states);
    KeepInput(w, continuous_actions);
    KeepInput(w, actions);
    KeepInput(w, advantages);
    KeepInput(w, old_log_probs);
  }
  Napi::Value SyncResult(Napi::Env env) const {
    Napi::Object out = Napi::Object::New(env);
    out.Set("surrogate", result.surrogate);
    out.Set("kl", result.kl);
    return out;
  }
  Napi::Value AsyncResult(Napi::Env env, const PromiseWorker&) const { return SyncResult(env); }
};

SurrogateKlCall ParseSurrogateKl(Napi::Env env, Napi::Value arg, const char* fn) {
  const std::string what = std::string(fn) + " arguments";
  Napi::Object opts = RequireObject(env, arg, what);
  RefuseUnknownKeys(env, opts, what,
                    {"policy", "oldParams", "newParams", "states", "actions", "advantages", "oldLogProbs", "threads",
                     "checkFinite"});
  Napi::Value v_policy = opts.Get("policy");
  Napi::Value v_old = opts.Get("oldParams");
  Napi::Value v_new = opts.Get("newParams");
  Napi::Value v_states = opts.Get("states");
  Napi::Value v_actions = opts.Get("actions");
  Napi::Value v_adv = opts.Get("advantages");
  Napi::Value v_olp = opts.Get("oldLogProbs");
  Napi::Value v_threads = opts.Get("threads");
  Napi::Value v_check = opts.Get("checkFinite");
  Napi::Object policy = RequireObject(env, v_policy, "policy");
  Napi::Value v_layers = policy.Get("layers");
  Napi::Value v_head = policy.Get("head");

  SurrogateKlCall call;
  call.spec = ParseLayers(env, v_layers);
  call.head = ParseHead(env, v_head);
  call.old_params = RequireParams(env, "oldParams", v_old, call.spec, call.head);
  call.new_params = RequireParams(env, "newParams", v_new, call.spec, call.head);
  call.batch = RequireStates(env, v_states, call.spec, call.states);
  const std::size_t b = call.batch;
  if (call.head == k::PolicyHead::kCategorical) {
    call.actions = RequireTypedArray<std::int32_t>(env, "actions", v_actions);
    CheckLength(env, "actions", call.actions.length, b, "batch");
  } else {
    call.continuous_actions = RequireTypedArray<float>(env, "actions", v_actions);
    CheckLength(env, "actions", call.continuous_actions.length, b * call.spec.output_size(), "batch · actionDim");
  }
  call.advantages = RequireTypedArray<float>(env, "advantages", v_adv);
  CheckLength(env, "advantages", call.advantages.length, b, "batch");
  call.old_log_probs = RequireTypedArray<float>(env, "oldLogProbs", v_olp);
  CheckLength(env, "oldLogProbs", call.old_log_probs.length, b, "batch");
  call.threads = ParseThreads(env, v_threads);
  call.check_finite = ParseCheckFinite(env, v_check);

  // No JS runs from here on.
  const std::size_t lengths[] = {call.old_params.length,         call.new_params.length, call.states.length,
                                 call.continuous_actions.length, call.actions.length,    call.advantages.length,
                                 call.old_log_probs.length};
  call.old_params.Pin();
  call.new_params.Pin();
  call.states.Pin();
  call.continuous_actions.Pin();
  call.actions.Pin();
  call.advantages.Pin();
  call.old_log_probs.Pin();
  const std::size_t pinned[] = {call.old_params.length,         call.new_params.length, call.states.length,
                                call.continuous_actions.length, call.actions.length,    call.advantages.length,
                                call.old_log_probs.length};
  for (std::size_t i = 0; i < sizeof lengths / sizeof lengths[0]; ++i) {
    if (lengths[i] != pinned[i]) ThrowChangedLength(env, fn);
  }
  return call;
}

// ---------------------------------------------------------------------------------------------
// meanKl

struct MeanKlCall {
  k::MlpSpec spec_old, spec_new;
  k::PolicyHead head = k::PolicyHead::kCategorical;
  ArrayArg<float> params_old, params_new, states;
  std::size_t batch = 0;
  unsigned threads = 0;
  bool check_finite = true;
  double result = 0;

  std::string Validate() const {
    if (!check_finite) return {};
    return CheckFiniteArrays({{"policyOld.params", params_old.data, params_old.length},
                              {"policyNew.params", params_new.data, params_new.length},
                              {"states", states.data, states.length}},
                             1);
  }
  std::string PostCheck() const { return {}; }
  void Compute() {
    const k::PolicyView old_policy{&spec_old, head, params_old.data};
    const k::PolicyView new_policy{&spec_new, head, params_new.data};
    result = k::mean_kl(old_policy, new_policy, states.data, batch, threads);
  }
  void KeepAll(PromiseWorker& w) {
    KeepInput(w, params_old);
    KeepInput(w, params_new);
    KeepInput(w, states);
  }
  Napi::Value SyncResult(Napi::Env env) const { return Napi::Number::New(env, result); }
  Napi::Value AsyncResult(Napi::Env env, const PromiseWorker&) const { return SyncResult(env); }
};

const char* HeadName(k::PolicyHead head) {
  return head == k::PolicyHead::kDiagGaussian ? "diag-gaussian" : "categorical";
}

MeanKlCall ParseMeanKl(Napi::Env env, Napi::Value arg, const char* fn) {
  const std::string what = std::string(fn) + " arguments";
  Napi::Object opts = RequireObject(env, arg, what);
  RefuseUnknownKeys(env, opts, what, {"policyOld", "policyNew", "states", "threads", "checkFinite"});
  Napi::Value v_old = opts.Get("policyOld");
  Napi::Value v_new = opts.Get("policyNew");
  Napi::Value v_states = opts.Get("states");
  Napi::Value v_threads = opts.Get("threads");
  Napi::Value v_check = opts.Get("checkFinite");

  MeanKlCall call;
  // As core's meanKl: both layouts (object, layers, head), then both parameter vectors.
  Napi::Object old_policy = RequireObject(env, v_old, "policyOld");
  Napi::Value v_old_layers = old_policy.Get("layers");
  Napi::Value v_old_head = old_policy.Get("head");
  call.spec_old = ParseLayers(env, v_old_layers);
  const k::PolicyHead head_old = ParseHead(env, v_old_head);
  Napi::Object new_policy = RequireObject(env, v_new, "policyNew");
  Napi::Value v_new_layers = new_policy.Get("layers");
  Napi::Value v_new_head = new_policy.Get("head");
  call.spec_new = ParseLayers(env, v_new_layers);
  const k::PolicyHead head_new = ParseHead(env, v_new_head);
  Napi::Value v_old_params = old_policy.Get("params");
  Napi::Value v_new_params = new_policy.Get("params");
  call.params_old = RequireParams(env, "policyOld.params", v_old_params, call.spec_old, head_old);
  call.params_new = RequireParams(env, "policyNew.params", v_new_params, call.spec_new, head_new);
  const std::size_t in_old = call.spec_old.input_size(), out_old = call.spec_old.output_size();
  const std::size_t in_new = call.spec_new.input_size(), out_new = call.spec_new.output_size();
  if (head_old != head_new || in_old != in_new || out_old != out_new) {
    ThrowRangeError(env, std::string("policyOld (") + HeadName(head_old) + ", " + std::to_string(in_old) + " → " +
                             std::to_string(out_old) + ") and policyNew (" + HeadName(head_new) + ", " +
                             std::to_string(in_new) + " → " + std::to_string(out_new) +
                             ") must have the same head, input and output sizes");
  }
  call.head = head_old;
  call.batch = RequireStates(env, v_states, call.spec_old, call.states);
  call.threads = ParseThreads(env, v_threads);
  call.check_finite = ParseCheckFinite(env, v_check);

  const std::size_t p0 = call.params_old.length, p1 = call.params_new.length, s = call.states.length;
  call.params_old.Pin();
  call.params_new.Pin();
  call.states.Pin();
  if (call.params_old.length != p0 || call.params_new.length != p1 || call.states.length != s) {
    ThrowChangedLength(env, fn);
  }
  return call;
}

// ---------------------------------------------------------------------------------------------
// Entry points. The sync forms turn an allocation failure into a RangeError (the async ones reject
// with "out of memory", see PromiseWorker).

template <class Call, Call (*Parse)(Napi::Env, Napi::Value, const char*)>
Napi::Value RunSyncChecked(const Napi::CallbackInfo& info, const char* fn) {
  Napi::Env env = info.Env();
  Call call = Parse(env, info[0], fn);
  const std::string error = call.Validate();
  if (!error.empty()) ThrowRangeError(env, error);
  try {
    call.Compute();
  } catch (const std::bad_alloc&) {
    ThrowOutOfMemory(env, fn);
  }
  const std::string post = call.PostCheck();
  if (!post.empty()) ThrowRangeError(env, post);
  return call.SyncResult(env);
}

Napi::Value SurrogateAndKl(const Napi::CallbackInfo& info) {
  return RunSyncChecked<SurrogateKlCall, ParseSurrogateKl>(info, "surrogateAndKl");
}
Napi::Value SurrogateAndKlAsync(const Napi::CallbackInfo& info) {
  return RunAsync<SurrogateKlCall, ParseSurrogateKl>(info, "surrogateAndKlAsync", "proximal:surrogateAndKl");
}
Napi::Value MeanKl(const Napi::CallbackInfo& info) { return RunSyncChecked<MeanKlCall, ParseMeanKl>(info, "meanKl"); }
Napi::Value MeanKlAsync(const Napi::CallbackInfo& info) {
  return RunAsync<MeanKlCall, ParseMeanKl>(info, "meanKlAsync", "proximal:meanKl");
}

}  // namespace

void RegisterLineSearch(Napi::Env env, Napi::Object exports) {
  exports.Set("surrogateAndKl", Napi::Function::New(env, SurrogateAndKl, "surrogateAndKl"));
  exports.Set("surrogateAndKlAsync", Napi::Function::New(env, SurrogateAndKlAsync, "surrogateAndKlAsync"));
  exports.Set("meanKl", Napi::Function::New(env, MeanKl, "meanKl"));
  exports.Set("meanKlAsync", Napi::Function::New(env, MeanKlAsync, "meanKlAsync"));
}

}  // namespace proximal::binding
