// implicit_conv.h: the dispatch test and the driver (pixel panels, filter rows, column blocks, threads);
// the register kernels are in implicit_conv_avx512.cc.
#include "implicit_conv.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "simd.h"
#include "thread_pool.h"

namespace tsgan {
namespace {

bool Enabled() {
  static const bool enabled = [] {
    const char* v = std::getenv("TSGAN_IMPLICIT_CONV");
    return v == nullptr || std::string(v) != "0";
  }();
  return enabled;
}

constexpr int64_t MR = kGemmMR;  // pixels per panel (the register kernel's rows)
constexpr int64_t NR = kGemmNR;  // output channels per sliver
// Panels that share each pair of filter slivers while it is in L1 (24 pixels).
constexpr int64_t kGroup = 4;

}  // namespace

bool ImplicitConvPays(const ConvGeom& g) {
  return Enabled() && UseAvx512Gemm() && (g.stride_h > 1 || g.stride_w > 1) && g.dil_h == 1 && g.dil_w == 1 &&
         g.k_w * g.in_c >= 32 && g.out_c >= NR && g.Pixels() >= MR &&
         !SkinnyPays(g.Pixels(), g.out_c, g.PatchSize());  // few pixels: the skinny GEMM reads the filter once
}

void ImplicitConvForward(const float* x, const float* w, float* y, const ConvGeom& g, const GemmEpilogue* ep) {
  const int64_t row = g.k_w * g.in_c, patch = g.PatchSize(), co = g.out_c;
  const int64_t m = g.Pixels(), hw = g.out_h * g.out_w;
  if (m == 0 || co == 0) return;
  // The filter [patch x outC] packed once (over the pool), reused from call to call.
  thread_local std::vector<float> pack_buf;
  const StridedPackB b(StridedMatrix{w, co, 1});
  const PackedB packed(b, patch, co, AlignedScratch(pack_buf, PackedB::Size(patch, co)));
  const int64_t cop = (co + NR - 1) / NR * NR;
  // Output channels per column block: its packed filter about 512 KiB (L2), a multiple of 32.
  const int64_t block = std::min(cop, std::max<int64_t>(32, (int64_t{1} << 17) / patch / 32 * 32));
  const int64_t panels = (m + MR - 1) / MR;
  const int64_t threads = NumThreads();
  const int64_t tasks = std::min(panels, threads > 1 ? 4 * threads : 1);
  const int64_t per = (panels + tasks - 1) / tasks;
  const bool epilogue = ep != nullptr && ep->Active();
  RunTasks(tasks, [&](int64_t t) {
    const int64_t p0 = t * per, p1 = std::min(panels, p0 + per);
    if (p0 >= p1) return;
    // Scratch of the thread that runs this task: a zero row, the edge rows and the C tile of a group
    // of kGroup panels.
    thread_local std::vector<float> scratch;
    const int64_t row_pad = (row + 15) / 16 * 16;
    float* const zero = AlignedScratch(scratch, (1 + kGroup * MR) * row_pad + kGroup * MR * block);
    float* const edge = zero + row_pad;
    float* const tile = edge + kGroup * MR * row_pad;
    std::fill(zero, zero + row_pad, 0.f);
    for (int64_t j0 = 0; j0 < co; j0 += block) {
      const int64_t jn = std::min(block, co - j0);  // output channels of this block
      for (int64_t q0 = p0; q0 < p1; q0 += kGroup) {
        const int64_t np = std::min(kGroup, p1 - q0);  // panels in this group
        const int64_t r0 = q0 * MR, nr = std::min(np * MR, m - r0);  // its pixels
        int64_t img[kGroup * MR], ih0[kGroup * MR], iw0[kGroup * MR];
        for (int64_t i = 0; i < nr; ++i) {
          const int64_t q = r0 + i, rem = q % hw;
          img[i] = q / hw;
          ih0[i] = (rem / g.out_w) * g.stride_h - g.pad_top;
          iw0[i] = (rem % g.out_w) * g.stride_w - g.pad_left;
        }
        for (int64_t kh = 0; kh < g.k_h; ++kh) {
          const float* rows[kGroup * MR];
          for (int64_t i = 0; i < np * MR; ++i) {
            const int64_t ih = i < nr ? ih0[i] + kh : -1;
            if (ih < 0 || ih >= g.in_h) {
              rows[i] = zero;  // past the last pixel, or a filter row in the top or bottom padding
              continue;
            }
            const float* src = x + ((img[i] * g.in_h + ih) * g.in_w) * g.in_c;
            if (iw0[i] >= 0 && iw0[i] + g.k_w <= g.in_w) {
              rows[i] = src + iw0[i] * g.in_c;
              continue;
            }
            // The filter row hangs over x's left or right edge: the taps inside, zeros outside.
            float* e = edge + i * row_pad;
            for (int64_t kw = 0; kw < g.k_w; ++kw) {
              const int64_t iw = iw0[i] + kw;
              if (iw >= 0 && iw < g.in_w) {
                std::memcpy(e + kw * g.in_c, src + iw * g.in_c, sizeof(float) * static_cast<size_t>(g.in_c));
              } else {
                std::memset(e + kw * g.in_c, 0, sizeof(float) * static_cast<size_t>(g.in_c));
              }
            }
            rows[i] = e;
          }
          const bool acc = kh > 0;
          const int64_t k0 = kh * row;
          // Each pair of filter slivers (kc x 32, in L1) serves every panel of the group.
          int64_t j = 0;
          for (; j + 2 * NR <= jn; j += 2 * NR) {
            const float* b0 = packed.Panel(j0 + j, k0);
            const float* b1 = packed.Panel(j0 + j + NR, k0);
            for (int64_t pp = 0; pp < np; ++pp) {
              avx512::RowsKernel6x32(row, rows + pp * MR, b0, b1, tile + pp * MR * block + j, block, acc);
            }
          }
          for (; j < jn; j += NR) {
            const float* b0 = packed.Panel(j0 + j, k0);
            for (int64_t pp = 0; pp < np; ++pp) {
              avx512::RowsKernel6x16(row, rows + pp * MR, b0, tile + pp * MR * block + j, block, acc);
            }
          }
        }
        // The tile's rows and columns that exist, then the bias and activation on them.
        float* out = y + r0 * co + j0;
        for (int64_t i = 0; i < nr; ++i) {
          std::memcpy(out + i * co, tile + i * block, sizeof(float) * static_cast<size_t>(jn));
        }
        if (epilogue) ApplyEpilogue(*ep, out, co, 1, nr, jn, j0);
      }
    }
  });
}

}  // namespace tsgan
