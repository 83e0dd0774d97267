// StyleBiasAct and StyleBiasActGrad: the epilogue of StyleGAN2's layers in one pass (the role of the
// official code's fused_bias_act, with the demodulation and noise of a modulated convolution folded in).
// Not tfjs kernels: src/nn/stylegan_fused.ts calls them from a tf.customGrad op, and its reference
// path (the same math as separate tfjs ops) stays beside it. With x [N, HW, C] (NHWC, HW = H*W):
//   pre[n,p,c] = x[n,p,c] * d[n,c] + noise[n,p] * strength + bias[c]
//   out = gain * (lrelu ? (pre > 0 ? pre : alpha * pre) : pre)
// d, noise and bias are optional (an empty Float32Array: 1, 0 and 0).
// StyleBiasAct(out, x, d, noise, bias, N, HW, C, strength, lrelu, alpha, gain)
// StyleBiasActGrad(dx, dd, dnoise, dbias, dstrength, dout, x, d, noise, bias, N, HW, C, strength,
//                  lrelu, alpha, gain): dx [N,HW,C]; dd [N,C] (when d is given); dnoise [N,HW] (when
//                  noise is given); dbias [C] (when bias is given); dstrength [1] (when noise is given).
// Reductions run per sample and are then summed in sample order: the result does not depend on the
// thread count.
#include <algorithm>
#include <string>
#include <vector>

#include "common.h"
#include "registry.h"
#include "simd.h"
#include "style_bias_act_rows.h"
#include "thread_pool.h"

