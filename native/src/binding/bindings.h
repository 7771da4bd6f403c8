// Registration functions of the binding modules; addon.cc calls each one from module init.
// A new kernel adds a <kernel>_binding.cc defining Register<Kernel>() and one line in addon.cc.
#pragma once

#include <napi.h>

namespace proximal::binding {

/// Exports gae(opts) and gaeAsync(opts).
void RegisterGae(Napi::Env env, Napi::Object exports);

/// Exports gaeTokens(opts) and gaeTokensAsync(opts) (token-level GAE over [B, L] batches).
void RegisterGaeTokens(Napi::Env env, Napi::Object exports);

/// Exports clippedSurrogate, valueLoss, klEstimate and their ...Async variants.
void RegisterSurrogate(Napi::Env env, Napi::Object exports);

/// Exports fisherVectorProduct(opts), conjugateGradientFisher(opts) and their ...Async variants.
void RegisterFisher(Napi::Env env, Napi::Object exports);

/// Exports surrogateAndKl(opts), meanKl(opts) and their ...Async variants (TRPO's line search).
void RegisterLineSearch(Napi::Env env, Napi::Object exports);

/// Exports groupRelativeAdvantages, grpoLoss and their ...Async variants (GRPO).
void RegisterGrpo(Napi::Env env, Napi::Object exports);

}  // namespace proximal::binding
