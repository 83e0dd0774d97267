// Shared pieces of the NHWC convolution kernels (conv2d, fused_conv2d, conv2d_backprop_input,
// conv2d_backprop_filter): the geometry passed from the TS glue and validated here, and the
// im2col packers that feed patches straight into the SGEMM's packed panels (no im2col matrix).
//
// Geometry arguments, in this order: xShape [batch, inH, inW, inC], filterShape [kH, kW, inC, outC],
// geom [strideH, strideW, dilationH, dilationW, padTop, padLeft, outH, outW] (tfjs's computeConv2DInfo).
#pragma once
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "common.h"
#include "gemm.h"
#include "gemm_skinny.h"

namespace tsgan {

struct ConvGeom {
  int64_t batch, in_h, in_w, in_c;
  int64_t k_h, k_w, out_c;
  int64_t stride_h, stride_w, dil_h, dil_w, pad_top, pad_left;
  int64_t out_h, out_w;

  int64_t InSize() const { return batch * in_h * in_w * in_c; }
  int64_t OutSize() const { return batch * out_h * out_w * out_c; }
  int64_t FilterSize() const { return k_h * k_w * in_c * out_c; }
  int64_t Pixels() const { return batch * out_h * out_w; }  // rows of the im2col matrix
  int64_t PatchSize() const { return k_h * k_w * in_c; }    // columns of the im2col matrix
  std::string Describe() const {
    return "x " + ShapeStr({batch, in_h, in_w, in_c}) + ", filter " + ShapeStr({k_h, k_w, in_c, out_c}) +
           ", out " + ShapeStr({batch, out_h, out_w, out_c}) + ", strides [" + std::to_string(stride_h) + "," +
           std::to_string(stride_w) + "], dilations [" + std::to_string(dil_h) + "," + std::to_string(dil_w) +
           "], pads [" + std::to_string(pad_top) + "," + std::to_string(pad_left) + "]";
  }
};

// Product of dims, or -1 if it would exceed 2^40 elements (no real tensor is that big).
inline int64_t CheckedProduct(std::initializer_list<int64_t> dims) {
  int64_t p = 1;
  for (int64_t d : dims) {
    if (d != 0 && p > (int64_t{1} << 40) / d) return -1;
    p *= d;
  }
  return p;
}

// Reads and validates the three geometry arguments starting at argument `first`.
inline ConvGeom ArgConvGeom(const Napi::CallbackInfo& info, size_t first, const char* op) {
  const Shape xs = ArgShape(info, first, op, "xShape");
  const Shape fs = ArgShape(info, first + 1, op, "filterShape");
  const Shape gs = ArgShape(info, first + 2, op, "geom");
  if (xs.size() != 4) Fail(info.Env(), op, "xShape must have rank 4 (NHWC), got " + ShapeStr(xs));
  if (fs.size() != 4) Fail(info.Env(), op, "filterShape must have rank 4 [kH,kW,inC,outC], got " + ShapeStr(fs));
  if (gs.size() != 8) Fail(info.Env(), op, "geom must have 8 entries, got " + ShapeStr(gs));
  ConvGeom g{xs[0], xs[1], xs[2], xs[3], fs[0], fs[1], fs[3], gs[0], gs[1], gs[2], gs[3], gs[4], gs[5], gs[6], gs[7]};
  const std::string shapes = " (x " + ShapeStr(xs) + ", filter " + ShapeStr(fs) + ")";
  if (fs[2] != xs[3]) {
    Fail(info.Env(), op, "input channels " + std::to_string(xs[3]) + " differ from the filter's " +
                             std::to_string(fs[2]) + shapes);
  }
  if (g.k_h < 1 || g.k_w < 1) Fail(info.Env(), op, "filter height and width must be >= 1" + shapes);
  if (g.stride_h < 1 || g.stride_w < 1 || g.dil_h < 1 || g.dil_w < 1) {
    Fail(info.Env(), op, "strides and dilations must be >= 1, got geom " + ShapeStr(gs) + shapes);
  }
  if (CheckedProduct({g.batch, g.in_h, g.in_w, g.in_c}) < 0 || CheckedProduct({g.k_h, g.k_w, g.in_c, g.out_c}) < 0 ||
      CheckedProduct({g.batch, g.out_h, g.out_w, g.out_c}) < 0 || CheckedProduct({g.batch, g.out_h, g.out_w, g.k_h, g.k_w, g.in_c}) < 0 ||
      CheckedProduct({g.k_h, g.dil_h}) < 0 || CheckedProduct({g.k_w, g.dil_w}) < 0 ||
      CheckedProduct({g.out_h, g.stride_h}) < 0 || CheckedProduct({g.out_w, g.stride_w}) < 0 ||
      g.pad_top > (int64_t{1} << 31) || g.pad_left > (int64_t{1} << 31)) {
    Fail(info.Env(), op, "sizes out of range: " + g.Describe());
  }
  return g;
}

// A Float32Array argument that must hold exactly `n` elements (named in the error with the geometry).
inline F32 ArgF32Count(const Napi::CallbackInfo& info, size_t i, const char* op, const char* name, int64_t n,
                       const ConvGeom& g) {
  F32 a = ArgF32(info, i, op, name);
  if (a.size != n) {
    Fail(info.Env(), op, std::string("'") + name + "' has " + std::to_string(a.size) + " elements, expected " +
                             std::to_string(n) + " for " + g.Describe());
  }
  return a;
}

// A(m, k) = im2col(x): m = (n, oh, ow) output pixel, k = (kh, kw, ci) patch element.
class Im2colPackA final : public GemmPackA {
 public:
  Im2colPackA(const float* x, const ConvGeom& g) : x_(x), g_(g) {}

