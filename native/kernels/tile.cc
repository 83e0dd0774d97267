// Tile: out repeats x reps[i] times along dimension i (out.shape[i] = x.shape[i] * reps[i]).
// Arguments: (x: Float32Array, shape: number[], reps: number[], out: Float32Array).
#include <algorithm>
#include <cstring>
#include <vector>

#include "common.h"
#include "elementwise.h"
#include "registry.h"

namespace tsgan {
namespace {

constexpr const char* kOp = "Tile";

Napi::Value Tile(const Napi::CallbackInfo& info) {
  if (info.Length() != 4) Fail(info.Env(), kOp, "expects (x, shape, reps, out)");
  Shape shape = ArgShape(info, 1, kOp, "shape");
  F32 x = ArgF32Shaped(info, 0, kOp, "x", shape);
  Shape reps = ArgShape(info, 2, kOp, "reps");
  F32 y = FastF32(info, 3, kOp, "out");
  const size_t r = shape.size();
  if (reps.size() != r) Fail(info.Env(), kOp, "reps " + ShapeStr(reps) + " does not match the rank of " + ShapeStr(shape));
  Shape oshape(r);
  for (size_t i = 0; i < r; ++i) oshape[i] = shape[i] * reps[i];
  const int64_t n = NumElements(oshape);
  if (y.size != n) {
    Fail(info.Env(), kOp, "out has " + std::to_string(y.size) + " elements but tiling " + ShapeStr(shape) + " by " +
                              ShapeStr(reps) + " gives " + ShapeStr(oshape));
  }
  if (n == 0) return info.Env().Undefined();
  const float* px = x.data;
  float* py = y.data;
  if (r == 0) {
    py[0] = px[0];
    return info.Env().Undefined();
  }
  std::vector<int64_t> xstride(r);
  int64_t st = 1;
  for (size_t i = r; i-- > 0;) {
    xstride[i] = st;
    st *= shape[i];
  }
  // Each output row (last dimension) is the matching x row repeated reps[r-1] times.
  const int64_t inner = shape[r - 1], oinner = oshape[r - 1];
  const int64_t rows = n / oinner;
  auto work = [&](int64_t r0, int64_t r1) {
    std::vector<int64_t> idx(r, 0);
    int64_t rem = r0;
    for (size_t d = r - 1; d-- > 0;) {
      idx[d] = rem % oshape[d];
      rem /= oshape[d];
    }
    for (int64_t row = r0; row < r1; ++row) {
      int64_t src = 0;
      for (size_t d = 0; d + 1 < r; ++d) src += (idx[d] % shape[d]) * xstride[d];
      float* out = py + row * oinner;
      if (inner == 1) {
        std::fill(out, out + oinner, px[src]);
      } else {
        for (int64_t k = 0; k < reps[r - 1]; ++k) std::memcpy(out + k * inner, px + src, sizeof(float) * inner);
      }
      for (size_t d = r - 1; d-- > 0;) {
        if (++idx[d] < oshape[d]) break;
        idx[d] = 0;
      }
    }
  };
  SplitWork(rows, oinner >= (1 << 15) ? 1 : (1 << 15) / oinner, work);
  return info.Env().Undefined();
}

}  // namespace
}  // namespace tsgan

TSGAN_REGISTER_KERNEL(Tile, tsgan::Tile);
