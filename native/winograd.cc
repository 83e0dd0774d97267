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
                       portable_impl::GradOutputImpl, portable_impl::GradFilterImpl};
  return ops;
}
}  // namespace winograd

namespace {

constexpr int64_t kTile = 4;        // output tile side
constexpr int64_t kPositions = 36;  // 6x6 transformed positions

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

}  // namespace

// Measured at one thread (2-core AMD EPYC): with 256 channels, the forward pass breaks even near 16
// tiles and the input gradient (whose filter is read transposed) near 32; the filter gradient pays
// from 16 tiles, and loses below (at 1-4 tiles its 6x6 -> 3x3 transform of every channel pair costs
// more than the GEMM it saves).
bool WinogradPays(const ConvGeom& g) { return Eligible(g) && Tiles(g).total >= 32; }
bool WinogradPaysFilter(const ConvGeom& g) { return Eligible(g) && Tiles(g).total >= 16; }

void WinogradForward(const float* x, const float* w, float* y, const ConvGeom& g, const GemmEpilogue* ep,
                     bool flipped_swapped) {
  const int64_t ci = g.in_c, co = g.out_c;
  const Tiles tl(g);
  if (tl.total == 0 || co == 0) return;
  std::vector<std::unique_ptr<PackedB>> packed;
  packed.reserve(kPositions);
  for (int64_t p = 0; p < kPositions; ++p) packed.push_back(std::make_unique<PackedB>(ci, co));
  std::vector<float> swapped;
  if (flipped_swapped) {
    // The stored filter is [3][3][co][ci] (this convolution's channels swapped): transpose each tap.
    swapped.resize(static_cast<size_t>(9 * ci * co));
    transpose_detail::Transpose2D(w, swapped.data(), 9, co, ci);
    w = swapped.data();
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
  ConvGeom t = g;
  t.in_h = g.out_h;
  t.in_w = g.out_w;
  t.in_c = g.out_c;
  t.out_h = g.in_h;
  t.out_w = g.in_w;
  t.out_c = g.in_c;
  t.pad_top = 2 - g.pad_top;
  t.pad_left = 2 - g.pad_left;
  WinogradForward(dy, w, dx, t, nullptr, true);
}

void WinogradBackpropFilter(const float* x, const float* dy, float* dw, const ConvGeom& g) {
  const int64_t ci = g.in_c, co = g.out_c;
  const Tiles tl(g);
  if (ci == 0 || co == 0) return;
  std::vector<float> s_buf;
  float* s = AlignedScratch(s_buf, kPositions * ci * co);  // s[p][ci][co], summed over tiles
  if (tl.total == 0) std::fill(s, s + kPositions * ci * co, 0.f);
  const winograd::Ops& ops = Active();
  // Tiles in chunks of about 2 MiB of transformed x and dy, which the GEMMs then read from cache.
  const int64_t chunk = std::min<int64_t>(tl.total, std::max<int64_t>(16, (int64_t{1} << 14) / (ci + co)));
  std::vector<float> v_buf, e_buf;
  float* v = AlignedScratch(v_buf, kPositions * chunk * ci);  // v[p][tile][ci]
  float* e = AlignedScratch(e_buf, kPositions * chunk * co);  // e[p][tile][co]
  const int64_t threads = NumThreads();
  for (int64_t c0 = 0; c0 < tl.total; c0 += chunk) {
    const int64_t nc = std::min(chunk, tl.total - c0);
    const int64_t per = std::max<int64_t>(1, (nc + 4 * threads - 1) / (4 * threads));
    RunTasks((nc + per - 1) / per, [&](int64_t task) {
      for (int64_t t = task * per; t < std::min(nc, (task + 1) * per); ++t) {
        const float* in[36];
        float* out[36];
        InputTilePointers(x, g, tl, c0 + t, in);
        for (int64_t p = 0; p < kPositions; ++p) out[p] = v + (p * chunk + t) * ci;
        ops.input(in, out, ci);
        const float* grad[16];
        OutputTilePointers(dy, g, tl, c0 + t, grad);
        for (int64_t p = 0; p < kPositions; ++p) out[p] = e + (p * chunk + t) * co;
        ops.grad_output(grad, out, co);
      }
    });
    RunTasks(kPositions, [&](int64_t p) {
      const StridedPackA a(StridedMatrix{v + p * chunk * ci, 1, ci});  // v[p]^T: [ci x tiles]
      const StridedPackB b(StridedMatrix{e + p * chunk * co, co, 1});  // e[p]: [tiles x co]
      GemmCall call;
      call.m = ci;
      call.n = co;
      call.k = nc;
      call.a = &a;
      call.b = &b;
      call.c = s + p * ci * co;
      call.rs_c = co;
      call.accumulate = c0 > 0;
      GemmSerial(call);
    });
  }
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
