// Relu: y = max(x, 0). Arguments: (x: Float32Array, out: Float32Array).
#include "common.h"
#include "registry.h"
#include "simd.h"
#include "thread_pool.h"

namespace tsgan {
namespace avx2 {
void Relu(const float* x, float* y, int64_t n);
}

namespace {

Napi::Value Relu(const Napi::CallbackInfo& info) {
  F32 x = ArgF32(info, 0, "Relu", "x");
  F32 y = ArgF32(info, 1, "Relu", "out");
  if (x.size != y.size) Fail(info.Env(), "Relu", "x and out differ in length");
  const bool vec = UseAvx2();
  ParallelFor(x.size, 1 << 15, [&](int64_t b, int64_t e) {
    if (vec) {
      avx2::Relu(x.data + b, y.data + b, e - b);
    } else {
      for (int64_t i = b; i < e; ++i) y.data[i] = x.data[i] > 0.f ? x.data[i] : 0.f;
    }
  });
  return info.Env().Undefined();
}

}  // namespace
}  // namespace tsgan

TSGAN_REGISTER_KERNEL(Relu, tsgan::Relu);
