// The loops of style_bias_act_rows.h, without an include guard: included inside a namespace once per
// build (style_bias_act.cc: portable; style_bias_act_avx2.cc: AVX2+FMA), so that each build keeps its
// own copy compiled with its own flags.
// One pixel's row: out[c] = (pre > 0 ? g_pos : g_neg) * pre, pre = x[c] * d[c] + nz + bias[c].
inline void StyleForwardRowImpl(const float* __restrict xr, const float* __restrict dn, const float* __restrict bias,
                                float nz, float* __restrict o, Args a, int64_t C) {
  const float g_pos = a.g_pos, g_neg = a.g_neg;
  for (int64_t c = 0; c < C; ++c) {
    const float v = xr[c] * dn[c] + nz + bias[c];
    o[c] = (v > 0.0f ? g_pos : g_neg) * v;
  }
}

// One pixel's row of the backward pass: dx, and the sample's running dd and bias sums; returns the
// sum of the pre-activation gradient over the row (for the noise), in 8 interleaved partial sums
// added in a fixed order (so it vectorizes and does not depend on the build or the threads).
inline float StyleGradRowImpl(const float* __restrict xr, const float* __restrict gr, const float* __restrict dn,
                              const float* __restrict bias, float* __restrict dxr, float* __restrict ddn,
                              float* __restrict pb, float nz, Args a, int64_t C) {
  const float g_pos = a.g_pos, g_neg = a.g_neg;
  float part[8] = {0.f, 0.f, 0.f, 0.f, 0.f, 0.f, 0.f, 0.f};
  int64_t c = 0;
  for (; c + 8 <= C; c += 8) {
    for (int64_t k = 0; k < 8; ++k) {
      const float v = xr[c + k] * dn[c + k] + nz + bias[c + k];
      const float gv = gr[c + k] * (v > 0.0f ? g_pos : g_neg);
      dxr[c + k] = gv * dn[c + k];
      ddn[c + k] += gv * xr[c + k];
      pb[c + k] += gv;
      part[k] += gv;
    }
  }
  for (; c < C; ++c) {
    const float v = xr[c] * dn[c] + nz + bias[c];
    const float gv = gr[c] * (v > 0.0f ? g_pos : g_neg);
    dxr[c] = gv * dn[c];
    ddn[c] += gv * xr[c];
    pb[c] += gv;
    part[c & 7] += gv;
  }
  return ((part[0] + part[4]) + (part[1] + part[5])) + ((part[2] + part[6]) + (part[3] + part[7]));
}
