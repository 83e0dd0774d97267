// The modulation and demodulation of StyleGAN2's non-fused modulated convolution, with their
// gradients. Not tfjs kernels: src/nn/stylegan_fused.ts calls them from a tf.customGrad op (its
// reference path, the same math as tfjs ops, is modulatedConv2d in src/nn/stylegan_ops.ts).
// StyleDemod(d, w, s, N, KK, Cin, Cout, eps): w [KK, Cin, Cout] (the scaled kernel), s [N, Cin]:
//   d[n,o] = 1 / sqrt(sum_i s[n,i]^2 * sum_k w[k,i,o]^2 + eps)            -> d [N, Cout]
// StyleDemodGrad(ds, dw, dd, d, w, s, N, KK, Cin, Cout): with t = dd * (-1/2) d^3,
//   ds[n,i] = 2 s[n,i] sum_o t[n,o] W2[i,o];  dw[k,i,o] = 2 w[k,i,o] sum_n t[n,o] s[n,i]^2
// StyleChannelScaleGrad(dx, ds, dy, x, s, N, HW, C): the gradient of y = x * s[n,c] (x [N,HW,C]):
//   dx = dy * s[n,c];  ds[n,c] = sum_p dy[n,p,c] * x[n,p,c]
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "common.h"
#include "registry.h"
#include "thread_pool.h"

