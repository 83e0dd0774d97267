// Conv2DBackpropInput (NHWC): dx = the gradient of conv2d(x, filter) with respect to x, given dy;
// also what a transposed convolution (tfjs conv2dTranspose, the DCGAN generator) runs.
// Arguments: (dy, filter, dx: Float32Array, dxShape, filterShape, geom) — geom as for the forward
// convolution that produced dy (see conv_util.h), so dy is [batch, outH, outW, outC].
// cols = dy [pixels x outC] * filter^T [outC x patch] by GEMM, then col2im scatter-adds each row of
// cols into dx. Threads take whole images, so their scatters never overlap; the filter is packed once.
#include <algorithm>
#include <vector>

#include "common.h"
#include "conv_util.h"
#include "winograd.h"
#include "gemm_skinny.h"
#include "registry.h"
#include "thread_pool.h"

namespace tsgan {
namespace {

// Rows of cols computed at once: about 1 MiB of scratch, so it is still in cache for col2im.
int64_t ChunkRows(const ConvGeom& g) { return std::max<int64_t>(1, (int64_t{1} << 18) / std::max<int64_t>(1, g.PatchSize())); }

void BackpropInput(const float* dy, const float* w, float* dx, const ConvGeom& g) {
  const int64_t image = g.in_h * g.in_w * g.in_c;
  const int64_t m = g.Pixels(), n = g.PatchSize(), k = g.out_c;
  if (m == 0 || n == 0 || k == 0) {
    std::fill(dx, dx + g.InSize(), 0.f);
    return;
  }
  if (WinogradPaysInput(g)) {
    WinogradBackpropInput(dy, w, dx, g);
    return;
  }
  if (NarrowBackpropInputPays(g)) {
    NarrowConvBackpropInput(dy, w, dx, g);
    return;
  }
  if (SkinnyPays(m, n, k)) {
    // Few pixels in dy (small maps): each filter row is read once, unpacked, and dotted with them.
    thread_local std::vector<float> scratch;
    float* cols = AlignedScratch(scratch, m * n);
    SkinnyGemm(m, n, k, dy, g.out_c, w, 1, g.out_c, cols, n, false);  // B(co, j) = filter[j, co]
    std::fill(dx, dx + g.InSize(), 0.f);
    Col2imAdd(cols, 0, m, g, dx);
    return;
  }
  StridedPackA a(StridedMatrix{dy, g.out_c, 1});  // dy as [pixels x outC]
  StridedPackB b(StridedMatrix{w, 1, g.out_c});   // B(co, j) = filter[j, co]
  thread_local std::vector<float> pack_buf;  // reused from call to call (no fresh pages per call)
  const PackedB packed(b, k, n, AlignedScratch(pack_buf, PackedB::Size(k, n)));
  const int64_t hw = g.out_h * g.out_w;
  const int64_t chunk = ChunkRows(g);
  auto run_rows = [&](int64_t r0, int64_t r1, float* cols, bool parallel_gemm) {
    for (int64_t r = r0; r < r1; r += chunk) {
      GemmCall call;
      call.m = std::min(chunk, r1 - r);
      call.n = n;
      call.k = k;
      call.i0 = r;
      call.a = &a;
      call.packed_b = &packed;
      call.c = cols;
      call.rs_c = n;
      call.cs_c = 1;
      if (parallel_gemm) {
        Gemm(call);
      } else {
        GemmSerial(call);
      }
      Col2imAdd(cols, r, r + call.m, g, dx);
    }
  };
  const int64_t threads = NumThreads();
  if (g.batch >= threads && threads > 1) {
    // Whole images per task: each task zeroes and fills its own slice of dx.
    const int64_t groups = std::min<int64_t>(g.batch, 4 * threads);
    const int64_t per = (g.batch + groups - 1) / groups;
    RunTasks(groups, [&](int64_t t) {
      const int64_t n0 = t * per, n1 = std::min(g.batch, n0 + per);
      if (n0 >= n1) return;
      std::fill(dx + n0 * image, dx + n1 * image, 0.f);
      thread_local std::vector<float> cols;
      run_rows(n0 * hw, n1 * hw, AlignedScratch(cols, chunk * n), false);
    });
  } else {
    // Few images: the GEMM of each chunk runs over the pool, col2im on this thread.
    std::fill(dx, dx + g.InSize(), 0.f);
    std::vector<float> cols;
    run_rows(0, m, AlignedScratch(cols, std::min(chunk, m) * n), true);
  }
}

Napi::Value Conv2DBackpropInput(const Napi::CallbackInfo& info) {
  const char* op = "Conv2DBackpropInput";
  const ConvGeom g = ArgConvGeom(info, 3, op);
  const F32 dy = ArgF32Count(info, 0, op, "dy", g.OutSize(), g);
  const F32 f = ArgF32Count(info, 1, op, "filter", g.FilterSize(), g);
  const F32 dx = ArgF32Count(info, 2, op, "dx", g.InSize(), g);
  BackpropInput(dy.data, f.data, dx.data, g);
  return info.Env().Undefined();
}

}  // namespace
}  // namespace tsgan

TSGAN_REGISTER_KERNEL(Conv2DBackpropInput, tsgan::Conv2DBackpropInput);
