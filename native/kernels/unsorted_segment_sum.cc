// UnsortedSegmentSum: out[s, j] = sum of x[i, j] over the rows i with segmentIds[i] == s, for
// s in [0, numSegments); rows whose id is outside that range are dropped (as tfjs cpu does). x is
// seen as [rows, inner] with rows = segmentIds.length. Rows are added in ascending order; the
// threads split the columns, so no two threads write the same output element.
// Arguments: (x: Float32Array, segmentIds: Int32Array, numSegments: number, out: Float32Array of numSegments * inner).
#include <algorithm>
#include <cstring>
#include <string>

#include "common.h"
#include "elementwise.h"
#include "registry.h"

namespace tsgan {
namespace {

constexpr const char* kOp = "UnsortedSegmentSum";

Napi::Value UnsortedSegmentSum(const Napi::CallbackInfo& info) {
  if (info.Length() != 4) Fail(info.Env(), kOp, "expects (x, segmentIds, numSegments, out)");
  F32 x = FastF32(info, 0, kOp, "x");
  Typed ids = ArgTyped(info, 1, kOp, "segmentIds", napi_int32_array);
  const int64_t segs = ArgInt(info, 2, kOp, "numSegments");
  F32 y = FastF32(info, 3, kOp, "out");
  const int64_t rows = ids.size;
  if (segs < 0 || segs > 2147483647) Fail(info.Env(), kOp, "numSegments must be in [0, 2^31), got " + std::to_string(segs));
  if (rows == 0) {
    if (y.size != 0 && x.size != 0) Fail(info.Env(), kOp, "no segment ids for a non-empty x");
    std::memset(y.data, 0, sizeof(float) * y.size);
    return info.Env().Undefined();
  }
  if (x.size % rows != 0) {
    Fail(info.Env(), kOp, "x has " + std::to_string(x.size) + " elements, not a multiple of the " +
                              std::to_string(rows) + " segment ids");
  }
  const int64_t inner = x.size / rows;
  if (y.size != segs * inner) {
    Fail(info.Env(), kOp, "out has " + std::to_string(y.size) + " elements, numSegments x inner is " +
                              std::to_string(segs * inner));
  }
  const int32_t* pid = static_cast<const int32_t*>(ids.data);
  const float* px = x.data;
  float* py = y.data;
  std::memset(py, 0, sizeof(float) * y.size);
  if (inner == 0 || segs == 0) return info.Env().Undefined();
  // Column blocks of at least 256 floats per task (one row of a block stays in L1 while it is added).
  const int64_t work_per_col = rows;
  const int64_t grain = std::max<int64_t>(256, (1 << 15) / std::max<int64_t>(1, work_per_col));
  SplitWork(inner, grain, [&](int64_t c0, int64_t c1) {
    for (int64_t r = 0; r < rows; ++r) {
      const int64_t s = pid[r];
      if (s < 0 || s >= segs) continue;
      const float* __restrict xr = px + r * inner;
      float* __restrict yr = py + s * inner;
      for (int64_t c = c0; c < c1; ++c) yr[c] += xr[c];
    }
  });
  return info.Env().Undefined();
}

}  // namespace
}  // namespace tsgan

TSGAN_REGISTER_KERNEL(UnsortedSegmentSum, tsgan::UnsortedSegmentSum);
