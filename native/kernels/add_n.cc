// AddN: out = x0 + x1 + ... + xk, added left to right in float32 like tfjs cpu.
// Arguments: (xs: Float32Array[] of one length, out: Float32Array of that length).
#include <vector>

#include "common.h"
#include "elementwise.h"
#include "registry.h"

namespace tsgan {
namespace {

Napi::Value AddN(const Napi::CallbackInfo& info) {
  if (info.Length() != 2 || !info[0].IsArray()) Fail(info.Env(), "AddN", "expects (xs: Float32Array[], out)");
  auto arr = info[0].As<Napi::Array>();
  F32 y = FastF32(info, 1, "AddN", "out");
  std::vector<const float*> xs;
  xs.reserve(arr.Length());
  for (uint32_t k = 0; k < arr.Length(); ++k) {
    Napi::Value v = arr.Get(k);
    if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_float32_array) {
      Fail(info.Env(), "AddN", "input " + std::to_string(k) + " is not a Float32Array");
    }
    auto f = v.As<Napi::Float32Array>();
    if (static_cast<int64_t>(f.ElementLength()) != y.size) {
      Fail(info.Env(), "AddN", "input " + std::to_string(k) + " has " + std::to_string(f.ElementLength()) +
                                   " elements, out has " + std::to_string(y.size));
    }
    xs.push_back(f.Data());
  }
  float* py = y.data;
  const size_t m = xs.size();
  // Blocks of 1024 elements: every input is added into the block while it is in L1.
  SplitWork(y.size, 1 << 14, [&](int64_t b, int64_t e) {
    for (int64_t s = b; s < e; s += 1024) {
      const int64_t t = std::min<int64_t>(e, s + 1024);
      for (int64_t i = s; i < t; ++i) py[i] = 0.f;
      for (size_t k = 0; k < m; ++k) {
        const float* __restrict x = xs[k];
        for (int64_t i = s; i < t; ++i) py[i] += x[i];
      }
    }
  });
  return info.Env().Undefined();
}

}  // namespace
}  // namespace tsgan

TSGAN_REGISTER_KERNEL(AddN, tsgan::AddN);
