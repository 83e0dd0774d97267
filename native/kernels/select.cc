// Select: out[i] = condition[i] == 1 ? t[i] : e[i] (tfjs broadcasts the three operands before the
// kernel runs). Arguments: (condition: Uint8Array, t: Float32Array, e: Float32Array, out: Float32Array).
#include "common.h"
#include "elementwise.h"
#include "registry.h"

namespace tsgan {
namespace {

Napi::Value Select(const Napi::CallbackInfo& info) {
  if (info.Length() != 4) Fail(info.Env(), "Select", "expects (condition, t, e, out)");
  if (!info[0].IsTypedArray() || info[0].As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) {
    Fail(info.Env(), "Select", "argument 'condition' must be a Uint8Array (a bool tensor)");
  }
  auto ca = info[0].As<Napi::Uint8Array>();
  const uint8_t* c = ca.Data();
  const int64_t nc = static_cast<int64_t>(ca.ElementLength());
  F32 t = ArgF32(info, 1, "Select", "t");
  F32 e = ArgF32(info, 2, "Select", "e");
  F32 y = ArgF32(info, 3, "Select", "out");
  if (nc != y.size || t.size != y.size || e.size != y.size) {
    Fail(info.Env(), "Select", "condition, t, e and out must have the same size, got " + std::to_string(nc) + ", " +
                                   std::to_string(t.size) + ", " + std::to_string(e.size) + " and " + std::to_string(y.size));
  }
  const float* pt = t.data;
  const float* pe = e.data;
  float* py = y.data;
  SplitWork(y.size, 1 << 15, [&](int64_t b, int64_t end) {
    for (int64_t i = b; i < end; ++i) py[i] = c[i] == 1 ? pt[i] : pe[i];
  });
  return info.Env().Undefined();
}

}  // namespace
}  // namespace tsgan

TSGAN_REGISTER_KERNEL(Select, tsgan::Select);
