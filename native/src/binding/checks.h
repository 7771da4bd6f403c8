// Argument validation helpers for the Node-API functions.
//
// Every helper throws a Napi::Error subclass (built with NAPI_CPP_EXCEPTIONS) whose message names
// the argument, following @proximal/core's TypeScript checks so that a caller sees the same errors
// from every backend:
//   TypeError  — wrong type or dtype, missing argument, invalid combination of arguments;
//   RangeError — wrong length, number out of range, flag not 0/1, output overlapping an input.
#pragma once

#include <napi.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <initializer_list>
#include <string>

#include "kernels/flags.h"

namespace proximal::binding {

enum class ErrorKind { kNone, kError, kTypeError, kRangeError };

/// Builds a JS error of the given class (used to reject promises from async workers).
inline Napi::Error MakeError(Napi::Env env, ErrorKind kind, const std::string& message) {
  switch (kind) {
    case ErrorKind::kTypeError:
      return Napi::TypeError::New(env, message);
    case ErrorKind::kRangeError:
      return Napi::RangeError::New(env, message);
    default:
      return Napi::Error::New(env, message);
  }
}

[[noreturn]] inline void ThrowTypeError(Napi::Env env, const std::string& message) {
  throw Napi::TypeError::New(env, message);
}

[[noreturn]] inline void ThrowRangeError(Napi::Env env, const std::string& message) {
  throw Napi::RangeError::New(env, message);
}

inline const char* TypedArrayName(napi_typedarray_type type) {
  switch (type) {
    case napi_int8_array:
      return "Int8Array";
    case napi_uint8_array:
      return "Uint8Array";
    case napi_uint8_clamped_array:
      return "Uint8ClampedArray";
    case napi_int16_array:
      return "Int16Array";
    case napi_uint16_array:
      return "Uint16Array";
    case napi_int32_array:
      return "Int32Array";
    case napi_uint32_array:
      return "Uint32Array";
    case napi_float32_array:
      return "Float32Array";
    case napi_float64_array:
      return "Float64Array";
    case napi_bigint64_array:
      return "BigInt64Array";
    case napi_biguint64_array:
      return "BigUint64Array";
    default:
      return "TypedArray";
  }
}

/// Formats a number as JavaScript's String(x) does for the common cases (NaN, Infinity, integers,
/// shortest round-tripping decimal otherwise).
inline std::string NumberToString(double x) {
  if (std::isnan(x)) return "NaN";
  if (std::isinf(x)) return x > 0 ? "Infinity" : "-Infinity";
  char buf[40];
  if (x == std::floor(x) && std::fabs(x) < 1e21) {
    std::snprintf(buf, sizeof buf, "%.0f", x == 0 ? 0.0 : x);
    return buf;
  }
  for (int precision = 1; precision < 17; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*g", precision, x);
    if (std::strtod(buf, nullptr) == x) return buf;
  }
  std::snprintf(buf, sizeof buf, "%.17g", x);
  return buf;
}

/// Describes a JS value for error messages without running user code: "undefined", "null",
/// "number 2.5", "string", "Float64Array(8)", "Array(3)", "ArrayBuffer", "DataView", "function",
/// "object", ...
inline std::string Describe(Napi::Value value) {
  switch (value.Type()) {
    case napi_undefined:
      return "undefined";
    case napi_null:
      return "null";
    case napi_boolean:
      return "boolean";
    case napi_number:
      return NumberToString(value.As<Napi::Number>().DoubleValue());
    case napi_string:
      return "string";
    case napi_symbol:
      return "symbol";
    case napi_bigint:
      return "bigint";
    case napi_function:
      return "function";
    case napi_external:
      return "external";
    default:
      break;
  }
  if (value.IsTypedArray()) {
    auto array = value.As<Napi::TypedArray>();
    return std::string(TypedArrayName(array.TypedArrayType())) + "(" + std::to_string(array.ElementLength()) + ")";
  }
  if (value.IsArray()) return "Array(" + std::to_string(value.As<Napi::Array>().Length()) + ")";
  if (value.IsArrayBuffer()) return "ArrayBuffer";
  if (value.IsDataView()) return "DataView";
  if (value.IsPromise()) return "Promise";
  return "object";
}

/// The options bag of a kernel: a non-null, non-array object.
inline Napi::Object RequireOptions(Napi::Env env, Napi::Value value, const char* what) {
  if (value.Type() != napi_object || value.IsArray()) {
    ThrowTypeError(env, std::string(what) + " must be an object, got " + Describe(value));
  }
  return value.As<Napi::Object>();
}

template <typename T>
struct TypedArrayTraits;
template <>
struct TypedArrayTraits<float> {
  static constexpr napi_typedarray_type kType = napi_float32_array;
  static constexpr const char* kName = "Float32Array";
};
template <>
struct TypedArrayTraits<std::uint8_t> {
  static constexpr napi_typedarray_type kType = napi_uint8_array;
  static constexpr const char* kName = "Uint8Array";
};
template <>
struct TypedArrayTraits<std::int32_t> {
  static constexpr napi_typedarray_type kType = napi_int32_array;
  static constexpr const char* kName = "Int32Array";
};

/// A validated typed-array argument. The data pointer is read by Pin() once no more JS can run
/// (property getters, allocations), so that it is the pointer the kernel will use.
template <typename T>
struct ArrayArg {
  const char* name = nullptr;
  Napi::Value value;  // empty when absent
  std::size_t length = 0;
  T* data = nullptr;

