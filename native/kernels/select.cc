// Select: out[i] = condition[i] == 1 ? t[i] : e[i] (tfjs broadcasts the three operands before the
// kernel runs). Arguments: (condition: Uint8Array, t: Float32Array, e: Float32Array, out: Float32Array).
#include "common.h"
#include "elementwise.h"
#include "registry.h"

namespace tsgan {
namespace {

Napi::Value Select(const Napi::CallbackInfo& info) {
  if (info.Length() != 4) Fail(info.Env(), "Select", "expects (condition, t, e, out)");
  Typed ca = ArgTyped(info, 0, "Select", "condition", napi_uint8_array);
  const uint8_t* c = static_cast<const uint8_t*>(ca.data);
  const int64_t nc = ca.size;
  F32 t = FastF32(info, 1, "Select", "t");
  F32 e = FastF32(info, 2, "Select", "e");
  F32 y = FastF32(info, 3, "Select", "out");
  if (nc != y.size || t.size != y.size || e.size != y.size) {
    Fail(info.Env(), "Select", "condition, t, e and out must have the same size, got " + std::to_string(nc) + ", " +
                                   std::to_string(t.size) + ", " + std::to_string(e.size) + " and " + std::to_string(y.size));
  }
  // Bitwise select on the float bits: branch-free, so it vectorizes whatever the condition pattern.
  const uint32_t* pt = reinterpret_cast<const uint32_t*>(t.data);
  const uint32_t* pe = reinterpret_cast<const uint32_t*>(e.data);
  uint32_t* py = reinterpret_cast<uint32_t*>(y.data);
  SplitWork(y.size, 1 << 15, [&](int64_t b, int64_t end) {
    for (int64_t i = b; i < end; ++i) {
      const uint32_t m = 0u - static_cast<uint32_t>(c[i] == 1);
      py[i] = (pt[i] & m) | (pe[i] & ~m);
    }
  });
  return info.Env().Undefined();
}

}  // namespace
}  // namespace tsgan

TSGAN_REGISTER_KERNEL(Select, tsgan::Select);
