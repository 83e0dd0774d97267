// Cast between the storage types of tfjs's cpu tensors, for the casts that change the values'
// representation: bool (Uint8Array) or int32 (Int32Array) to float32; float32 or int32 to bool
// (x != 0, so NaN is true as in tfjs); float32 to int32 as JavaScript's ToInt32 does it
// (Int32Array.from in tfjs cpu: truncation, NaN and infinities to 0, wrapped modulo 2^32).
// tfjs cpu keeps bool/int32 storage under a float32 dtype; a real Float32Array lets the native
// float kernels take the result.
// Arguments: (x, out) with (x, out) one of (Uint8Array | Int32Array, Float32Array),
// (Float32Array | Int32Array, Uint8Array), (Float32Array, Int32Array).
#include <cmath>
#include <string>

#include "common.h"
#include "elementwise.h"
#include "registry.h"

namespace tsgan {
namespace {

constexpr const char* kOp = "Cast";

Napi::Value Cast(const Napi::CallbackInfo& info) {
  if (info.Length() != 2) Fail(info.Env(), kOp, "expects (x, out)");
  napi_typedarray_type xt, yt;
  size_t xn = 0, yn = 0;
  void* xd = nullptr;
  void* yd = nullptr;
  if (napi_get_typedarray_info(info.Env(), info[0], &xt, &xn, &xd, nullptr, nullptr) != napi_ok ||
      napi_get_typedarray_info(info.Env(), info[1], &yt, &yn, &yd, nullptr, nullptr) != napi_ok) {
    Fail(info.Env(), kOp, "x and out must be typed arrays");
  }
  if (xn != yn) Fail(info.Env(), kOp, "x has " + std::to_string(xn) + " elements, out has " + std::to_string(yn));
  const int64_t n = static_cast<int64_t>(xn);
  if (xt == napi_uint8_array && yt == napi_float32_array) {
    const uint8_t* px = static_cast<const uint8_t*>(xd);
    float* py = static_cast<float*>(yd);
    SplitWork(n, 1 << 16, [&](int64_t b, int64_t e) {
      for (int64_t i = b; i < e; ++i) py[i] = static_cast<float>(px[i]);
    });
  } else if (xt == napi_int32_array && yt == napi_float32_array) {
    const int32_t* px = static_cast<const int32_t*>(xd);
    float* py = static_cast<float*>(yd);
    SplitWork(n, 1 << 16, [&](int64_t b, int64_t e) {
      for (int64_t i = b; i < e; ++i) py[i] = static_cast<float>(px[i]);
    });
  } else if (xt == napi_float32_array && yt == napi_uint8_array) {
    const float* px = static_cast<const float*>(xd);
    uint8_t* py = static_cast<uint8_t*>(yd);
    SplitWork(n, 1 << 16, [&](int64_t b, int64_t e) {
      for (int64_t i = b; i < e; ++i) py[i] = static_cast<uint8_t>(px[i] != 0.f);
    });
  } else if (xt == napi_int32_array && yt == napi_uint8_array) {
    const int32_t* px = static_cast<const int32_t*>(xd);
    uint8_t* py = static_cast<uint8_t*>(yd);
    SplitWork(n, 1 << 16, [&](int64_t b, int64_t e) {
      for (int64_t i = b; i < e; ++i) py[i] = static_cast<uint8_t>(px[i] != 0);
    });
  } else if (xt == napi_float32_array && yt == napi_int32_array) {
    const float* px = static_cast<const float*>(xd);
    int32_t* py = static_cast<int32_t*>(yd);
    SplitWork(n, 1 << 16, [&](int64_t b, int64_t e) {
      for (int64_t i = b; i < e; ++i) {
        const double d = px[i];
        if (!std::isfinite(d)) {
          py[i] = 0;
          continue;
        }
        double m = std::fmod(std::trunc(d), 4294967296.0);
        if (m < 0) m += 4294967296.0;
        py[i] = static_cast<int32_t>(static_cast<uint32_t>(m));
      }
    });
  } else {
    Fail(info.Env(), kOp,
         "casts Uint8Array or Int32Array to Float32Array, Float32Array or Int32Array to Uint8Array, or Float32Array "
         "to Int32Array");
  }
  return info.Env().Undefined();
}

}  // namespace
}  // namespace tsgan

TSGAN_REGISTER_KERNEL(Cast, tsgan::Cast);
