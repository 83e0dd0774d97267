// MinibatchStd and MinibatchStdGrad: StyleGAN2's minibatch standard deviation (Karras et al. 2018) in
// one pass each way. Not tfjs kernels: src/nn/stylegan_fused.ts calls them from a tf.customGrad op;
// its reference path is minibatchStd in src/nn/stylegan_ops.ts (tfjs ops). Samples n = g*M + m
// (G groups of M, the reference's reshape to [G, M, ...]); with P = HW*C values per sample:
//   mean[m,p] = 1/G sum_g x[gM+m, p];  std[m,p] = sqrt(1/G sum_g (x - mean)^2 + 1e-8)
//   s[m] = 1/P sum_p std[m,p];  out[n, hw, 0..C-1] = x[n, hw, :], out[n, hw, C] = s[n mod M]
// The gradient: dx = dout[..., :C] + (sum over the group's samples and pixels of dout[..., C]) / P
//   * (x - mean) / (G * std).
// MinibatchStd(out, x, N, HW, C, G): x [N, HW, C] -> out [N, HW, C+1]
// MinibatchStdGrad(dx, dout, x, N, HW, C, G): dout [N, HW, C+1] -> dx [N, HW, C]
#include <cmath>
#include <string>
#include <vector>

#include "common.h"
#include "registry.h"

namespace tsgan {
namespace {

struct MbArgs {
  int64_t n, hw, c, g, m;
};

MbArgs ArgMb(const Napi::CallbackInfo& info, size_t at, const char* op) {
  MbArgs a{ArgInt(info, at, op, "N"), ArgInt(info, at + 1, op, "HW"), ArgInt(info, at + 2, op, "C"),
           ArgInt(info, at + 3, op, "G"), 0};
  if (a.n < 1 || a.hw < 1 || a.c < 1 || a.g < 1 || a.n % a.g != 0)
    Fail(info.Env(), op, "N, HW, C, G must be positive and G must divide N");
  a.m = a.n / a.g;
  return a;
}

// mean [M, P] and std [M, P] of the groups.
void GroupStats(const float* x, const MbArgs& a, std::vector<float>& mean, std::vector<float>& stdv) {
  const int64_t P = a.hw * a.c;
  mean.assign(a.m * P, 0.0f);
  stdv.assign(a.m * P, 0.0f);
  const float inv_g = 1.0f / static_cast<float>(a.g);
  for (int64_t m = 0; m < a.m; ++m) {
    float* mu = mean.data() + m * P;
    float* sd = stdv.data() + m * P;
    for (int64_t g = 0; g < a.g; ++g) {
      const float* xs = x + (g * a.m + m) * P;
      for (int64_t p = 0; p < P; ++p) mu[p] += xs[p];
    }
    for (int64_t p = 0; p < P; ++p) mu[p] *= inv_g;
    for (int64_t g = 0; g < a.g; ++g) {
      const float* xs = x + (g * a.m + m) * P;
      for (int64_t p = 0; p < P; ++p) {
        const float d = xs[p] - mu[p];
        sd[p] += d * d;
      }
    }
    for (int64_t p = 0; p < P; ++p) sd[p] = std::sqrt(sd[p] * inv_g + 1e-8f);
  }
}

Napi::Value MinibatchStd(const Napi::CallbackInfo& info) {
  const char* op = "MinibatchStd";
  if (info.Length() != 6) Fail(info.Env(), op, "expects (out, x, N, HW, C, G)");
  F32 out = ArgF32(info, 0, op, "out"), x = ArgF32(info, 1, op, "x");
  const MbArgs a = ArgMb(info, 2, op);
  const int64_t P = a.hw * a.c;
  if (x.size != a.n * P || out.size != a.n * a.hw * (a.c + 1))
    Fail(info.Env(), op, "x must have N*HW*C elements and out N*HW*(C+1)");
  std::vector<float> mean, stdv;
  GroupStats(x.data, a, mean, stdv);
  std::vector<float> s(a.m, 0.0f);
  for (int64_t m = 0; m < a.m; ++m) {
    float acc = 0.0f;
    for (int64_t p = 0; p < P; ++p) acc += stdv[m * P + p];
    s[m] = acc / static_cast<float>(P);
  }
  for (int64_t n = 0; n < a.n; ++n)
    for (int64_t q = 0; q < a.hw; ++q) {
      const float* xr = x.data + (n * a.hw + q) * a.c;
      float* o = out.data + (n * a.hw + q) * (a.c + 1);
      for (int64_t c = 0; c < a.c; ++c) o[c] = xr[c];
      o[a.c] = s[n % a.m];
    }
  return info.Env().Undefined();
}

Napi::Value MinibatchStdGrad(const Napi::CallbackInfo& info) {
  const char* op = "MinibatchStdGrad";
  if (info.Length() != 7) Fail(info.Env(), op, "expects (dx, dout, x, N, HW, C, G)");
  F32 dx = ArgF32(info, 0, op, "dx"), dout = ArgF32(info, 1, op, "dout"), x = ArgF32(info, 2, op, "x");
  const MbArgs a = ArgMb(info, 3, op);
  const int64_t P = a.hw * a.c;
  if (x.size != a.n * P || dx.size != a.n * P || dout.size != a.n * a.hw * (a.c + 1))
    Fail(info.Env(), op, "x and dx must have N*HW*C elements and dout N*HW*(C+1)");
  std::vector<float> mean, stdv;
  GroupStats(x.data, a, mean, stdv);
  std::vector<float> ds(a.m, 0.0f);  // d loss / d s[m]
  for (int64_t n = 0; n < a.n; ++n)
    for (int64_t q = 0; q < a.hw; ++q) ds[n % a.m] += dout.data[(n * a.hw + q) * (a.c + 1) + a.c];
  const float inv_pg = 1.0f / (static_cast<float>(P) * static_cast<float>(a.g));
  for (int64_t n = 0; n < a.n; ++n) {
    const int64_t m = n % a.m;
    const float k = ds[m] * inv_pg;
    const float* mu = mean.data() + m * P;
    const float* sd = stdv.data() + m * P;
    for (int64_t q = 0; q < a.hw; ++q) {
      const float* g = dout.data + (n * a.hw + q) * (a.c + 1);
      const int64_t off = (n * a.hw + q) * a.c;
      for (int64_t c = 0; c < a.c; ++c) {
        const int64_t p = q * a.c + c;
        dx.data[off + c] = g[c] + k * (x.data[off + c] - mu[p]) / sd[p];
      }
    }
  }
  return info.Env().Undefined();
}

}  // namespace
}  // namespace tsgan

TSGAN_REGISTER_KERNEL(MinibatchStd, tsgan::MinibatchStd);
TSGAN_REGISTER_KERNEL(MinibatchStdGrad, tsgan::MinibatchStdGrad);