  bool present() const { return !value.IsEmpty(); }

  void Pin() {
    if (!present()) return;
    napi_typedarray_type type;
    std::size_t len = 0;
    void* ptr = nullptr;
    const napi_status status =
        napi_get_typedarray_info(value.Env(), value, &type, &len, &ptr, nullptr, nullptr);
    if (status != napi_ok) throw Napi::Error::New(value.Env());
    length = len;
    data = static_cast<T*>(ptr);
  }
};

/// Validates that `value` is a typed array of element type T (Float32Array, Uint8Array or Int32Array; a Node
/// Buffer counts as a Uint8Array). `optional` arguments may be undefined (then absent); null is an
/// error, as in the TypeScript checks.
template <typename T>
inline ArrayArg<T> RequireTypedArray(Napi::Env env, const char* name, Napi::Value value, bool optional = false) {
  ArrayArg<T> arg;
  arg.name = name;
  if (optional && value.IsUndefined()) return arg;
  if (!value.IsTypedArray() || value.As<Napi::TypedArray>().TypedArrayType() != TypedArrayTraits<T>::kType) {
    ThrowTypeError(env, std::string(name) + " must be a " + TypedArrayTraits<T>::kName + ", got " + Describe(value));
  }
  arg.value = value;
  arg.length = value.As<Napi::TypedArray>().ElementLength();
  return arg;
}

/// RangeError "<name> has length 7, expected 8 (= rewards.length)".
inline void CheckLength(Napi::Env env, const char* name, std::size_t length, std::size_t expected,
                        const char* what) {
  if (length != expected) {
    ThrowRangeError(env, std::string(name) + " has length " + std::to_string(length) + ", expected " +
                             std::to_string(expected) + " (= " + what + ")");
  }
}

/// An integer in [min, max] (max at most 2^53). RangeError otherwise, also for a non-number, as
/// core's checkInteger.
inline std::int64_t RequireInteger(Napi::Env env, const char* name, Napi::Value value, std::int64_t min,
                                   std::int64_t max) {
  bool ok = value.IsNumber();
  double x = 0;
  if (ok) {
    x = value.As<Napi::Number>().DoubleValue();
    ok = std::isfinite(x) && x == std::floor(x) && x >= static_cast<double>(min) && x <= static_cast<double>(max);
  }
  if (!ok) {
    std::string range = max >= (std::int64_t{1} << 53) - 1 ? std::string("an integer ≥ ") + std::to_string(min)
                                                       : "an integer in [" + std::to_string(min) + ", " +
                                                             std::to_string(max) + "]";
    ThrowRangeError(env, std::string(name) + " must be " + range + ", got " + Describe(value));
  }
  return static_cast<std::int64_t>(x);
}

/// A finite number in [lo, hi]. RangeError otherwise (also for a non-number, as core's
/// checkNumberInRange).
inline double RequireNumberInRange(Napi::Env env, const char* name, Napi::Value value, double lo, double hi) {
  if (value.IsNumber()) {
    const double x = value.As<Napi::Number>().DoubleValue();
    if (std::isfinite(x) && x >= lo && x <= hi) return x;
  }
  ThrowRangeError(env, std::string(name) + " must be a finite number in [" + NumberToString(lo) + ", " +
                           NumberToString(hi) + "], got " + Describe(value));
}

/// Message for a flag that is not 0/1: "terminated[5] must be 0 or 1, got 2".
inline std::string FlagErrorMessage(const char* name, std::ptrdiff_t index, unsigned value) {
  return std::string(name) + "[" + std::to_string(index) + "] must be 0 or 1, got " + std::to_string(value);
}

/// Message for a non-finite input element: "rewards[5] must be finite, got NaN" (core's checkFinite).
inline std::string FiniteErrorMessage(const char* name, std::ptrdiff_t index, double value) {
  return std::string(name) + "[" + std::to_string(index) + "] must be finite, got " + NumberToString(value);
}

/// One float input scanned by CheckFiniteArrays (absent when data is null; only the elements with
/// mask[i] != 0 count when mask is not null).
struct FiniteArg {
  const char* name;
  const float* data;
  std::size_t length;
  const std::uint8_t* mask = nullptr;
};

/// Empty string when every element of every array is finite, else the RangeError message for the
/// first non-finite element of the first array (in the order given) that has one. Touches no JS
/// value, so it also runs on pool threads.
inline std::string CheckFiniteArrays(std::initializer_list<FiniteArg> arrays, unsigned threads) {
  for (const FiniteArg& a : arrays) {
    if (a.data == nullptr) continue;
    const std::ptrdiff_t bad = kernels::first_non_finite(a.data, a.length, a.mask, threads);
    if (bad >= 0) return FiniteErrorMessage(a.name, bad, a.data[bad]);
  }
  return {};
}

/// The `checkFinite` option: true when undefined; TypeError unless a boolean.
inline bool ParseCheckFinite(Napi::Env env, Napi::Value value) {
  if (value.IsUndefined()) return true;
  if (!value.IsBoolean()) ThrowTypeError(env, "checkFinite must be a boolean, got " + Describe(value));
  return value.As<Napi::Boolean>().Value();
}

/// TypeError "<what> has an unknown option 'x' (accepted: a, b, c)" for the first enumerable key of
/// `opts` not in `accepted` (the message of @proximal/core's checkKeys). Reads no property values.
inline void RefuseUnknownKeys(Napi::Env env, Napi::Object opts, const std::string& what,
                              std::initializer_list<const char*> accepted) {
  Napi::Array keys = opts.GetPropertyNames();
  for (std::uint32_t i = 0; i < keys.Length(); ++i) {
    Napi::Value key = keys.Get(i);
    const std::string name = key.IsString() ? key.As<Napi::String>().Utf8Value() : key.ToString().Utf8Value();
    bool known = false;
    for (const char* a : accepted) known = known || name == a;
    if (known) continue;
    std::string list;
    for (const char* a : accepted) list += (list.empty() ? "" : ", ") + std::string(a);
    ThrowTypeError(env, what + " has an unknown option '" + name + "' (accepted: " + list + ")");
  }
}

/// Byte range of an array argument, for overlap checks.
struct MemoryRange {
  const char* name;
  const void* data;
  std::size_t bytes;
};

/// RangeError when output `out` shares memory with any of `others` (the kernels read inputs after
/// writing earlier outputs, so aliasing would silently give wrong results).
template <std::size_t K>
inline void CheckNoOverlap(Napi::Env env, const MemoryRange& out, const MemoryRange (&others)[K]) {
  if (out.bytes == 0 || out.data == nullptr) return;
  const auto a0 = reinterpret_cast<std::uintptr_t>(out.data);
  const auto a1 = a0 + out.bytes;
  for (const MemoryRange& other : others) {
    if (other.bytes == 0 || other.data == nullptr) continue;
    const auto b0 = reinterpret_cast<std::uintptr_t>(other.data);
    const auto b1 = b0 + other.bytes;
    if (a0 < b1 && b0 < a1) {
      ThrowRangeError(env, std::string(out.name) + " must not share memory with " + other.name);
    }
  }
}

}  // namespace proximal::binding