  void Pack(int64_t i0, int64_t mc, int64_t k0, int64_t kc, float* dst) const override {
    const ConvGeom& g = g_;
    const int64_t hw = g.out_h * g.out_w;
    const int64_t row = g.k_w * g.in_c;
    const int64_t rows = (mc + kGemmMR - 1) / kGemmMR * kGemmMR;
    for (int64_t i = 0; i < rows; ++i) {
      float* d = dst + i * kc;
      if (i >= mc) {
        std::memset(d, 0, sizeof(float) * static_cast<size_t>(kc));
        continue;
      }
      const int64_t m = i0 + i;
      const int64_t n = m / hw, rem = m % hw, oh = rem / g.out_w, ow = rem % g.out_w;
      const int64_t ih0 = oh * g.stride_h - g.pad_top, iw0 = ow * g.stride_w - g.pad_left;
      const float* img = x_ + n * g.in_h * g.in_w * g.in_c;
      // With dilation 1 along w and the whole filter width inside x, the (kw, ci) part of one
      // filter row is a single contiguous run of x (NHWC).
      const bool w_inside = g.dil_w == 1 && iw0 >= 0 && iw0 + g.k_w <= g.in_w;
      for (int64_t kh = k0 / row, kk = 0; kk < kc; ++kh) {
        const int64_t start = std::max(k0 + kk, kh * row) - kh * row;  // offset inside this filter row
        const int64_t len = std::min(row - start, kc - kk);
        float* dd = d + kk;
        const int64_t ih = ih0 + kh * g.dil_h;
        const float* src_row = img + ih * g.in_w * g.in_c;
        if (ih < 0 || ih >= g.in_h) {
          std::memset(dd, 0, sizeof(float) * static_cast<size_t>(len));
        } else if (w_inside) {
          const float* src = src_row + iw0 * g.in_c + start;
          for (int64_t c = 0; c < len; ++c) dd[c] = src[c];
        } else {
          for (int64_t o = start; o < start + len;) {
            const int64_t kw = o / g.in_c, ci = o % g.in_c;
            const int64_t run = std::min(g.in_c - ci, start + len - o);
            const int64_t iw = iw0 + kw * g.dil_w;
            float* de = dd + (o - start);
            if (iw >= 0 && iw < g.in_w) {
              const float* src = src_row + iw * g.in_c + ci;
              for (int64_t c = 0; c < run; ++c) de[c] = src[c];
            } else {
              for (int64_t c = 0; c < run; ++c) de[c] = 0.f;
            }
            o += run;
          }
        }
        kk += len;
      }
    }
  }

 private:
  const float* x_;
  ConvGeom g_;
};

// B(k, j) = im2col(x) with depth k = output pixel (n, oh, ow) and column j = (kh, kw, ci): the
// right operand of the filter gradient dW^T = dy^T * im2col(x).
class Im2colPackB final : public GemmPackB {
 public:
  Im2colPackB(const float* x, const ConvGeom& g) : x_(x), g_(g) {}

