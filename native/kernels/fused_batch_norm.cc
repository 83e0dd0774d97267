// FusedBatchNorm: out = offset + (x - mean) * scale / sqrt(variance + eps), with each parameter
// tensor read cyclically along x's flat order, as tfjs cpu does (so [C] parameters apply to the
// last dimension, parameters of x's shape apply elementwise, [1] ones everywhere).
// Arguments: (x, mean, variance, offset | null, scale | null, varianceEpsilon: number, out), Float32Arrays.
#include <cmath>
#include <vector>

#include "common.h"
#include "elementwise.h"
#include "registry.h"

namespace tsgan {
namespace {

constexpr const char* kOp = "FusedBatchNorm";

// An optional parameter: null/undefined gives `fallback`.
F32 OptionalParam(const Napi::CallbackInfo& info, size_t i, const char* name, float* fallback) {
  if (i < info.Length() && (info[i].IsNull() || info[i].IsUndefined())) return F32{fallback, 1};
  return FastF32(info, i, kOp, name);
}

Napi::Value FusedBatchNorm(const Napi::CallbackInfo& info) {
  if (info.Length() != 7) Fail(info.Env(), kOp, "expects (x, mean, variance, offset, scale, varianceEpsilon, out)");
  float zero = 0.f, one = 1.f;
  F32 x = FastF32(info, 0, kOp, "x");
  F32 m = FastF32(info, 1, kOp, "mean");
  F32 v = FastF32(info, 2, kOp, "variance");
  F32 o = OptionalParam(info, 3, "offset", &zero);
  F32 s = OptionalParam(info, 4, "scale", &one);
  const double eps = ArgNum(info, 5, kOp, "varianceEpsilon");
  F32 y = FastF32(info, 6, kOp, "out");
  if (y.size != x.size) Fail(info.Env(), kOp, "x has " + std::to_string(x.size) + " elements but out has " + std::to_string(y.size));
  const F32* params[4] = {&m, &v, &o, &s};
  const char* pnames[4] = {"mean", "variance", "offset", "scale"};
  int64_t c = 1;
  for (int k = 0; k < 4; ++k) {
    if (params[k]->size == 0 && x.size > 0) Fail(info.Env(), kOp, std::string(pnames[k]) + " is empty");
    c = std::max(c, params[k]->size);
  }
  if (x.size == 0) return info.Env().Undefined();
  bool fast = x.size % c == 0;
  for (int k = 0; k < 4; ++k) fast = fast && (params[k]->size == c || params[k]->size == 1);
  if (!fast) {
    // Parameters of unrelated lengths: the literal cyclic walk, in double like the cpu kernel.
    int64_t im = 0, iv = 0, io = 0, is = 0;
    for (int64_t i = 0; i < x.size; ++i) {
      y.data[i] = static_cast<float>(o.data[io] + (static_cast<double>(x.data[i]) - m.data[im]) * s.data[is] /
                                                      std::sqrt(static_cast<double>(v.data[iv]) + eps));
      if (++im == m.size) im = 0;
      if (++iv == v.size) iv = 0;
      if (++io == o.size) io = 0;
      if (++is == s.size) is = 0;
    }
    return info.Env().Undefined();
  }
  // Per channel: out = x * mul + add with mul = scale / sqrt(var + eps), add = offset - mean * mul.
  // Kept as (x - mean) * mul + offset to stay within rounding of the cpu formula.
  std::vector<float> mul(c), mean(c), off(c);
  for (int64_t k = 0; k < c; ++k) {
    const double sk = s.data[s.size == 1 ? 0 : k], vk = v.data[v.size == 1 ? 0 : k];
    mul[k] = static_cast<float>(sk / std::sqrt(vk + eps));
    mean[k] = m.data[m.size == 1 ? 0 : k];
    off[k] = o.data[o.size == 1 ? 0 : k];
  }
  const float* px = x.data;
  if (c == 1) {  // one value per parameter: a single scaled shift over all of x
    const float m0 = mean[0], k0 = mul[0], o0 = off[0];
    float* py = y.data;
    SplitWork(x.size, 1 << 15, [&](int64_t b, int64_t e) {
      for (int64_t i = b; i < e; ++i) py[i] = (px[i] - m0) * k0 + o0;
    });
    return info.Env().Undefined();
  }
  const int64_t rows = x.size / c;
  float* py = y.data;
  const float* pm = mean.data();
  const float* pk = mul.data();
  const float* po = off.data();
  const int64_t grain = c >= (1 << 15) ? 1 : (1 << 15) / c;
  SplitWork(rows, grain, [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) {
      const float* __restrict xr = px + r * c;
      float* __restrict yr = py + r * c;
      for (int64_t k = 0; k < c; ++k) yr[k] = (xr[k] - pm[k]) * pk[k] + po[k];
    }
  });
  return info.Env().Undefined();
}

}  // namespace
}  // namespace tsgan

TSGAN_REGISTER_KERNEL(FusedBatchNorm, tsgan::FusedBatchNorm);
