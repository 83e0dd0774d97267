// SplitV: x seen as [outer, dim, inner] is cut along the middle dimension into pieces of
// sizes[k] rows (summing to dim); piece k is [outer, sizes[k], inner].
// Arguments: (x: Float32Array, outer: number, inner: number, sizes: number[], outs: Float32Array[]).
#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "common.h"
#include "elementwise.h"
#include "registry.h"

namespace tsgan {
namespace {

constexpr const char* kOp = "SplitV";

Napi::Value SplitV(const Napi::CallbackInfo& info) {
  if (info.Length() != 5 || !info[4].IsArray()) Fail(info.Env(), kOp, "expects (x, outer, inner, sizes, outs)");
  F32 x = FastF32(info, 0, kOp, "x");
  const int64_t outer = ArgInt(info, 1, kOp, "outer");
  const int64_t inner = ArgInt(info, 2, kOp, "inner");
  Shape sizes = ArgShape(info, 3, kOp, "sizes");
  auto arr = info[4].As<Napi::Array>();
  if (arr.Length() != sizes.size()) {
    Fail(info.Env(), kOp, std::to_string(arr.Length()) + " outputs for " + std::to_string(sizes.size()) + " sizes");
  }
  if (outer < 0 || inner < 0 || outer > 2147483647 || inner > 2147483647) Fail(info.Env(), kOp, "outer and inner must be in [0, 2^31)");
  int64_t dim = 0;
  for (int64_t s : sizes) dim += s;
  if (x.size != outer * dim * inner) {
    Fail(info.Env(), kOp, "x has " + std::to_string(x.size) + " elements, outer x sum(sizes) x inner is " +
                              std::to_string(outer * dim * inner));
  }
  std::vector<float*> outs(sizes.size());
  std::vector<int64_t> offset(sizes.size());
  int64_t off = 0;
  for (uint32_t k = 0; k < arr.Length(); ++k) {
    Napi::Value v = arr.Get(k);
    if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_float32_array) {
      Fail(info.Env(), kOp, "output " + std::to_string(k) + " is not a Float32Array");
    }
    auto f = v.As<Napi::Float32Array>();
    if (static_cast<int64_t>(f.ElementLength()) != outer * sizes[k] * inner) {
      Fail(info.Env(), kOp, "output " + std::to_string(k) + " has " + std::to_string(f.ElementLength()) +
                                " elements, expected " + std::to_string(outer * sizes[k] * inner));
    }
    outs[k] = f.Data();
    offset[k] = off;
    off += sizes[k];
  }
  const float* px = x.data;
  const int64_t row = dim * inner;
  const int64_t grain = row >= (1 << 14) ? 1 : (1 << 14) / std::max<int64_t>(1, row);
  SplitWork(outer, grain, [&](int64_t o0, int64_t o1) {
    for (int64_t o = o0; o < o1; ++o) {
      for (size_t k = 0; k < outs.size(); ++k) {
        const int64_t w = sizes[k] * inner;
        if (w > 0) std::memcpy(outs[k] + o * w, px + o * row + offset[k] * inner, sizeof(float) * w);
      }
    }
  });
  return info.Env().Undefined();
}

}  // namespace
}  // namespace tsgan

TSGAN_REGISTER_KERNEL(SplitV, tsgan::SplitV);