  void Pack(int64_t k0, int64_t kc, int64_t j0, int64_t nc, float* dst) const override {
    const ConvGeom& g = g_;
    const int64_t row = g.k_w * g.in_c;
    // Split the columns into runs of consecutive channels of one filter tap within one sliver.
    struct Run { int64_t dh, dw, src, dst, len; };
    thread_local std::vector<Run> runs;
    runs.clear();
    for (int64_t j = 0; j < nc;) {
      const int64_t col = j0 + j;
      const int64_t kh = col / row, kw = (col % row) / g.in_c, ci = col % g.in_c;
      const int64_t len = std::min({g.in_c - ci, nc - j, kGemmNR - j % kGemmNR});
      runs.push_back(Run{kh * g.dil_h, kw * g.dil_w, ci, (j / kGemmNR) * kGemmNR * kc + j % kGemmNR, len});
      j += len;
    }
    // The same columns in runs of one filter row (all its taps and channels): one contiguous run
    // of x for a pixel whose filter width lies inside x, when the dilation along w is 1.
    thread_local std::vector<Run> rows;
    rows.clear();
    for (int64_t j = 0; j < nc;) {
      const int64_t col = j0 + j;
      const int64_t kh = col / row, off = col % row;
      const int64_t len = std::min({row - off, nc - j, kGemmNR - j % kGemmNR});
      rows.push_back(Run{kh * g.dil_h, 0, off, (j / kGemmNR) * kGemmNR * kc + j % kGemmNR, len});
      j += len;
    }
    const int64_t tail = nc % kGemmNR;  // zero columns of a partial last sliver
    float* tail_dst = dst + (nc / kGemmNR) * kGemmNR * kc;
    // Pixel by pixel: each pixel's patch is read from one small region of x.
    const int64_t hw = g.out_h * g.out_w;
    int64_t n = k0 / hw, oh = (k0 % hw) / g.out_w, ow = k0 % g.out_w;
    for (int64_t k = 0; k < kc; ++k) {
      const int64_t ih0 = oh * g.stride_h - g.pad_top, iw0 = ow * g.stride_w - g.pad_left;
      const float* img = x_ + n * g.in_h * g.in_w * g.in_c;
      float* dk = dst + k * kGemmNR;
      if (g.dil_w == 1 && iw0 >= 0 && iw0 + g.k_w <= g.in_w) {
        for (const Run& u : rows) {
          const int64_t ih = ih0 + u.dh;
          const bool inside = ih >= 0 && ih < g.in_h;
          CopyRun(dk + u.dst, inside ? img + (ih * g.in_w + iw0) * g.in_c + u.src : nullptr, u.len);
        }
      } else {
        for (const Run& u : runs) {
          const int64_t ih = ih0 + u.dh, iw = iw0 + u.dw;
          const bool inside = ih >= 0 && ih < g.in_h && iw >= 0 && iw < g.in_w;
          CopyRun(dk + u.dst, inside ? img + (ih * g.in_w + iw) * g.in_c + u.src : nullptr, u.len);
        }
      }
      if (tail != 0) {
        for (int64_t c = tail; c < kGemmNR; ++c) tail_dst[k * kGemmNR + c] = 0.f;
      }
      if (++ow == g.out_w) {
        ow = 0;
        if (++oh == g.out_h) {
          oh = 0;
          ++n;
        }
      }
    }
  }

 private:
  // dst[0:len] = src[0:len], or zeros when src is null (a tap in the padding).
  static void CopyRun(float* dst, const float* src, int64_t len) {
    if (src == nullptr) {
      for (int64_t c = 0; c < len; ++c) dst[c] = 0.f;
    } else if (len == kGemmNR) {
      std::memcpy(dst, src, sizeof(float) * kGemmNR);
    } else {
      for (int64_t c = 0; c < len; ++c) dst[c] = src[c];
    }
  }

