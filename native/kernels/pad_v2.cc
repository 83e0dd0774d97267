// PadV2: pads x with `constantValue`, paddings[i] = [before, after] elements on dimension i.
// Arguments: (x: Float32Array, shape: number[], paddings: number[] (before0, after0, before1, ...),
// constantValue: number, out: Float32Array).
#include <algorithm>
#include <cstring>
#include <vector>

#include "common.h"
#include "elementwise.h"
#include "registry.h"

namespace tsgan {
namespace {

constexpr const char* kOp = "PadV2";

Napi::Value PadV2(const Napi::CallbackInfo& info) {
  if (info.Length() != 5) Fail(info.Env(), kOp, "expects (x, shape, paddings, constantValue, out)");
  Shape shape = ArgShape(info, 1, kOp, "shape");
  F32 x = ArgF32Shaped(info, 0, kOp, "x", shape);
  Shape pads = ArgShape(info, 2, kOp, "paddings");  // non-negative integers
  const float value = static_cast<float>(ArgNum(info, 3, kOp, "constantValue"));
  F32 y = FastF32(info, 4, kOp, "out");
  const size_t r = shape.size();
  if (pads.size() != 2 * r) {
    Fail(info.Env(), kOp, "paddings has " + std::to_string(pads.size()) + " numbers for shape " + ShapeStr(shape) +
                              " (needs 2 per dimension)");
  }
  Shape oshape(r);
  for (size_t i = 0; i < r; ++i) oshape[i] = pads[2 * i] + shape[i] + pads[2 * i + 1];
  const int64_t n = NumElements(oshape);
  if (y.size != n) {
    Fail(info.Env(), kOp, "out has " + std::to_string(y.size) + " elements but padding " + ShapeStr(shape) + " by " +
                              ShapeStr(pads) + " gives " + ShapeStr(oshape));
  }
  float* py = y.data;
  const float* px = x.data;
  SplitWork(n, 1 << 16, [&](int64_t b, int64_t e) { std::fill(py + b, py + e, value); });
  const int64_t xn = NumElements(shape);
  if (xn == 0) return info.Env().Undefined();
  if (r == 0) {
    py[0] = px[0];
    return info.Env().Undefined();
  }
  // Copy x row by row (its last dimension) to the shifted position in out.
  std::vector<int64_t> ostride(r);
  int64_t st = 1;
  for (size_t i = r; i-- > 0;) {
    ostride[i] = st;
    st *= oshape[i];
  }
  int64_t base = 0;
  for (size_t i = 0; i < r; ++i) base += pads[2 * i] * ostride[i];
  const int64_t inner = shape[r - 1];
  const int64_t rows = xn / inner;
  auto work = [&](int64_t r0, int64_t r1) {
    std::vector<int64_t> idx(r, 0);
    int64_t off = base, rem = r0;
    for (size_t d = r - 1; d-- > 0;) {
      idx[d] = rem % shape[d];
      rem /= shape[d];
      off += idx[d] * ostride[d];
    }
    for (int64_t row = r0; row < r1; ++row) {
      std::memcpy(py + off, px + row * inner, sizeof(float) * inner);
      for (size_t d = r - 1; d-- > 0;) {
        off += ostride[d];
        if (++idx[d] < shape[d]) break;
        off -= ostride[d] * shape[d];
        idx[d] = 0;
      }
    }
  };
  SplitWork(rows, inner >= (1 << 15) ? 1 : (1 << 15) / inner, work);
  return info.Env().Undefined();
}

}  // namespace
}  // namespace tsgan

TSGAN_REGISTER_KERNEL(PadV2, tsgan::PadV2);