namespace tsgan {
namespace style_rows {
namespace portable_impl {
#include "style_bias_act_rows_impl.h"
}  // namespace portable_impl

const Ops& Portable() {
  static const Ops ops{portable_impl::StyleForwardRowImpl, portable_impl::StyleGradRowImpl};
  return ops;
}
}  // namespace style_rows

namespace {

const style_rows::Ops& Rows() { return UseAvx2() ? style_rows::Avx2() : style_rows::Portable(); }

struct Dims {
  int64_t n, hw, c;
};

Dims ArgDims(const Napi::CallbackInfo& info, size_t at, const char* op) {
  Dims d{ArgInt(info, at, op, "N"), ArgInt(info, at + 1, op, "HW"), ArgInt(info, at + 2, op, "C")};
  if (d.n < 1 || d.hw < 1 || d.c < 1) Fail(info.Env(), op, "N, HW and C must be positive");
  return d;
}

void CheckOpt(const Napi::CallbackInfo& info, const char* op, const char* name, const F32& a, int64_t want) {
  if (a.size != 0 && a.size != want)
    Fail(info.Env(), op, std::string("'") + name + "' has " + std::to_string(a.size) + " elements, expected " +
                             std::to_string(want) + " (or none)");
}

// The loops below keep the form (v > 0 ? a : b) * v with no other branch in the inner loop, so the
// compiler vectorizes them (a branch on the sign costs a misprediction per element on real data).
Napi::Value StyleBiasAct(const Napi::CallbackInfo& info) {
  const char* op = "StyleBiasAct";
  if (info.Length() != 12) Fail(info.Env(), op, "expects (out, x, d, noise, bias, N, HW, C, strength, lrelu, alpha, gain)");
  F32 out = ArgF32(info, 0, op, "out"), x = ArgF32(info, 1, op, "x"), d = ArgF32(info, 2, op, "d");
  F32 noise = ArgF32(info, 3, op, "noise"), bias = ArgF32(info, 4, op, "bias");
  const Dims s = ArgDims(info, 5, op);
  const float strength = static_cast<float>(ArgNum(info, 8, op, "strength"));
  const bool lrelu = ArgBool(info, 9, op, "lrelu");
  const float alpha = static_cast<float>(ArgNum(info, 10, op, "alpha"));
  const float gain = static_cast<float>(ArgNum(info, 11, op, "gain"));
  const int64_t total = s.n * s.hw * s.c;
  if (out.size != total || x.size != total) Fail(info.Env(), op, "out and x must have N*HW*C elements");
  CheckOpt(info, op, "d", d, s.n * s.c);
  CheckOpt(info, op, "noise", noise, s.n * s.hw);
  CheckOpt(info, op, "bias", bias, s.c);
  const int64_t C = s.c, HW = s.hw;
  const std::vector<float> ones(d.size ? 0 : C, 1.0f), zeros(bias.size ? 0 : C, 0.0f);
  const float* pb = bias.size ? bias.data : zeros.data();
  const float neg = lrelu ? alpha * gain : gain;
  const style_rows::Args args{gain, neg};
  const style_rows::Ops& rows = Rows();
  ParallelFor(s.n * s.hw, std::max<int64_t>(1, 4096 / C), [&](int64_t b, int64_t e) {
    int64_t n = b / HW, p = b % HW;  // the sample and pixel of `row`, stepped without a division per row
    for (int64_t row = b; row < e; ++row, ++p) {
      if (p == HW) {
        p = 0;
        ++n;
      }
      const float nz = noise.size ? noise.data[row] * strength : 0.0f;
      const float* dn = d.size ? d.data + n * C : ones.data();
      rows.forward(x.data + row * C, dn, pb, nz, out.data + row * C, args, C);
    }
  });
  return info.Env().Undefined();
}

Napi::Value StyleBiasActGrad(const Napi::CallbackInfo& info) {
  const char* op = "StyleBiasActGrad";
  if (info.Length() != 17)
    Fail(info.Env(), op,
         "expects (dx, dd, dnoise, dbias, dstrength, dout, x, d, noise, bias, N, HW, C, strength, lrelu, alpha, gain)");
  F32 dx = ArgF32(info, 0, op, "dx"), dd = ArgF32(info, 1, op, "dd"), dnoise = ArgF32(info, 2, op, "dnoise");
  F32 dbias = ArgF32(info, 3, op, "dbias"), dstr = ArgF32(info, 4, op, "dstrength");
  F32 dout = ArgF32(info, 5, op, "dout"), x = ArgF32(info, 6, op, "x"), d = ArgF32(info, 7, op, "d");
  F32 noise = ArgF32(info, 8, op, "noise"), bias = ArgF32(info, 9, op, "bias");
  const Dims s = ArgDims(info, 10, op);
  const float strength = static_cast<float>(ArgNum(info, 13, op, "strength"));
  const bool lrelu = ArgBool(info, 14, op, "lrelu");
  const float alpha = static_cast<float>(ArgNum(info, 15, op, "alpha"));
  const float gain = static_cast<float>(ArgNum(info, 16, op, "gain"));
  const int64_t N = s.n, HW = s.hw, C = s.c, total = N * HW * C;
  if (dx.size != total || dout.size != total || x.size != total)
    Fail(info.Env(), op, "dx, dout and x must have N*HW*C elements");
  CheckOpt(info, op, "d", d, N * C);
  CheckOpt(info, op, "noise", noise, N * HW);
  CheckOpt(info, op, "bias", bias, C);
  if (d.size && dd.size != N * C) Fail(info.Env(), op, "dd must have N*C elements when d is given");
  if (noise.size && (dnoise.size != N * HW || dstr.size != 1))
    Fail(info.Env(), op, "dnoise must have N*HW elements and dstrength 1 when noise is given");
  if (bias.size && dbias.size != C) Fail(info.Env(), op, "dbias must have C elements when bias is given");
  const std::vector<float> ones(d.size ? 0 : C, 1.0f), zeros(bias.size ? 0 : C, 0.0f);
  const float* pbias = bias.size ? bias.data : zeros.data();
  const float neg = lrelu ? alpha * gain : gain;
  // Per-sample partial sums (bias, noise strength), added in sample order afterwards.
  std::vector<float> part_bias(N * C, 0.0f), part_dd(d.size ? 0 : N * C), part_str(N, 0.0f);
  // Whole samples per task, at least ~16K elements each: the mapping network's rows (HW = 1) run inline.
  ParallelFor(N, std::max<int64_t>(1, 16384 / (HW * C)), [&](int64_t b, int64_t e) {
    // A sample's sums (dd, bias) build up in this task's own buffers over its HW pixels and are
    // stored once: summed in place, the rows of neighbouring samples shared cache lines between the
    // threads (C = 16 is one line, unaligned), and at 2 threads the kernel took twice as long as at one.
    std::vector<float> acc_dd(C), acc_b(C);
    const style_rows::Args args{gain, neg};
    const style_rows::Ops& rows = Rows();
    for (int64_t n = b; n < e; ++n) {
      const float* dn = d.size ? d.data + n * C : ones.data();
      std::fill(acc_dd.begin(), acc_dd.end(), 0.0f);
      std::fill(acc_b.begin(), acc_b.end(), 0.0f);
      float str_acc = 0.0f;
      for (int64_t p = 0; p < HW; ++p) {
        const int64_t row = n * HW + p;
        const float nzv = noise.size ? noise.data[row] : 0.0f;
        const float nz = nzv * strength;
        const float* xr = x.data + row * C;
        const float* gr = dout.data + row * C;
        float* dxr = dx.data + row * C;
        const float acc = rows.grad(xr, gr, dn, pbias, dxr, acc_dd.data(), acc_b.data(), nz, args, C);
        if (noise.size) {
          dnoise.data[row] = acc * strength;
          str_acc += acc * nzv;
        }
      }
      part_str[n] = str_acc;
      std::copy(acc_dd.begin(), acc_dd.end(), d.size ? dd.data + n * C : part_dd.data() + n * C);
      std::copy(acc_b.begin(), acc_b.end(), part_bias.data() + n * C);
    }
  });
  if (bias.size) {
    for (int64_t c = 0; c < C; ++c) dbias.data[c] = 0.0f;
    for (int64_t n = 0; n < N; ++n)
      for (int64_t c = 0; c < C; ++c) dbias.data[c] += part_bias[n * C + c];
  }
  if (noise.size) {
    float acc = 0.0f;
    for (int64_t n = 0; n < N; ++n) acc += part_str[n];
    dstr.data[0] = acc;
  }
  return info.Env().Undefined();
}

}  // namespace
}  // namespace tsgan

TSGAN_REGISTER_KERNEL(StyleBiasAct, tsgan::StyleBiasAct);
TSGAN_REGISTER_KERNEL(StyleBiasActGrad, tsgan::StyleBiasActGrad);
