// Promise-returning work on the libuv thread pool, shared by every async kernel binding.
//
// A PromiseWorker is created on the JS thread with the validated arguments, Keep()s every JS value
// the background thread touches (so the typed arrays and their ArrayBuffers stay alive until the
// promise settles), runs Run() on a pool thread, then resolves with Result() or rejects with an
// error of the class Fail() chose. Run() must not touch any JS value.
#pragma once

#include <napi.h>

#include <exception>
#include <new>
#include <string>
#include <utility>
#include <vector>

#include "binding/checks.h"

namespace proximal::binding {

class PromiseWorker : public Napi::AsyncWorker {
 public:
  PromiseWorker(Napi::Env env, const char* resource_name)
      : Napi::AsyncWorker(env, resource_name), deferred_(Napi::Promise::Deferred::New(env)) {}

  Napi::Promise Promise() const { return deferred_.Promise(); }

  /// Holds a strong reference to `value` until the worker is destroyed; returns its slot.
  std::size_t Keep(Napi::Value value) {
    kept_.push_back(Napi::Persistent(value));
    return kept_.size() - 1;
  }
  Napi::Value Kept(std::size_t slot) const { return kept_[slot].Value(); }

  /// Queues the worker and returns its promise. On failure to queue, the worker is deleted and the
  /// returned promise is rejected.
  static Napi::Promise Start(PromiseWorker* worker) {
    Napi::Promise promise = worker->Promise();
    try {
      worker->Queue();
    } catch (const Napi::Error& e) {
      worker->deferred_.Reject(e.Value());
      delete worker;
    }
    return promise;
  }

  /// A promise already rejected with `error` (validation failures of async functions reject
  /// instead of throwing, so callers handle every failure in one place).
  static Napi::Promise Rejected(Napi::Env env, const Napi::Value& error) {
    auto deferred = Napi::Promise::Deferred::New(env);
    deferred.Reject(error);
    return deferred.Promise();
  }

 protected:
  /// The work, on a thread-pool thread. Report failures with Fail() or by throwing.
  virtual void Run() = 0;
  /// The resolved value, on the JS thread.
  virtual Napi::Value Result(Napi::Env env) = 0;

  void Fail(ErrorKind kind, std::string message) {
    kind_ = kind;
    message_ = std::move(message);
  }

 private:
  void Execute() final {
    try {
      Run();
    } catch (const std::bad_alloc&) {
      Fail(ErrorKind::kRangeError, "out of memory");
    } catch (const std::exception& e) {
      Fail(ErrorKind::kError, e.what());
    } catch (...) {
      Fail(ErrorKind::kError, "unknown native exception");
    }
    if (kind_ != ErrorKind::kNone) SetError(message_);
  }

  void OnOK() final {
    Napi::Env env = Env();
    try {
      deferred_.Resolve(Result(env));
    } catch (const Napi::Error& e) {
      deferred_.Reject(e.Value());
    }
  }

  void OnError(const Napi::Error&) final {
    Napi::Env env = Env();
    deferred_.Reject(MakeError(env, kind_ == ErrorKind::kNone ? ErrorKind::kError : kind_, message_).Value());
  }

  Napi::Promise::Deferred deferred_;
  std::vector<Napi::Reference<Napi::Value>> kept_;
  ErrorKind kind_ = ErrorKind::kNone;
  std::string message_;
};

}  // namespace proximal::binding
