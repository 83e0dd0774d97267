// GatherV2: x seen as [batch, outer, dim, slice], indices as [batch, n] (int32, each in [0, dim));
// out[b, o, i, :] = x[b, o, indices[b, i], :]. The glue computes the four sizes from the axis and
// batchDims (tfjs's collectGatherOpShapeInfo). Every index is checked before anything is written.
// Arguments: (x: Float32Array, indices: Int32Array, batch, outer, dim, slice: number, out: Float32Array).
#include <algorithm>
#include <cstring>
#include <string>

#include "common.h"
#include "elementwise.h"
#include "registry.h"

namespace tsgan {
namespace {

constexpr const char* kOp = "GatherV2";

Napi::Value GatherV2(const Napi::CallbackInfo& info) {
  if (info.Length() != 7) Fail(info.Env(), kOp, "expects (x, indices, batch, outer, dim, slice, out)");
  F32 x = FastF32(info, 0, kOp, "x");
  Typed idx = ArgTyped(info, 1, kOp, "indices", napi_int32_array);
  const int64_t batch = ArgInt(info, 2, kOp, "batch");
  const int64_t outer = ArgInt(info, 3, kOp, "outer");
  const int64_t dim = ArgInt(info, 4, kOp, "dim");
  const int64_t slice = ArgInt(info, 5, kOp, "slice");
  F32 y = FastF32(info, 6, kOp, "out");
  constexpr int64_t kMax = 2147483647;
  if (batch < 0 || outer < 0 || dim < 0 || slice < 0 || batch > kMax || outer > kMax || dim > kMax || slice > kMax) {
    Fail(info.Env(), kOp, "batch, outer, dim and slice must be in [0, 2^31)");
  }
  if (x.size != batch * outer * dim * slice) {
    Fail(info.Env(), kOp, "x has " + std::to_string(x.size) + " elements, batch x outer x dim x slice is " +
                              std::to_string(batch * outer * dim * slice));
  }
  if (batch == 0 ? idx.size != 0 : idx.size % batch != 0) {
    Fail(info.Env(), kOp, std::to_string(idx.size) + " indices do not split into " + std::to_string(batch) + " batches");
  }
  const int64_t n = batch == 0 ? 0 : idx.size / batch;
  if (y.size != batch * outer * n * slice) {
    Fail(info.Env(), kOp, "out has " + std::to_string(y.size) + " elements, expected " +
                              std::to_string(batch * outer * n * slice));
  }
  const int32_t* pi = static_cast<const int32_t*>(idx.data);
  for (int64_t k = 0; k < idx.size; ++k) {
    if (pi[k] < 0 || pi[k] >= dim) {
      Fail(info.Env(), kOp, "the index value " + std::to_string(pi[k]) + " is not in [0, " + std::to_string(dim - 1) + "]");
    }
  }
  const float* px = x.data;
  float* py = y.data;
  const int64_t rows = batch * outer * n;  // one copied slice per output row
  const int64_t grain = slice >= (1 << 14) ? 1 : (1 << 14) / std::max<int64_t>(1, slice);
  SplitWork(rows, grain, [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) {
      const int64_t i = r % n;
      const int64_t bo = r / n;  // b * outer + o
      const int64_t b = bo / std::max<int64_t>(1, outer);
      const int64_t src = (bo * dim + pi[b * n + i]) * slice;
      std::memcpy(py + r * slice, px + src, sizeof(float) * slice);
    }
  });
  return info.Env().Undefined();
}

}  // namespace
}  // namespace tsgan

TSGAN_REGISTER_KERNEL(GatherV2, tsgan::GatherV2);
