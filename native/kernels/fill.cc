// Fill: every element of out set to value (Fill, and the float32 ZerosLike/OnesLike).
// Arguments: (out: Float32Array, value: number).
#include <algorithm>

#include "common.h"
#include "elementwise.h"
#include "registry.h"

namespace tsgan {
namespace {

Napi::Value Fill(const Napi::CallbackInfo& info) {
  if (info.Length() != 2) Fail(info.Env(), "Fill", "expects (out, value)");
  F32 y = FastF32(info, 0, "Fill", "out");
  const float v = static_cast<float>(ArgNum(info, 1, "Fill", "value"));
  float* py = y.data;
  SplitWork(y.size, 1 << 17, [&](int64_t b, int64_t e) { std::fill(py + b, py + e, v); });
  return info.Env().Undefined();
}

}  // namespace
}  // namespace tsgan

TSGAN_REGISTER_KERNEL(Fill, tsgan::Fill);
