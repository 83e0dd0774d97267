// MirrorPad and its gradient (the tsgan kernel MirrorPadGrad; tfjs 4.22's own gradient drops the
// mirrored border's share, see src/nn/reflection_pad.ts).
// MirrorPad: (x: Float32Array, shape: number[], paddings: number[] (before0, after0, ...),
//             symmetric: boolean, out: Float32Array). 'reflect' mirrors without repeating the edge
//             ([a b c] by 2 -> [c b a b c b a]); 'symmetric' repeats it ([b a a b c c b]).
// MirrorPadGrad: (dy: Float32Array, shape: number[] (x's), paddings, symmetric, dx: Float32Array):
//             dx[i] = the sum of dy over every padded position that copied x[i]. Each dx row gathers
//             from its preimages, so rows are independent and split over the threads.
#include <algorithm>
#include <string>
#include <vector>

#include "common.h"
#include "elementwise.h"
#include "registry.h"
#include "thread_pool.h"

namespace tsgan {
namespace {

// For one dimension of size n padded by (before, after): the source index of every padded position.
std::vector<int64_t> SourceIndex(int64_t n, int64_t before, int64_t after, bool symmetric) {
  std::vector<int64_t> src(before + n + after);
  for (int64_t o = 0; o < static_cast<int64_t>(src.size()); ++o) {
    int64_t j = o - before;
    if (j < 0) j = symmetric ? -j - 1 : -j;
    else if (j >= n) j = symmetric ? 2 * n - 1 - j : 2 * n - 2 - j;
    src[o] = j;
  }
  return src;
}

struct Padding {
  Shape in, out;
  std::vector<std::vector<int64_t>> src;  // per dimension: padded position -> source index
  bool symmetric;

