// Softmax over the last dimension: y[r, k] = exp(x[r, k] - max_r) / sum_j exp(x[r, j] - max_r),
// per row r of `cols` values; the exponentials and the row sum in double, like tfjs cpu's
// max-shifted form (a row of -inf stays NaN there and here).
// Arguments: (x: Float32Array, cols: number, out: Float32Array).
#include <cmath>
#include <string>

#include "common.h"
#include "registry.h"
#include "thread_pool.h"

namespace tsgan {
namespace {

Napi::Value Softmax(const Napi::CallbackInfo& info) {
  const char* op = "Softmax";
  if (info.Length() != 3) Fail(info.Env(), op, "expects (x, cols, out)");
  F32 x = ArgF32(info, 0, op, "x");
  const int64_t cols = ArgInt(info, 1, op, "cols");
  F32 y = ArgF32(info, 2, op, "out");
  if (cols <= 0) Fail(info.Env(), op, "cols must be positive, got " + std::to_string(cols));
  if (x.size % cols != 0) Fail(info.Env(), op, "x has " + std::to_string(x.size) + " elements, not rows of " + std::to_string(cols));
  if (y.size != x.size) Fail(info.Env(), op, "out has " + std::to_string(y.size) + " elements, x has " + std::to_string(x.size));
  const int64_t rows = x.size / cols;
  const float* px = x.data;
  float* py = y.data;
  const int64_t grain = cols >= 4096 ? 1 : 4096 / cols;
  ParallelFor(rows, grain, [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) {
      const float* xr = px + r * cols;
      float* yr = py + r * cols;
      float m = xr[0];
      for (int64_t k = 1; k < cols; ++k) m = (xr[k] > m || std::isnan(xr[k])) ? xr[k] : m;
      double s = 0.0;
      for (int64_t k = 0; k < cols; ++k) {
        const double e = std::exp(static_cast<double>(xr[k]) - m);
        yr[k] = static_cast<float>(e);
        s += e;
      }
      const double inv = 1.0 / s;
      for (int64_t k = 0; k < cols; ++k) yr[k] = static_cast<float>(yr[k] * inv);
    }
  });
  return info.Env().Undefined();
}

}  // namespace
}  // namespace tsgan

TSGAN_REGISTER_KERNEL(Softmax, tsgan::Softmax);
