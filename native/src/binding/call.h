// Shared plumbing of the "Call"-style bindings (surrogate, value loss, KL, token GAE): optional
// output arrays, the threads option, and the sync / promise entry points around a parsed call.
#pragma once

#include <napi.h>

#include <cstdint>
#include <exception>
#include <string>
#include <utility>

#include "binding/async.h"
#include "binding/checks.h"

namespace proximal::binding {

constexpr std::int64_t kMaxCallThreads = 1024;

inline unsigned ParseThreads(Napi::Env env, Napi::Value v) {
  if (v.IsUndefined()) return 0;
  return static_cast<unsigned>(RequireInteger(env, "threads", v, 1, kMaxCallThreads));
}

/// An optional preallocated Float32Array output of length n, or a new one.
inline ArrayArg<float> OutputArray(Napi::Env env, const char* name, Napi::Value v, std::size_t n, const char* what) {
  ArrayArg<float> out = RequireTypedArray<float>(env, name, v, /*optional=*/true);
  if (out.present()) {
    CheckLength(env, name, out.length, n, what);
  } else {
    out.value = Napi::Float32Array::New(env, n);
  }
  return out;
}

/// Keeps `arg` alive in `worker` and drops the handle (it belongs to the caller's handle scope).
template <typename T>
void KeepInput(PromiseWorker& worker, ArrayArg<T>& arg) {
  if (arg.present()) worker.Keep(arg.value);
  arg.value = Napi::Value();
}

template <typename T>
std::size_t KeepOutput(PromiseWorker& worker, ArrayArg<T>& arg) {
  const std::size_t slot = worker.Keep(arg.value);
  arg.value = Napi::Value();
  return slot;
}

[[noreturn]] inline void ThrowChangedLength(Napi::Env env, const char* fn) {
  ThrowRangeError(env, std::string(fn) + ": an argument array changed length while the arguments were read");
}

// ---------------------------------------------------------------------------------------------
// Sync and async entry points. A Call type provides Validate() (runs on the pool thread for the
// async form: pinned pointers only), Compute(), PostCheck() (after Compute, same constraints: an
// error message found from the kernel's results, e.g. a non-finite input its sums revealed),
// KeepAll(worker), SyncResult(env) and AsyncResult(env, worker).

template <class Call>
class CallWorker final : public PromiseWorker {
 public:
  CallWorker(Napi::Env env, const char* resource, Call call) : PromiseWorker(env, resource), call_(std::move(call)) {
    call_.KeepAll(*this);
  }

 protected:
  void Run() override {
    std::string error = call_.Validate();
    if (!error.empty()) {
      Fail(ErrorKind::kRangeError, std::move(error));
      return;
    }
    call_.Compute();
    std::string post = call_.PostCheck();
    if (!post.empty()) Fail(ErrorKind::kRangeError, std::move(post));
  }
  Napi::Value Result(Napi::Env env) override { return call_.AsyncResult(env, *this); }

 private:
  Call call_;
};

template <class Call, Call (*Parse)(Napi::Env, Napi::Value, const char*)>
Napi::Value RunSync(const Napi::CallbackInfo& info, const char* fn) {
  Napi::Env env = info.Env();
  Call call = Parse(env, info[0], fn);
  const std::string error = call.Validate();
  if (!error.empty()) ThrowRangeError(env, error);
  call.Compute();
  const std::string post = call.PostCheck();
  if (!post.empty()) ThrowRangeError(env, post);
  return call.SyncResult(env);
}

template <class Call, Call (*Parse)(Napi::Env, Napi::Value, const char*)>
Napi::Value RunAsync(const Napi::CallbackInfo& info, const char* fn, const char* resource) {
  Napi::Env env = info.Env();
  try {
    return PromiseWorker::Start(new CallWorker<Call>(env, resource, Parse(env, info[0], fn)));
  } catch (const Napi::Error& e) {
    return PromiseWorker::Rejected(env, e.Value());
  } catch (const std::exception& e) {
    return PromiseWorker::Rejected(env, Napi::Error::New(env, e.what()).Value());
  }
}

}  // namespace proximal::binding
