// Conv2DBackpropFilter (NHWC): dW = the gradient of conv2d(x, filter) with respect to the filter,
// given x and dy; dW is [kH, kW, inC, outC].
// Arguments: (x, dy, dw: Float32Array, xShape, filterShape, geom) — see conv_util.h.
// dW^T [outC x patch] = dy^T [outC x pixels] * im2col(x) [pixels x patch] by GEMM, the patches
// packed straight from x. With many output pixels (the GEMM depth), threads take ranges of them into
// private partial sums, which are then added; with few (small batches), they take ranges of the
// patch columns instead and write disjoint parts of one sum. Either way the sum is then transposed
// into dW.
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

// dw [n x m] = sum^T, sum [m x n], in tiles (a plain strided walk over rows 4 KiB apart would
// thrash the L1 cache).
void TransposeInto(const float* sum, int64_t m, int64_t n, float* dw) {
  constexpr int64_t kTile = 32;
  ParallelFor((n + kTile - 1) / kTile, 4, [&](int64_t b0, int64_t b1) {
    for (int64_t jb = b0 * kTile; jb < std::min(n, b1 * kTile); jb += kTile) {
      const int64_t je = std::min(n, jb + kTile);
      for (int64_t cb = 0; cb < m; cb += kTile) {
        const int64_t ce = std::min(m, cb + kTile);
        for (int64_t j = jb; j < je; ++j) {
          for (int64_t co = cb; co < ce; ++co) dw[j * m + co] = sum[co * n + j];
        }
      }
    }
  });
}

void BackpropFilter(const float* x, const float* dy, float* dw, const ConvGeom& g) {
  const int64_t m = g.out_c, n = g.PatchSize(), k = g.Pixels();
  if (m == 0 || n == 0) return;
  if (k == 0) {
    std::fill(dw, dw + m * n, 0.f);
    return;
  }
  if (WinogradPaysFilter(g)) {
    WinogradBackpropFilter(x, dy, dw, g);
    return;
  }
  if (NarrowBackpropFilterPays(g)) {
    NarrowConvBackpropFilter(x, dy, dw, g);
    return;
  }
  if (SmallDepthPays(n, m, k)) {
    // Few output pixels (small maps, small batches): dW [patch x outC] = im2col(x)^T * dy straight
    // into dW, each of its rows written once from the k rows of dy; no packing, no transpose.
    thread_local std::vector<float> cols;
    float* buf = AlignedScratch(cols, (k + kGemmMR - 1) / kGemmMR * kGemmMR * n);
    Im2colPackA(x, g).Pack(0, k, 0, n, buf);  // pixel p's patch at buf + p*n
    SmallDepthGemm(n, m, k, buf, 1, n, dy, g.out_c, dw, g.out_c);
    return;
  }
  StridedPackA a(StridedMatrix{dy, 1, g.out_c});  // A(co, p) = dy[p, co]
  Im2colPackB b(x, g);
  const int64_t threads = NumThreads();
  const int64_t mn = m * n;
  // Scratch of the calling thread, reused across calls; every task overwrites its whole partial.
  // (The tasks run on other threads too: they must use this pointer, not the thread_local name.)
  thread_local std::vector<float> scratch;
  // Enough pixels per task that packing and the final sum stay small next to the GEMM.
  const int64_t depth_tasks = std::max<int64_t>(1, std::min<int64_t>(2 * threads, k / 512));
  const int64_t col_units = (n + kGemmNR - 1) / kGemmNR;
  if (threads > 1 && depth_tasks < threads && col_units >= 2 && static_cast<double>(mn) * k >= 1e6) {
    // Column split: each task packs its own patch columns (no overlap) and the dy panel (m x k,
    // small next to its share of the GEMM), and writes its columns of the one sum.
    const int64_t tasks = std::min<int64_t>(col_units, 2 * threads);
    const int64_t per = (col_units + tasks - 1) / tasks * kGemmNR;
    float* const sum = AlignedScratch(scratch, mn);
    RunTasks(tasks, [&](int64_t t) {
      const int64_t j0 = t * per;
      if (j0 >= n) return;
      GemmCall call;
      call.m = m;
      call.n = std::min(per, n - j0);
      call.j0 = j0;
      call.k = k;
      call.a = &a;
      call.b = &b;
      call.c = sum + j0;
      call.rs_c = n;
      call.cs_c = 1;
      GemmSerial(call);
    });
    TransposeInto(sum, m, n, dw);
    return;
  }
  const int64_t tasks = depth_tasks;
  const int64_t per = (k + tasks - 1) / tasks;
  float* const partial = AlignedScratch(scratch, tasks * mn);
  RunTasks(tasks, [&](int64_t t) {
    GemmCall call;
    call.m = m;
    call.n = n;
    call.k0 = t * per;
    call.k = std::max<int64_t>(0, std::min(per, k - call.k0));
    call.a = &a;
    call.b = &b;
    call.c = partial + t * mn;
    call.rs_c = n;
    call.cs_c = 1;
    GemmSerial(call);
  });
  // Sum the partials into the first (row by row, contiguous), then transpose it into dw.
  float* sum = partial;
  if (tasks > 1) {
    ParallelFor(m, std::max<int64_t>(1, 16384 / n), [&](int64_t r0, int64_t r1) {
      for (int64_t t = 1; t < tasks; ++t) {
        const float* p = partial + t * mn;
        for (int64_t i = r0 * n; i < r1 * n; ++i) sum[i] += p[i];
      }
    });
  }
  TransposeInto(sum, m, n, dw);
}

Napi::Value Conv2DBackpropFilter(const Napi::CallbackInfo& info) {
  const char* op = "Conv2DBackpropFilter";
  const ConvGeom g = ArgConvGeom(info, 3, op);
  const F32 x = ArgF32Count(info, 0, op, "x", g.InSize(), g);
  const F32 dy = ArgF32Count(info, 1, op, "dy", g.OutSize(), g);
  const F32 dw = ArgF32Count(info, 2, op, "dw", g.FilterSize(), g);
  BackpropFilter(x.data, dy.data, dw.data, g);
  return info.Env().Undefined();
}

}  // namespace
}  // namespace tsgan

TSGAN_REGISTER_KERNEL(Conv2DBackpropFilter, tsgan::Conv2DBackpropFilter);
