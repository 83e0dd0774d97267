// The per-pixel rows of StyleBiasAct / StyleBiasActGrad (native/kernels/style_bias_act.cc), shared by
// the portable build and the AVX2+FMA one (native/kernels/style_bias_act_avx2.cc): the same source
// (style_bias_act_rows_impl.h) compiled twice, each copy in its own namespace. The AVX2 one may fuse a
// multiply and an add into one FMA, so the two builds can differ in the last bit; each is
// deterministic and independent of the thread count.
#pragma once
#include <cstdint>

namespace tsgan {
namespace style_rows {

struct Args {
  float g_pos, g_neg;  // gain for pre > 0, and for pre <= 0 (alpha * gain with lrelu)
};

struct Ops {
  // One pixel's row: out[c] = (pre > 0 ? g_pos : g_neg) * pre, pre = x[c] * d[c] + nz + bias[c].
  void (*forward)(const float* xr, const float* dn, const float* bias, float nz, float* o, Args a, int64_t C);
  // One pixel's row of the backward pass: dx, and the sample's running dd and bias sums; returns the
  // sum of the pre-activation gradient over the row (for the noise).
  float (*grad)(const float* xr, const float* gr, const float* dn, const float* bias, float* dxr, float* ddn,
                float* pb, float nz, Args a, int64_t C);
};

const Ops& Portable();  // style_bias_act.cc
const Ops& Avx2();      // style_bias_act_avx2.cc

}  // namespace style_rows
}  // namespace tsgan
