// Module entry point of proximal_native.node: registers every binding and version().
#include <napi.h>

#include <string>

#include "binding/bindings.h"
#include "kernels/parallel.h"
#include "kernels/target.h"

#ifndef PROXIMAL_VERSION
#define PROXIMAL_VERSION "0.0.0"
#endif
#ifndef PROXIMAL_BUILD_TYPE
#define PROXIMAL_BUILD_TYPE "unknown"
#endif

namespace proximal::binding {
namespace {

// Kernels exported by this build (besides version()); keep in sync with Init below.
constexpr const char* kKernels[] = {"gae", "gaeAsync", "clippedSurrogate", "clippedSurrogateAsync",
                                    "fisherVectorProduct", "fisherVectorProductAsync",
                                    "conjugateGradientFisher", "conjugateGradientFisherAsync",
                                    "valueLoss", "valueLossAsync", "klEstimate", "klEstimateAsync",
                                    "gaeTokens", "gaeTokensAsync", "surrogateAndKl", "surrogateAndKlAsync",
                                    "meanKl", "meanKlAsync", "groupRelativeAdvantages",
                                    "groupRelativeAdvantagesAsync", "grpoLoss", "grpoLossAsync"};

std::string CompilerName() {
#if defined(__clang__)
  return std::string("Clang ") + __clang_version__;
#elif defined(__GNUC__)
  return std::string("GCC ") + __VERSION__;
#elif defined(_MSC_VER)
  return "MSVC " + std::to_string(_MSC_FULL_VER);
#else
  return "unknown";
#endif
}

Napi::Value Version(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object out = Napi::Object::New(env);
  out.Set("version", PROXIMAL_VERSION);
  out.Set("napiVersion", NAPI_VERSION);
  out.Set("runtimeNapiVersion", Napi::VersionManagement::GetNapiVersion(env));
  out.Set("compiler", CompilerName());
  out.Set("buildType", PROXIMAL_BUILD_TYPE);
  out.Set("threads", kernels::hardware_threads());
  out.Set("cuda", false);
  out.Set("simd", kernels::simd_level());
  Napi::Array kernels = Napi::Array::New(env);
  uint32_t i = 0;
  for (const char* name : kKernels) kernels.Set(i++, name);
  out.Set("kernels", kernels);
  return out;
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  RegisterGae(env, exports);
  RegisterGaeTokens(env, exports);
  RegisterSurrogate(env, exports);
  RegisterFisher(env, exports);
  RegisterLineSearch(env, exports);
  RegisterGrpo(env, exports);
  exports.Set("version", Napi::Function::New(env, Version, "version"));
  return exports;
}

}  // namespace
}  // namespace proximal::binding

namespace {
Napi::Object InitModule(Napi::Env env, Napi::Object exports) {
  return proximal::binding::Init(env, exports);
}
}  // namespace

NODE_API_MODULE(proximal_native, InitModule)
