// winograd.h: the drivers (tiles, GEMMs, threads) and the portable transforms; the AVX2+FMA transforms
// are in winograd_avx2.cc.
#include "winograd.h"

#include <algorithm>
#include <cstdlib>
#include <string>
#include <memory>
#include <vector>

#include "simd.h"
#include "transpose.h"
#include "thread_pool.h"

namespace tsgan {
namespace winograd {
namespace portable_impl {
#include "winograd_impl.h"
}  // namespace portable_impl

const Ops& Portable() {
  static const Ops ops{portable_impl::InputImpl, portable_impl::OutputImpl, portable_impl::FilterImpl,
                       portable_impl::GradOutputImpl, portable_impl::GradFilterImpl, portable_impl::Filter16Impl,
                       portable_impl::GradOutput16Impl};
  return ops;
}
}  // namespace winograd

namespace {

constexpr int64_t kTile = 4;        // output tile side
constexpr int64_t kPositions = 36;  // 6x6 transformed positions
// Tile counts the few-tiles drivers take (a 16x16 map at batch 1 is 16 tiles, at batch 4 64).
constexpr int64_t kSmallMinTiles = 4;
constexpr int64_t kSmallMaxTiles = 128;
constexpr int64_t kPrefetch = 6;  // channels ahead that ForwardSmall prefetches the filter's taps
// The large-map filter gradient's parts: at least this many tiles each, at most this many parts.
constexpr int64_t kFilterPartTiles = 64;
constexpr int64_t kFilterMaxParts = 8;
constexpr int64_t kFilterPartsFloats = int64_t{8} << 20;  // and at most 32 MiB of parts' sums

const winograd::Ops& Active() { return UseAvx2() ? winograd::Avx2() : winograd::Portable(); }

// Output tiles of one image and in all.
struct Tiles {
  int64_t h, w, per_image, total;
  explicit Tiles(const ConvGeom& g)
      : h((g.out_h + kTile - 1) / kTile),
        w((g.out_w + kTile - 1) / kTile),
        per_image(h * w),
        total(g.batch * h * w) {}
};

// Pointers to the 6x6 input elements of tile t (null outside x).
void InputTilePointers(const float* x, const ConvGeom& g, const Tiles& tl, int64_t t, const float* in[36]) {
  const int64_t n = t / tl.per_image, ty = (t % tl.per_image) / tl.w, tx = t % tl.w;
  const int64_t ih0 = ty * kTile - g.pad_top, iw0 = tx * kTile - g.pad_left;
  const float* img = x + n * g.in_h * g.in_w * g.in_c;
  for (int64_t r = 0; r < 6; ++r) {
    const int64_t ih = ih0 + r;
    for (int64_t c = 0; c < 6; ++c) {
      const int64_t iw = iw0 + c;
      const bool inside = ih >= 0 && ih < g.in_h && iw >= 0 && iw < g.in_w;
      in[r * 6 + c] = inside ? img + (ih * g.in_w + iw) * g.in_c : nullptr;
    }
  }
}

// Pointers to the 4x4 output pixels of tile t (null past the output's edge).
template <typename T>
void OutputTilePointers(T* y, const ConvGeom& g, const Tiles& tl, int64_t t, T* out[16]) {
  const int64_t n = t / tl.per_image, ty = (t % tl.per_image) / tl.w, tx = t % tl.w;
  T* img = y + n * g.out_h * g.out_w * g.out_c;
  for (int64_t r = 0; r < kTile; ++r) {
    const int64_t oh = ty * kTile + r;
    for (int64_t c = 0; c < kTile; ++c) {
      const int64_t ow = tx * kTile + c;
      out[r * kTile + c] = oh < g.out_h && ow < g.out_w ? img + (oh * g.out_w + ow) * g.out_c : nullptr;
    }
  }
}

// packed[p] (k x j, the GEMMs' packed right operand) = (G w G^T)[p] for input channel k and output
// channel j of g's convolution, written straight into the packed slivers of 16 output channels.
// w is [3][3][k][j]; flipped_swapped: the same layout with the taps in reverse order.
void TransformFilter(const float* w, const ConvGeom& g, bool flipped_swapped,
                     std::vector<std::unique_ptr<PackedB>>& packed) {
  const int64_t ci = g.in_c, co = g.out_c;
  const winograd::Ops& ops = Active();
  const int64_t threads = NumThreads();
  const int64_t per = std::max<int64_t>(1, (ci + 4 * threads - 1) / (4 * threads));
  RunTasks((ci + per - 1) / per, [&](int64_t task) {
    for (int64_t k = task * per; k < std::min(ci, (task + 1) * per); ++k) {
      const float* taps[9];
      // Tap (kh, kw) of this convolution; flipped: the transposed filter's tap (2 - kh, 2 - kw).
      for (int64_t tap = 0; tap < 9; ++tap) taps[tap] = w + ((flipped_swapped ? 8 - tap : tap) * ci + k) * co;
      for (int64_t j0 = 0; j0 < co; j0 += kGemmNR) {
        const float* in[9];
        float* out[36];
        for (int64_t tap = 0; tap < 9; ++tap) in[tap] = taps[tap] + j0;
        for (int64_t p = 0; p < kPositions; ++p) out[p] = packed[static_cast<size_t>(p)]->Sliver(j0) + k * kGemmNR;
        ops.filter(in, out, std::min(kGemmNR, co - j0));
      }
    }
  });
}

// Tiles per task of the forward pass: a multiple of the GEMM's 6 rows, a few tasks per thread.
int64_t TilesPerBlock(int64_t tiles) {
  const int64_t threads = NumThreads();
  const int64_t per = (tiles + 4 * threads - 1) / (4 * threads);
  return std::clamp<int64_t>((per + kGemmMR - 1) / kGemmMR * kGemmMR, kGemmMR, 96);
}

// Whether the geometry is one Winograd computes at all (and the path is not turned off).
bool Eligible(const ConvGeom& g) {
  static const bool enabled = [] {
    const char* v = std::getenv("TSGAN_WINOGRAD");
    return v == nullptr || std::string(v) != "0";
  }();
  return enabled && g.k_h == 3 && g.k_w == 3 && g.stride_h == 1 && g.stride_w == 1 && g.dil_h == 1 && g.dil_w == 1 &&
         g.in_c >= 16 && g.out_c >= 16 && g.out_h >= 2 && g.out_w >= 2 && g.batch > 0;
}

// Whether the few-tiles drivers below are on (TSGAN_WINOGRAD_SMALL=0 turns them off: the thresholds
// and drivers are then the ones of the large-map path alone).
bool SmallOn() {
  static const bool enabled = [] {
    const char* v = std::getenv("TSGAN_WINOGRAD_SMALL");
    return v == nullptr || std::string(v) != "0";
  }();
  return enabled;
}

// Whether a convolution (or the one an input gradient is) takes the few-tiles forward driver
// (ForwardSmall): 4 to 128 tiles, at least 32 output channels, and at least 3/4 of the tiles' outputs
// inside the output (an 18x18 output in 4x4 tiles: 81%; 10x10: 69%, where im2col does better).
// Measured at one thread on CycleGAN's 256-channel 16x16 blocks under load, the input gradient at
// batch 4 (100 tiles): 7.2-7.6 ms against 12.6-16.6 by the large-map driver.
bool SmallForward(const ConvGeom& g) {
  const Tiles tl(g);
  return SmallOn() && tl.total >= kSmallMinTiles && tl.total <= kSmallMaxTiles &&
         g.out_c >= 32 && 4 * g.out_h * g.out_w >= 3 * (tl.h * kTile) * (tl.w * kTile);
}
// Whether the filter gradient takes BackpropFilterSmall: 4 to 128 tiles, at least 32 input channels.
bool SmallFilter(const ConvGeom& g) {
  const Tiles tl(g);
  return SmallOn() && tl.total >= kSmallMinTiles && tl.total <= kSmallMaxTiles && g.in_c >= 32;
}

// The forward convolution that an input gradient is (see WinogradBackpropInput).
ConvGeom InputGradGeom(const ConvGeom& g) {
  ConvGeom t = g;
  t.in_h = g.out_h;
  t.in_w = g.out_w;
  t.in_c = g.out_c;
  t.out_h = g.in_h;
  t.out_w = g.in_w;
  t.out_c = g.in_c;
  t.pad_top = 2 - g.pad_top;
  t.pad_left = 2 - g.pad_left;
  return t;
}

// C[6 x 16] (row stride rs_c) = (or +=) A[6 x kc] (rows kc apart) * B[kc x 16] (rows of 16).
void MicroKernel(int64_t kc, const float* a, const float* b, float* c, int64_t rs_c, bool accumulate) {
  if (UseAvx512Gemm()) {
    avx512::GemmKernel6x16(kc, a, b, c, rs_c, accumulate);
    return;
  }
  if (UseAvx2()) {
    avx2::GemmKernel6x16(kc, a, b, c, rs_c, accumulate);
    return;
  }
  float t[kGemmMR][kGemmNR] = {};
  for (int64_t k = 0; k < kc; ++k) {
    for (int64_t i = 0; i < kGemmMR; ++i) {
      const float ai = a[i * kc + k];
      for (int64_t j = 0; j < kGemmNR; ++j) t[i][j] += ai * b[k * kGemmNR + j];
    }
  }
  for (int64_t i = 0; i < kGemmMR; ++i) {
    for (int64_t j = 0; j < kGemmNR; ++j) c[i * rs_c + j] = (accumulate ? c[i * rs_c + j] : 0.f) + t[i][j];
  }
}

// Floats between the 36 positions' parts of a scratch buffer holding n floats per position: n
// rounded to a cache line plus one more, so that the 36 streams a transform reads or writes do not
// all fall into the same L1 set (as they would 4 KiB apart).
int64_t PositionStride(int64_t n) { return (n + 15) / 16 * 16 + 16; }

// The forward pass for few tiles (small maps, small batches): the whole transformed filter (36 times
// the filter) would be written to memory and read back once per call; here each task transforms the
// filter for one sliver of 16 output channels and a block of input channels into a buffer that stays
// in L2, and runs the 36 GEMMs of that sliver from it straight away. The transformed inputs
// (block, position, tile, channel) are laid out so that the micro-kernel reads its rows in place.
void ForwardSmall(const float* x, const float* w, float* y, const ConvGeom& g, const GemmEpilogue* ep,
                  bool flipped_swapped) {
  const int64_t ci = g.in_c, co = g.out_c;
  const Tiles tl(g);
  const int64_t nt = tl.total, tp = (nt + kGemmMR - 1) / kGemmMR * kGemmMR;  // tiles, padded to MR rows
  const int64_t cop = (co + kGemmNR - 1) / kGemmNR * kGemmNR, slivers = cop / kGemmNR;
  // Input channels per block: 36 x kb x 16 transformed filter values of about 288 KiB.
  const int64_t blocks = (ci + 127) / 128, kb = (ci + blocks - 1) / blocks;
  const int64_t v_ps = PositionStride(tp * kb), m_ps = PositionStride(tp * cop), pb_ps = PositionStride(kb * kGemmNR);
  const winograd::Ops& ops = Active();
  thread_local std::vector<float> v_buf, m_buf;
  float* const v = AlignedScratch(v_buf, blocks * kPositions * v_ps);  // block b, position p: v + (b*36 + p)*v_ps, [tile][kl]
  float* const m = AlignedScratch(m_buf, kPositions * m_ps);           // position p: m + p*m_ps, [tile][cop]
  const int64_t threads = NumThreads();
  const int64_t per_tiles = std::max<int64_t>(1, (tp + 4 * threads - 1) / (4 * threads));
  RunTasks((tp + per_tiles - 1) / per_tiles, [&](int64_t task) {
    for (int64_t t = task * per_tiles; t < std::min(tp, (task + 1) * per_tiles); ++t) {
      const float* in[36];
      if (t < nt) {
        InputTilePointers(x, g, tl, t, in);
      } else {
        std::fill(in, in + 36, nullptr);  // padding rows of the GEMMs: zeros
      }
      for (int64_t b = 0; b < blocks; ++b) {
        const int64_t k0 = b * kb, kl = std::min(kb, ci - k0);
        const float* in_b[36];
        float* out[36];
        for (int64_t q = 0; q < 36; ++q) in_b[q] = in[q] != nullptr ? in[q] + k0 : nullptr;
        for (int64_t p = 0; p < kPositions; ++p) out[p] = v + (b * kPositions + p) * v_ps + t * kl;
        ops.input(in_b, out, kl);
      }
    }
  });
  RunTasks(slivers, [&](int64_t s) {
    const int64_t j0 = s * kGemmNR, jn = std::min(kGemmNR, co - j0);
    thread_local std::vector<float> pb_buf, wt_buf;
    float* pb = AlignedScratch(pb_buf, kPositions * pb_ps);  // position p: pb + p*pb_ps, [kk][16]
    float* wt = flipped_swapped ? AlignedScratch(wt_buf, 9 * kb * kGemmNR) : nullptr;
    for (int64_t b = 0; b < blocks; ++b) {
      const int64_t k0 = b * kb, kl = std::min(kb, ci - k0);
      if (jn < kGemmNR) std::fill(pb, pb + kPositions * pb_ps, 0.f);
      if (flipped_swapped) {
        // w is [3][3][co][ci] (the channels of this convolution swapped) read at tap 8 - tap:
        // wt[tap][kk][jj] = w[8 - tap][j0 + jj][k0 + kk].
        for (int64_t tap = 0; tap < 9; ++tap) {
          const float* src = w + ((8 - tap) * co + j0) * ci + k0;  // jn rows of kl, ci apart
          float* dst = wt + tap * kl * kGemmNR;                      // kl rows of 16
          if (UseAvx2()) {
            avx2::TransposeTile(reinterpret_cast<const uint32_t*>(src), ci, reinterpret_cast<uint32_t*>(dst), kGemmNR,
                                0, jn, 0, kl);
            continue;
          }
          for (int64_t jj = 0; jj < jn; ++jj) {
            for (int64_t kk = 0; kk < kl; ++kk) dst[kk * kGemmNR + jj] = src[jj * ci + kk];
          }
        }
      }
      for (int64_t kk = 0; kk < kl; ++kk) {
        const float* in[9];
        float* out[36];
        if (!flipped_swapped && kk + kPrefetch < kl) {
          // The 9 taps of a channel lie a whole filter slice apart and each sliver reads one cache
          // line of each: fetch those of a later channel while this one is transformed.
          for (int64_t tap = 0; tap < 9; ++tap) __builtin_prefetch(w + (tap * ci + k0 + kk + kPrefetch) * co + j0);
        }
        for (int64_t tap = 0; tap < 9; ++tap) {
          in[tap] = flipped_swapped ? wt + (tap * kl + kk) * kGemmNR : w + (tap * ci + k0 + kk) * co + j0;
        }
        for (int64_t p = 0; p < kPositions; ++p) out[p] = pb + p * pb_ps + kk * kGemmNR;
        if (jn == kGemmNR) {
          ops.filter16(in, out);
        } else {
          ops.filter(in, out, jn);
        }
      }
      for (int64_t p = 0; p < kPositions; ++p) {
        const float* vp = v + (b * kPositions + p) * v_ps;
        for (int64_t t0 = 0; t0 < tp; t0 += kGemmMR) {
          MicroKernel(kl, vp + t0 * kl, pb + p * pb_ps, m + p * m_ps + t0 * cop + j0, cop, b > 0);
        }
      }
    }
  });
  const bool epilogue = ep != nullptr && ep->Active();
  RunTasks((nt + per_tiles - 1) / per_tiles, [&](int64_t task) {
    for (int64_t t = task * per_tiles; t < std::min(nt, (task + 1) * per_tiles); ++t) {
      const float* in[36];
      float* out[16];
      for (int64_t p = 0; p < kPositions; ++p) in[p] = m + p * m_ps + t * cop;
      OutputTilePointers(y, g, tl, t, out);
      ops.output(in, out, co);
      if (!epilogue) continue;
      for (float* px : out)
        if (px != nullptr) ApplyEpilogue(*ep, px, co, 1, 1, co, 0);
    }
  });
}

// The filter gradient for few tiles: its GEMMs s[p] = v[p]^T e[p] have a depth of only the tile count,
// and the sum s (36 times the filter) would go to memory and back; here each task computes s for 6
// input channels at a time (in L2) and turns it into their filter gradient at once. The transformed
// inputs are stored transposed, vt[p][channel][tile], and the transformed gradients in slivers of 16
// output channels, eb[p][sliver][tile][16], so the micro-kernel reads both in place.
void BackpropFilterSmall(const float* x, const float* dy, float* dw, const ConvGeom& g) {
  const int64_t ci = g.in_c, co = g.out_c;
  const Tiles tl(g);
  const int64_t nt = tl.total;
  const int64_t cip = (ci + kGemmMR - 1) / kGemmMR * kGemmMR;
  const int64_t cop = (co + kGemmNR - 1) / kGemmNR * kGemmNR, slivers = cop / kGemmNR;
  const int64_t v_ps = PositionStride(nt * ci), vt_ps = PositionStride(cip * nt), e_ps = PositionStride(cop * nt);
  const int64_t s_ps = PositionStride(kGemmMR * cop);
  const winograd::Ops& ops = Active();
  thread_local std::vector<float> v_buf, vt_buf, e_buf;
  float* const v = AlignedScratch(v_buf, kPositions * v_ps);     // v + p*v_ps: [tile][ci]
  float* const vt = AlignedScratch(vt_buf, kPositions * vt_ps);  // vt + p*vt_ps: [cip][tile]
  float* const eb = AlignedScratch(e_buf, kPositions * e_ps);    // eb + p*e_ps: [sliver][tile][16]
  const int64_t threads = NumThreads();
  const int64_t per = std::max<int64_t>(1, (nt + 4 * threads - 1) / (4 * threads));
  RunTasks((nt + per - 1) / per, [&](int64_t task) {
    for (int64_t t = task * per; t < std::min(nt, (task + 1) * per); ++t) {
      const float* in[36];
      float* out[36];
      InputTilePointers(x, g, tl, t, in);
      for (int64_t p = 0; p < kPositions; ++p) out[p] = v + p * v_ps + t * ci;
      ops.input(in, out, ci);
      const float* grad[16];
      OutputTilePointers(dy, g, tl, t, grad);
      for (int64_t s = 0; s < slivers; ++s) {
        const int64_t j0 = s * kGemmNR, jn = std::min(kGemmNR, co - j0);
        const float* gs[16];
        for (int64_t q = 0; q < 16; ++q) gs[q] = grad[q] != nullptr ? grad[q] + j0 : nullptr;
        for (int64_t p = 0; p < kPositions; ++p) out[p] = eb + p * e_ps + (s * nt + t) * kGemmNR;
        if (jn == kGemmNR) {
          ops.grad_output16(gs, out);
        } else {
          ops.grad_output(gs, out, jn);
          for (int64_t p = 0; p < kPositions; ++p) std::fill(out[p] + jn, out[p] + kGemmNR, 0.f);
        }
      }
    }
  });
  // vt[p] = v[p]^T, padded with zero rows to a multiple of MR channels.
  RunTasks(kPositions, [&](int64_t p) {
    const float* src = v + p * v_ps;
    float* dst = vt + p * vt_ps;
    for (int64_t c0 = 0; c0 < ci; c0 += 32) {  // in blocks of 32 channels, for the cache
      const int64_t c1 = std::min(ci, c0 + 32);
      for (int64_t t = 0; t < nt; ++t) {
        for (int64_t c = c0; c < c1; ++c) dst[c * nt + t] = src[t * ci + c];
      }
    }
    std::fill(dst + ci * nt, dst + cip * nt, 0.f);
  });
  const int64_t panels = cip / kGemmMR;
  RunTasks(panels, [&](int64_t r) {
    const int64_t k0 = r * kGemmMR, kn = std::min(kGemmMR, ci - k0);
    thread_local std::vector<float> s_buf;
    float* sb = AlignedScratch(s_buf, kPositions * s_ps);  // sb + p*s_ps: [6][cop]
    for (int64_t p = 0; p < kPositions; ++p) {
      for (int64_t s = 0; s < slivers; ++s) {
        MicroKernel(nt, vt + p * vt_ps + k0 * nt, eb + p * e_ps + s * nt * kGemmNR, sb + p * s_ps + s * kGemmNR, cop,
                    false);
      }
    }
    for (int64_t kk = 0; kk < kn; ++kk) {
      const float* in[36];
      float* out[9];
      for (int64_t p = 0; p < kPositions; ++p) in[p] = sb + p * s_ps + kk * cop;
      for (int64_t tap = 0; tap < 9; ++tap) out[tap] = dw + (tap * ci + k0 + kk) * co;
      ops.grad_filter(in, out, co);
    }
  });
}

}  // namespace

// Measured at one thread (2-core AMD EPYC): with 256 channels, the large-map forward pass breaks even
// near 16 tiles and the input gradient (whose filter is read transposed) near 32; the filter gradient
// pays from 16 tiles, and loses below (at 1-4 tiles its 6x6 -> 3x3 transform of every channel pair
// costs more than the GEMM it saves). The few-tiles drivers (ForwardSmall, BackpropFilterSmall) take
// kSmallMinTiles..kSmallMaxTiles tiles.
bool WinogradPays(const ConvGeom& g) { return Eligible(g) && (Tiles(g).total >= 32 || SmallForward(g)); }
bool WinogradPaysInput(const ConvGeom& g) {
  return Eligible(g) && (Tiles(g).total >= 32 || SmallForward(InputGradGeom(g)));
}
bool WinogradPaysFilter(const ConvGeom& g) { return Eligible(g) && (Tiles(g).total >= 16 || SmallFilter(g)); }

void WinogradForward(const float* x, const float* w, float* y, const ConvGeom& g, const GemmEpilogue* ep,
                     bool flipped_swapped) {
  const int64_t ci = g.in_c, co = g.out_c;
  const Tiles tl(g);
  if (tl.total == 0 || co == 0) return;
  if (ci > 0 && SmallForward(g)) {
    ForwardSmall(x, w, y, g, ep, flipped_swapped);
    return;
  }
  // The 36 packs in one scratch buffer of this thread, reused from call to call.
  const int64_t pack_stride = PositionStride(PackedB::Size(ci, co));
  thread_local std::vector<float> pack_buf, swapped_buf;
  float* const pack_mem = AlignedScratch(pack_buf, kPositions * pack_stride);
  std::vector<std::unique_ptr<PackedB>> packed;
  packed.reserve(kPositions);
  for (int64_t p = 0; p < kPositions; ++p) packed.push_back(std::make_unique<PackedB>(ci, co, pack_mem + p * pack_stride));
  if (flipped_swapped) {
    // The stored filter is [3][3][co][ci] (this convolution's channels swapped): transpose each tap.
    float* swapped = AlignedScratch(swapped_buf, 9 * ci * co);
    transpose_detail::Transpose2D(w, swapped, 9, co, ci);
    w = swapped;
  }
  TransformFilter(w, g, flipped_swapped, packed);
  const winograd::Ops& ops = Active();
  const int64_t block = TilesPerBlock(tl.total);
  const bool epilogue = ep != nullptr && ep->Active();
  RunTasks((tl.total + block - 1) / block, [&](int64_t task) {
    const int64_t t0 = task * block, nb = std::min(block, tl.total - t0);
    thread_local std::vector<float> v_buf, m_buf;
    float* v = AlignedScratch(v_buf, kPositions * block * ci);  // v[p][tile][ci]
    float* m = AlignedScratch(m_buf, kPositions * block * co);  // m[p][tile][co]
    for (int64_t t = 0; t < nb; ++t) {
      const float* in[36];
      float* out[36];
      InputTilePointers(x, g, tl, t0 + t, in);
      for (int64_t p = 0; p < kPositions; ++p) out[p] = v + (p * block + t) * ci;
      ops.input(in, out, ci);
    }
    for (int64_t p = 0; p < kPositions; ++p) {
      const StridedPackA a(StridedMatrix{v + p * block * ci, ci, 1});
      GemmCall call;
      call.m = nb;
      call.n = co;
      call.k = ci;
      call.a = &a;
      call.packed_b = packed[static_cast<size_t>(p)].get();
      call.c = m + p * block * co;
      call.rs_c = co;
      GemmSerial(call);
    }
    for (int64_t t = 0; t < nb; ++t) {
      const float* in[36];
      float* out[16];
      for (int64_t p = 0; p < kPositions; ++p) in[p] = m + (p * block + t) * co;
      OutputTilePointers(y, g, tl, t0 + t, out);
      ops.output(in, out, co);
      if (!epilogue) continue;
      for (float* px : out)
        if (px != nullptr) ApplyEpilogue(*ep, px, co, 1, 1, co, 0);
    }
  });
}

void WinogradBackpropInput(const float* dy, const float* w, float* dx, const ConvGeom& g) {
  // dx[i] = sum over taps k of dy[i + pad - k] * w[k]: a convolution of dy (padded by 2 - pad) with
  // the filter rotated by 180 degrees and its channels swapped, whose output is x's size.
  WinogradForward(dy, w, dx, InputGradGeom(g), nullptr, true);
}

void WinogradBackpropFilter(const float* x, const float* dy, float* dw, const ConvGeom& g) {
  const int64_t ci = g.in_c, co = g.out_c;
  const Tiles tl(g);
  if (ci == 0 || co == 0) return;
  if (SmallFilter(g)) {
    BackpropFilterSmall(x, dy, dw, g);
    return;
  }
  // The tiles are cut into parts (at most 8, of at least 64 tiles: their number follows the tile
  // count and the channels alone, so the sums are the same at any thread count). A task takes a
  // part whole: it transforms the part's tiles in chunks into buffers of its own thread and adds
  // their 36 GEMMs into the part's own sum, so the transformed tiles stay in the cache of the core
  // that wrote them. (With the transforms and the GEMMs of one buffer spread over the threads, every
  // line crossed cores between the two: at 2 threads the pass took longer than at one.) The parts'
  // sums are then added in order.
  const int64_t s_size = kPositions * ci * co;
  const int64_t max_parts = std::clamp<int64_t>(kFilterPartsFloats / s_size, 1, kFilterMaxParts);
  const int64_t parts = std::clamp<int64_t>(tl.total / kFilterPartTiles, 1, max_parts);
  thread_local std::vector<float> s_buf;
  float* const s_all = AlignedScratch(s_buf, parts * s_size);  // part q: s_all + q*s_size, [p][ci][co]
  if (tl.total == 0) std::fill(s_all, s_all + s_size, 0.f);
  const winograd::Ops& ops = Active();
  // Tiles in chunks of about 2 MiB of transformed x and dy, which the GEMMs then read from cache.
  const int64_t chunk = std::min<int64_t>(tl.total, std::max<int64_t>(16, (int64_t{1} << 14) / (ci + co)));
  // Positions a cache line apart more than a multiple of 4 KiB (see PositionStride): 36 streams 32 KiB
  // apart all fell into one L1 set, and the transforms ran ~2.5x slower.
  const int64_t v_ps = PositionStride(chunk * ci), e_ps = PositionStride(chunk * co);
  RunTasks(parts, [&](int64_t q) {
    const int64_t t_begin = q * tl.total / parts, t_end = (q + 1) * tl.total / parts;
    float* const s = s_all + q * s_size;
    thread_local std::vector<float> v_buf, e_buf;
    float* const v = AlignedScratch(v_buf, kPositions * v_ps);  // v + p*v_ps: [tile][ci]
    float* const e = AlignedScratch(e_buf, kPositions * e_ps);  // e + p*e_ps: [tile][co]
    for (int64_t c0 = t_begin; c0 < t_end; c0 += chunk) {
      const int64_t nc = std::min(chunk, t_end - c0);
      for (int64_t t = 0; t < nc; ++t) {
        const float* in[36];
        float* out[36];
        InputTilePointers(x, g, tl, c0 + t, in);
        for (int64_t p = 0; p < kPositions; ++p) out[p] = v + p * v_ps + t * ci;
        ops.input(in, out, ci);
        const float* grad[16];
        OutputTilePointers(dy, g, tl, c0 + t, grad);
        for (int64_t p = 0; p < kPositions; ++p) out[p] = e + p * e_ps + t * co;
        ops.grad_output(grad, out, co);
      }
      for (int64_t p = 0; p < kPositions; ++p) {
        const StridedPackA a(StridedMatrix{v + p * v_ps, 1, ci});  // v[p]^T: [ci x tiles]
        const StridedPackB b(StridedMatrix{e + p * e_ps, co, 1});  // e[p]: [tiles x co]
        GemmCall call;
        call.m = ci;
        call.n = co;
        call.k = nc;
        call.a = &a;
        call.b = &b;
        call.c = s + p * ci * co;
        call.rs_c = co;
        call.accumulate = c0 > t_begin;
        GemmSerial(call);
      }
    }
  });
  // s = the parts' sums, added in order into part 0's.
  float* const s = s_all;
  if (parts > 1) {
    ParallelFor(s_size, 1 << 12, [&](int64_t b, int64_t e) {
      for (int64_t q = 1; q < parts; ++q) {
        const float* src = s_all + q * s_size;
        for (int64_t i = b; i < e; ++i) s[i] += src[i];
      }
    });
  }
  const int64_t threads = NumThreads();
  const int64_t per = std::max<int64_t>(1, (ci + 4 * threads - 1) / (4 * threads));
  RunTasks((ci + per - 1) / per, [&](int64_t task) {
    for (int64_t k = task * per; k < std::min(ci, (task + 1) * per); ++k) {
      const float* in[36];
      float* out[9];
      for (int64_t p = 0; p < kPositions; ++p) in[p] = s + (p * ci + k) * co;
      for (int64_t tap = 0; tap < 9; ++tap) out[tap] = dw + (tap * ci + k) * co;
      ops.grad_filter(in, out, co);
    }
  });
}

}  // namespace tsgan
