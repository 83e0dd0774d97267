// Lerp: in place, dst <- dst + (src - dst) * t. Not a tfjs kernel: exponential moving averages
// (tsgan's EMA of G's weights, BatchNorm's moving statistics) call it instead of three
// elementwise kernels and two fresh tensors per weight.
// Arguments: (dst, src: Float32Array of equal length, t: number).
#include <string>

#include "common.h"
#include "registry.h"
#include "thread_pool.h"

namespace tsgan {
namespace {

Napi::Value Lerp(const Napi::CallbackInfo& info) {
  const char* op = "Lerp";
  if (info.Length() != 3) Fail(info.Env(), op, "expects (dst, src, t)");
  F32 dst = ArgF32(info, 0, op, "dst");
  F32 src = ArgF32(info, 1, op, "src");
  if (src.size != dst.size) Fail(info.Env(), op, "dst has " + std::to_string(dst.size) + " elements but src has " + std::to_string(src.size));
  const float t = static_cast<float>(ArgNum(info, 2, op, "t"));
  float* pd = dst.data;
  const float* ps = src.data;
  ParallelFor(dst.size, 1 << 16, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) pd[i] += (ps[i] - pd[i]) * t;
  });
  return info.Env().Undefined();
}

}  // namespace
}  // namespace tsgan

TSGAN_REGISTER_KERNEL(Lerp, tsgan::Lerp);