  // The source indices, built only once the buffers are known to hold `in` and `out` (a malformed
  // call with a padding near 2^31 must fail on its sizes, not allocate gigabytes first).
  void BuildSources(const Shape& pads) {
    for (size_t d = 0; d < in.size(); ++d)
      src.push_back(SourceIndex(in[d], pads[2 * d], pads[2 * d + 1], symmetric));
  }
};

Padding ReadPadding(const Napi::CallbackInfo& info, const char* op, Shape& pads) {
  if (info.Length() != 5) Fail(info.Env(), op, "expects (x, shape, paddings, symmetric, out)");
  Padding p;
  p.in = ArgShape(info, 1, op, "shape");
  pads = ArgShape(info, 2, op, "paddings");
  p.symmetric = ArgBool(info, 3, op, "symmetric");
  const size_t r = p.in.size();
  if (r == 0 || pads.size() != 2 * r)
    Fail(info.Env(), op, "paddings has " + std::to_string(pads.size()) + " numbers for shape " + ShapeStr(p.in));
  p.out.resize(r);
  for (size_t d = 0; d < r; ++d) {
    const int64_t limit = p.symmetric ? p.in[d] : p.in[d] - 1;
    if (pads[2 * d] > limit || pads[2 * d + 1] > limit)
      Fail(info.Env(), op, "padding " + ShapeStr(pads) + " is too large for shape " + ShapeStr(p.in));
    p.out[d] = pads[2 * d] + p.in[d] + pads[2 * d + 1];
  }
  return p;
}

constexpr const char* kPad = "MirrorPad";
constexpr const char* kGrad = "MirrorPadGrad";

Napi::Value MirrorPad(const Napi::CallbackInfo& info) {
  Shape pads;
  Padding p = ReadPadding(info, kPad, pads);
  F32 x = ArgF32Shaped(info, 0, kPad, "x", p.in);
  F32 y = FastF32(info, 4, kPad, "out");
  if (y.size != NumElements(p.out)) Fail(info.Env(), kPad, "out does not hold the padded shape " + ShapeStr(p.out));
  if (NumElements(p.out) == 0) return info.Env().Undefined();  // empty: nothing to copy (and no row length to divide by)
  p.BuildSources(pads);
  const size_t r = p.in.size();
  const int64_t inner = p.out[r - 1];
  const int64_t rows = NumElements(p.out) / inner;
  const std::vector<int64_t>& last = p.src[r - 1];
  const bool plain_inner = pads[2 * (r - 1)] == 0 && pads[2 * (r - 1) + 1] == 0;
  ParallelFor(rows, std::max<int64_t>(1, 4096 / inner), [&](int64_t r0, int64_t r1) {
    for (int64_t row = r0; row < r1; ++row) {
      // The source row: map every outer index of this output row.
      int64_t rem = row, srcRow = 0, mul = 1;
      for (size_t d = r - 1; d-- > 0;) {
        const int64_t o = rem % p.out[d];
        rem /= p.out[d];
        srcRow += p.src[d][o] * mul;
        mul *= p.in[d];
      }
      const float* xs = x.data + srcRow * p.in[r - 1];
      float* ys = y.data + row * inner;
      if (plain_inner) {
        std::copy(xs, xs + inner, ys);  // the last dimension (NHWC's channels) is not padded
        continue;
      }
      for (int64_t k = 0; k < inner; ++k) ys[k] = xs[last[k]];
    }
  });
  return info.Env().Undefined();
}

Napi::Value MirrorPadGrad(const Napi::CallbackInfo& info) {
  Shape pads;
  Padding p = ReadPadding(info, kGrad, pads);
  F32 dy = ArgF32Shaped(info, 0, kGrad, "dy", p.out);
  F32 dx = FastF32(info, 4, kGrad, "dx");
  if (dx.size != NumElements(p.in)) Fail(info.Env(), kGrad, "dx does not hold the shape " + ShapeStr(p.in));
  if (NumElements(p.in) == 0) return info.Env().Undefined();  // empty: no gradient to gather
  p.BuildSources(pads);
  const size_t r = p.in.size();
  // Preimages per dimension: input index -> the padded positions that copy it (at most 3).
  std::vector<std::vector<std::vector<int64_t>>> pre(r);
  for (size_t d = 0; d < r; ++d) {
    pre[d].assign(p.in[d], {});
    for (int64_t o = 0; o < p.out[d]; ++o) pre[d][p.src[d][o]].push_back(o);
  }
  const int64_t inner = p.in[r - 1];
  const int64_t outInner = p.out[r - 1];
  const int64_t rows = NumElements(p.in) / inner;
  // The last dimension not padded (NHWC's channels): a dx row is the plain sum of the dy rows that
  // copied it, added in the same order as the general loop below (so the same bits).
  const bool plain_inner = pads[2 * (r - 1)] == 0 && pads[2 * (r - 1) + 1] == 0;
  ParallelFor(rows, std::max<int64_t>(1, 2048 / inner), [&](int64_t r0, int64_t r1) {
    std::vector<int64_t> idx(r > 1 ? r - 1 : 0);
    std::vector<int64_t> outRows, next;
    for (int64_t row = r0; row < r1; ++row) {
      int64_t rem = row;
      for (size_t d = r - 1; d-- > 0;) {
        idx[d] = rem % p.in[d];
        rem /= p.in[d];
      }
      // Every combination of preimages of the outer indices: the padded rows that copied this row.
      outRows.assign(1, 0);
      for (size_t d = 0; d + 1 < r; ++d) {
        next.clear();
        for (int64_t base : outRows)
          for (int64_t o : pre[d][idx[d]]) next.push_back(base * p.out[d] + o);
        outRows.swap(next);
      }
      float* g = dx.data + row * inner;
      if (plain_inner) {
        std::fill(g, g + inner, 0.f);
        for (int64_t orow : outRows) {
          const float* dys = dy.data + orow * outInner;
          for (int64_t k = 0; k < inner; ++k) g[k] += dys[k];
        }
        continue;
      }
      for (int64_t k = 0; k < inner; ++k) {
        float s = 0.f;
        for (int64_t orow : outRows) {
          const float* dys = dy.data + orow * outInner;
          for (int64_t o : pre[r - 1][k]) s += dys[o];
        }
        g[k] = s;
      }
    }
  });
  return info.Env().Undefined();
}

}  // namespace
}  // namespace tsgan

TSGAN_REGISTER_KERNEL(MirrorPad, tsgan::MirrorPad);
TSGAN_REGISTER_KERNEL(MirrorPadGrad, tsgan::MirrorPadGrad);
