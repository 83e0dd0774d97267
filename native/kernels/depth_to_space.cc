// DepthToSpace (pixel shuffle, NHWC, TensorFlow's channel order): x [N, H, W, C] with block size b
// -> y [N, H*b, W*b, C/(b*b)], y[n, h*b+i, w*b+j, c] = x[n, h, w, (i*b + j)*C/(b*b) + c].
// Arguments: (x: Float32Array, shape: number[] (x's, rank 4), blockSize: number, out: Float32Array).
// Each output row (n, h*b+i) copies W*b runs of C/(b*b) contiguous floats; rows are split over threads.
// Its gradient is the inverse permutation, SpaceToDepth (native/kernels/space_to_depth.cc).
#include <algorithm>
#include <cstring>
#include <string>

#include "common.h"
#include "elementwise.h"
#include "registry.h"
#include "thread_pool.h"

namespace tsgan {
namespace {

constexpr const char* kOp = "DepthToSpace";

Napi::Value DepthToSpace(const Napi::CallbackInfo& info) {
  if (info.Length() != 4) Fail(info.Env(), kOp, "expects (x, shape, blockSize, out)");
  Shape s = ArgShape(info, 1, kOp, "shape");
  F32 x = ArgF32Shaped(info, 0, kOp, "x", s);
  const int64_t b = ArgInt(info, 2, kOp, "blockSize");
  F32 y = FastF32(info, 3, kOp, "out");
  if (s.size() != 4) Fail(info.Env(), kOp, "x must be [N, H, W, C], got " + ShapeStr(s));
  if (b < 2 || s[3] % (b * b) != 0)
    Fail(info.Env(), kOp, "blockSize " + std::to_string(b) + " must be >= 2 and divide C into b*b parts, x " + ShapeStr(s));
  if (y.size != x.size) Fail(info.Env(), kOp, "out must hold " + std::to_string(x.size) + " elements");
  const int64_t n = s[0], h = s[1], w = s[2], c = s[3], co = c / (b * b);
  const int64_t rows = n * h * b;  // output rows
  if (x.size == 0) return info.Env().Undefined();
  ParallelFor(rows, std::max<int64_t>(1, 8192 / (w * c)), [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) {
      const int64_t nh = r / b, i = r % b;  // nh = n*H + h
      const float* src = x.data + nh * w * c + i * b * co;
      float* dst = y.data + r * w * b * co;
      for (int64_t ww = 0; ww < w; ++ww)
        std::memcpy(dst + ww * b * co, src + ww * c, sizeof(float) * b * co);  // j = 0..b-1 are adjacent in both
    }
  });
  return info.Env().Undefined();
}

}  // namespace
}  // namespace tsgan

TSGAN_REGISTER_KERNEL(DepthToSpace, tsgan::DepthToSpace);