  const float* x_;
  ConvGeom g_;
};

// dx[n, ih, iw, :] += cols[p, (kh, kw, :)] for output pixels p in [p0, p1) (col2im, scatter-add).
inline void Col2imAdd(const float* cols, int64_t p0, int64_t p1, const ConvGeom& g, float* dx) {
  const int64_t hw = g.out_h * g.out_w;
  const int64_t patch = g.PatchSize();
  for (int64_t p = p0; p < p1; ++p) {
    const int64_t n = p / hw, oh = (p % hw) / g.out_w, ow = p % g.out_w;
    const float* col = cols + (p - p0) * patch;
    float* img = dx + n * g.in_h * g.in_w * g.in_c;
    const int64_t iw0 = ow * g.stride_w - g.pad_left;
    // With dilation 1 along w and the whole filter width inside dx, one filter row adds to one
    // contiguous run of dx (NHWC).
    const bool w_inside = g.dil_w == 1 && iw0 >= 0 && iw0 + g.k_w <= g.in_w;
    const int64_t row = g.k_w * g.in_c;
    for (int64_t kh = 0; kh < g.k_h; ++kh) {
      const int64_t ih = oh * g.stride_h - g.pad_top + kh * g.dil_h;
      if (ih < 0 || ih >= g.in_h) continue;
      if (w_inside) {
        float* dst = img + (ih * g.in_w + iw0) * g.in_c;
        const float* src = col + kh * row;
        for (int64_t c = 0; c < row; ++c) dst[c] += src[c];
        continue;
      }
      for (int64_t kw = 0; kw < g.k_w; ++kw) {
        const int64_t iw = ow * g.stride_w - g.pad_left + kw * g.dil_w;
        if (iw < 0 || iw >= g.in_w) continue;
        float* dst = img + (ih * g.in_w + iw) * g.in_c;
        const float* src = col + (kh * g.k_w + kw) * g.in_c;
        for (int64_t c = 0; c < g.in_c; ++c) dst[c] += src[c];
      }
    }
  }
}

// y = conv2d(x, w) (NHWC, filter [kH, kW, inC, outC]) with the epilogue (bias, activation) fused:
// one GEMM of im2col(x) [pixels x patch] by the filter [patch x outC], the filter packed once and
// shared by the threads that each take a range of output pixels.
inline void ConvForward(const float* x, const float* w, float* y, const ConvGeom& g, const GemmEpilogue* ep) {
  const int64_t m = g.Pixels(), n = g.out_c, k = g.PatchSize();
  if (m == 0 || n == 0) return;
  StridedPackB b(StridedMatrix{w, n, 1});
  GemmCall call;
  call.m = m;
  call.n = n;
  call.k = k;
  call.c = y;
  call.rs_c = n;
  call.cs_c = 1;
  call.ep = ep;
  // A 1x1 filter with stride 1 and no padding reads x itself as the left operand.
  const bool pointwise = g.k_h == 1 && g.k_w == 1 && g.stride_h == 1 && g.stride_w == 1 && g.pad_top == 0 &&
                         g.pad_left == 0 && g.out_h == g.in_h && g.out_w == g.in_w;
  StridedPackA direct(StridedMatrix{x, g.in_c, 1});
  Im2colPackA patches(x, g);
  call.a = pointwise ? static_cast<const GemmPackA*>(&direct) : &patches;
  if (SkinnyPays(m, n, k)) {
    // Few output pixels (small maps): the filter is read once, unpacked; the patches are few.
    thread_local std::vector<float> rows;
    const float* a = x;
    if (!pointwise) {
      float* buf = AlignedScratch(rows, (m + kGemmMR - 1) / kGemmMR * kGemmMR * k);
      patches.Pack(0, m, 0, k, buf);  // row i at buf + i*k (micro-panels of MR contiguous rows)
      a = buf;
    }
    SkinnyGemm(m, n, k, a, pointwise ? g.in_c : k, w, n, 1, y, n, false);
    if (ep != nullptr && ep->Active()) ApplyEpilogue(*ep, y, n, 1, m, n, 0);
    return;
  }
  if (k == 0) {
    call.b = &b;
    GemmSerial(call);
    return;
  }
  thread_local std::vector<float> pack_buf;  // reused from call to call (no fresh pages per call)
  PackedB packed(b, k, n, AlignedScratch(pack_buf, PackedB::Size(k, n)));
  call.packed_b = &packed;
  Gemm(call);
}

}  // namespace tsgan