namespace tsgan {
namespace {

// W2[i,o] = sum_k w[k,i,o]^2
std::vector<float> SquaredNorms(const float* w, int64_t KK, int64_t Cin, int64_t Cout) {
  std::vector<float> w2(Cin * Cout, 0.0f);
  for (int64_t k = 0; k < KK; ++k)
    for (int64_t i = 0; i < Cin; ++i) {
      const float* wr = w + (k * Cin + i) * Cout;
      float* o = w2.data() + i * Cout;
      for (int64_t c = 0; c < Cout; ++c) o[c] += wr[c] * wr[c];
    }
  return w2;
}

struct DemodArgs {
  int64_t N, KK, Cin, Cout;
};

DemodArgs ArgDemod(const Napi::CallbackInfo& info, size_t at, const char* op) {
  DemodArgs a{ArgInt(info, at, op, "N"), ArgInt(info, at + 1, op, "KK"), ArgInt(info, at + 2, op, "Cin"),
              ArgInt(info, at + 3, op, "Cout")};
  if (a.N < 1 || a.KK < 1 || a.Cin < 1 || a.Cout < 1) Fail(info.Env(), op, "N, KK, Cin and Cout must be positive");
  return a;
}

Napi::Value StyleDemod(const Napi::CallbackInfo& info) {
  const char* op = "StyleDemod";
  if (info.Length() != 8) Fail(info.Env(), op, "expects (d, w, s, N, KK, Cin, Cout, eps)");
  F32 d = ArgF32(info, 0, op, "d"), w = ArgF32(info, 1, op, "w"), s = ArgF32(info, 2, op, "s");
  const DemodArgs a = ArgDemod(info, 3, op);
  const float eps = static_cast<float>(ArgNum(info, 7, op, "eps"));
  if (d.size != a.N * a.Cout || w.size != a.KK * a.Cin * a.Cout || s.size != a.N * a.Cin)
    Fail(info.Env(), op, "d, w, s must have N*Cout, KK*Cin*Cout and N*Cin elements");
  const std::vector<float> w2 = SquaredNorms(w.data, a.KK, a.Cin, a.Cout);
  for (int64_t n = 0; n < a.N; ++n) {
    float* dn = d.data + n * a.Cout;
    for (int64_t o = 0; o < a.Cout; ++o) dn[o] = 0.0f;
    for (int64_t i = 0; i < a.Cin; ++i) {
      const float sv = s.data[n * a.Cin + i];
      const float s2 = sv * sv;
      const float* wr = w2.data() + i * a.Cout;
      for (int64_t o = 0; o < a.Cout; ++o) dn[o] += s2 * wr[o];
    }
    for (int64_t o = 0; o < a.Cout; ++o) dn[o] = 1.0f / std::sqrt(dn[o] + eps);
  }
  return info.Env().Undefined();
}

Napi::Value StyleDemodGrad(const Napi::CallbackInfo& info) {
  const char* op = "StyleDemodGrad";
  if (info.Length() != 10) Fail(info.Env(), op, "expects (ds, dw, dd, d, w, s, N, KK, Cin, Cout)");
  F32 ds = ArgF32(info, 0, op, "ds"), dw = ArgF32(info, 1, op, "dw"), dd = ArgF32(info, 2, op, "dd");
  F32 d = ArgF32(info, 3, op, "d"), w = ArgF32(info, 4, op, "w"), s = ArgF32(info, 5, op, "s");
  const DemodArgs a = ArgDemod(info, 6, op);
  const int64_t N = a.N, KK = a.KK, Cin = a.Cin, Cout = a.Cout;
  if (ds.size != N * Cin || dw.size != KK * Cin * Cout || dd.size != N * Cout || d.size != N * Cout ||
      w.size != KK * Cin * Cout || s.size != N * Cin)
    Fail(info.Env(), op, "sizes do not match N, KK, Cin, Cout");
  const std::vector<float> w2 = SquaredNorms(w.data, KK, Cin, Cout);
  std::vector<float> t(N * Cout);
  for (int64_t j = 0; j < N * Cout; ++j) {
    const float dv = d.data[j];
    t[j] = dd.data[j] * -0.5f * dv * dv * dv;
  }
  std::vector<float> dw2(Cin * Cout, 0.0f);
  for (int64_t n = 0; n < N; ++n) {
    const float* tn = t.data() + n * Cout;
    for (int64_t i = 0; i < Cin; ++i) {
      const float sv = s.data[n * Cin + i];
      const float* wr = w2.data() + i * Cout;
      float* g = dw2.data() + i * Cout;
      float acc = 0.0f;
      const float s2 = sv * sv;
      for (int64_t o = 0; o < Cout; ++o) {
        acc += tn[o] * wr[o];
        g[o] += tn[o] * s2;
      }
      ds.data[n * Cin + i] = 2.0f * sv * acc;
    }
  }
  for (int64_t k = 0; k < KK; ++k)
    for (int64_t i = 0; i < Cin; ++i) {
      const float* wr = w.data + (k * Cin + i) * Cout;
      const float* g = dw2.data() + i * Cout;
      float* o = dw.data + (k * Cin + i) * Cout;
      for (int64_t c = 0; c < Cout; ++c) o[c] = 2.0f * wr[c] * g[c];
    }
  return info.Env().Undefined();
}

// One pixel's row of StyleChannelScaleGrad (a plain function so that the loop vectorizes).
inline void ScaleGradRow(const float* __restrict g, const float* __restrict xr, const float* __restrict sn,
                         float* __restrict o, float* __restrict dsn, int64_t C) {
  for (int64_t c = 0; c < C; ++c) {
    o[c] = g[c] * sn[c];
    dsn[c] += g[c] * xr[c];
  }
}

Napi::Value StyleChannelScaleGrad(const Napi::CallbackInfo& info) {
  const char* op = "StyleChannelScaleGrad";
  if (info.Length() != 8) Fail(info.Env(), op, "expects (dx, ds, dy, x, s, N, HW, C)");
  F32 dx = ArgF32(info, 0, op, "dx"), ds = ArgF32(info, 1, op, "ds"), dy = ArgF32(info, 2, op, "dy");
  F32 x = ArgF32(info, 3, op, "x"), s = ArgF32(info, 4, op, "s");
  const int64_t N = ArgInt(info, 5, op, "N"), HW = ArgInt(info, 6, op, "HW"), C = ArgInt(info, 7, op, "C");
  if (N < 1 || HW < 1 || C < 1) Fail(info.Env(), op, "N, HW and C must be positive");
  if (dx.size != N * HW * C || dy.size != N * HW * C || x.size != N * HW * C || ds.size != N * C || s.size != N * C)
    Fail(info.Env(), op, "dx, dy, x must have N*HW*C elements and ds, s N*C");
  ParallelFor(N, std::max<int64_t>(1, 16384 / (HW * C)), [&](int64_t b, int64_t e) {
    // Each sample's ds row is summed in a buffer of this task's own and stored once: neighbouring
    // samples' rows share cache lines, which two threads summing in place would pass back and forth.
    std::vector<float> acc(C);
    for (int64_t n = b; n < e; ++n) {
      const float* __restrict sn = s.data + n * C;
      float* __restrict dsn = acc.data();
      std::fill(acc.begin(), acc.end(), 0.0f);
      for (int64_t p = 0; p < HW; ++p) {
        const int64_t off = (n * HW + p) * C;
        const float* __restrict g = dy.data + off;
        const float* __restrict xr = x.data + off;
        float* __restrict o = dx.data + off;
        ScaleGradRow(g, xr, sn, o, dsn, C);
      }
      std::copy(acc.begin(), acc.end(), ds.data + n * C);
    }
  });
  return info.Env().Undefined();
}

}  // namespace
}  // namespace tsgan

TSGAN_REGISTER_KERNEL(StyleDemod, tsgan::StyleDemod);
TSGAN_REGISTER_KERNEL(StyleDemodGrad, tsgan::StyleDemodGrad);
TSGAN_REGISTER_KERNEL(StyleChannelScaleGrad, tsgan::StyleChannelScaleGrad);
