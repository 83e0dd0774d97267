// Cast between the storage types of tfjs's cpu tensors, for the casts that change the values'
// representation: bool (Uint8Array) or int32 (Int32Array) to float32, and float32 to bool
// (x != 0, so NaN is true as in tfjs). tfjs cpu keeps bool/int32 storage under a float32 dtype
// instead; a real Float32Array lets the native float kernels take the result.
// Arguments: (x: Uint8Array | Int32Array, out: Float32Array) or (x: Float32Array, out: Uint8Array).
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
  } else {
    Fail(info.Env(), kOp, "casts Uint8Array or Int32Array to Float32Array, or Float32Array to Uint8Array");
  }
  return info.Env().Undefined();
}

}  // namespace
}  // namespace tsgan

TSGAN_REGISTER_KERNEL(Cast, tsgan::Cast);
