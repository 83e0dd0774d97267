// Argument helpers shared by the kernels: every kernel validates its inputs with these before any
// work starts, and a bad argument becomes a JS Error that names the op and the shapes.
#pragma once
#include <napi.h>

#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

namespace tsgan {

using Shape = std::vector<int64_t>;

inline std::string ShapeStr(const Shape& s) {
  std::ostringstream o;
  o << "[";
  for (size_t i = 0; i < s.size(); ++i) o << (i ? "," : "") << s[i];
  o << "]";
  return o.str();
}

inline int64_t NumElements(const Shape& s) {
  int64_t n = 1;
  for (int64_t d : s) n *= d;
  return n;
}

// Throws a JS Error "tsgan native <op>: <msg>".
[[noreturn]] inline void Fail(const Napi::Env& env, const char* op, const std::string& msg) {
  throw Napi::Error::New(env, std::string("tsgan native ") + op + ": " + msg);
}

struct F32 {
  float* data = nullptr;
  int64_t size = 0;
};

inline F32 ArgF32(const Napi::CallbackInfo& info, size_t i, const char* op, const char* name) {
  if (i >= info.Length() || !info[i].IsTypedArray() ||
      info[i].As<Napi::TypedArray>().TypedArrayType() != napi_float32_array) {
    Fail(info.Env(), op, std::string("argument '") + name + "' must be a Float32Array");
  }
  auto a = info[i].As<Napi::Float32Array>();
  return F32{a.Data(), static_cast<int64_t>(a.ElementLength())};
}

// A Float32Array whose length must equal the element count of `shape`.
inline F32 ArgF32Shaped(const Napi::CallbackInfo& info, size_t i, const char* op, const char* name,
                        const Shape& shape) {
  F32 a = ArgF32(info, i, op, name);
  if (a.size != NumElements(shape)) {
    Fail(info.Env(), op, std::string("'") + name + "' has " + std::to_string(a.size) +
                             " elements but shape " + ShapeStr(shape) + " needs " +
                             std::to_string(NumElements(shape)));
  }
  return a;
}

inline Shape ArgShape(const Napi::CallbackInfo& info, size_t i, const char* op, const char* name) {
  if (i >= info.Length() || !info[i].IsArray()) {
    Fail(info.Env(), op, std::string("argument '") + name + "' must be an array of dimensions");
  }
  auto arr = info[i].As<Napi::Array>();
  Shape s(arr.Length());
  for (uint32_t k = 0; k < arr.Length(); ++k) {
    Napi::Value v = arr.Get(k);
    if (!v.IsNumber()) Fail(info.Env(), op, std::string("'") + name + "' has a non-numeric dimension");
    double d = v.As<Napi::Number>().DoubleValue();
    if (!(d >= 0) || d != static_cast<double>(static_cast<int64_t>(d)) || d > 2147483647.0) {
      Fail(info.Env(), op, std::string("'") + name + "' has an invalid dimension " + std::to_string(d));
    }
    s[k] = static_cast<int64_t>(d);
  }
  return s;
}

inline int64_t ArgInt(const Napi::CallbackInfo& info, size_t i, const char* op, const char* name) {
  if (i >= info.Length() || !info[i].IsNumber()) {
    Fail(info.Env(), op, std::string("argument '") + name + "' must be a number");
  }
  double d = info[i].As<Napi::Number>().DoubleValue();
  if (d != static_cast<double>(static_cast<int64_t>(d))) {
    Fail(info.Env(), op, std::string("argument '") + name + "' must be an integer");
  }
  return static_cast<int64_t>(d);
}

inline double ArgNum(const Napi::CallbackInfo& info, size_t i, const char* op, const char* name) {
  if (i >= info.Length() || !info[i].IsNumber()) {
    Fail(info.Env(), op, std::string("argument '") + name + "' must be a number");
  }
  return info[i].As<Napi::Number>().DoubleValue();
}

inline std::string ArgStr(const Napi::CallbackInfo& info, size_t i, const char* op, const char* name) {
  if (i >= info.Length() || !info[i].IsString()) {
    Fail(info.Env(), op, std::string("argument '") + name + "' must be a string");
  }
  return info[i].As<Napi::String>().Utf8Value();
}

inline bool ArgBool(const Napi::CallbackInfo& info, size_t i, const char* op, const char* name) {
  if (i >= info.Length() || !info[i].IsBoolean()) {
    Fail(info.Env(), op, std::string("argument '") + name + "' must be a boolean");
  }
  return info[i].As<Napi::Boolean>().Value();
}

}  // namespace tsgan
