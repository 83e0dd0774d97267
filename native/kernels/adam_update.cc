// AdamUpdate: one fused, in-place Adam step on a weight, its gradient and both moments.
// Not a tfjs kernel: src/optim/fused_adam.ts calls it instead of ~10 elementwise kernels per weight.
// Arguments: (w, g, m, v: Float32Array of equal length, lr, beta1, beta2, 1-beta1, 1-beta2, eps,
//             1-beta1^t, 1-beta2^t); the 1-x terms come from JS so that they round exactly as tfjs's do.
#include "adam_update.h"
#include "common.h"
#include "registry.h"
#include "simd.h"
#include "thread_pool.h"

namespace tsgan {
namespace avx2 {
void AdamUpdate(float* w, const float* g, float* m, float* v, int64_t n, const AdamParams& p);
}

namespace {

Napi::Value AdamUpdate(const Napi::CallbackInfo& info) {
  const char* op = "AdamUpdate";
  F32 w = ArgF32(info, 0, op, "w");
  F32 g = ArgF32(info, 1, op, "g");
  F32 m = ArgF32(info, 2, op, "m");
  F32 v = ArgF32(info, 3, op, "v");
  if (g.size != w.size || m.size != w.size || v.size != w.size) {
    Fail(info.Env(), op, "w, g, m, v differ in length: " + std::to_string(w.size) + ", " + std::to_string(g.size) +
                             ", " + std::to_string(m.size) + ", " + std::to_string(v.size));
  }
  AdamParams p;
  p.lr = static_cast<float>(ArgNum(info, 4, op, "lr"));
  p.beta1 = static_cast<float>(ArgNum(info, 5, op, "beta1"));
  p.beta2 = static_cast<float>(ArgNum(info, 6, op, "beta2"));
  p.one_minus_beta1 = static_cast<float>(ArgNum(info, 7, op, "oneMinusBeta1"));
  p.one_minus_beta2 = static_cast<float>(ArgNum(info, 8, op, "oneMinusBeta2"));
  p.eps = static_cast<float>(ArgNum(info, 9, op, "epsilon"));
  p.one_minus_acc_beta1 = static_cast<float>(ArgNum(info, 10, op, "oneMinusAccBeta1"));
  p.one_minus_acc_beta2 = static_cast<float>(ArgNum(info, 11, op, "oneMinusAccBeta2"));
  const bool vec = UseAvx2();
  ParallelFor(w.size, 1 << 14, [&](int64_t b, int64_t e) {
    if (vec) {
      avx2::AdamUpdate(w.data + b, g.data + b, m.data + b, v.data + b, e - b, p);
    } else {
      AdamUpdateLoop(w.data + b, g.data + b, m.data + b, v.data + b, e - b, p);
    }
  });
  return info.Env().Undefined();
}

}  // namespace
}  // namespace tsgan

TSGAN_REGISTER_KERNEL(AdamUpdate, tsgan::AdamUpdate);
