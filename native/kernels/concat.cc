// Concat: inputs seen as [outer, widths[k]] (widths[k] = the input's size along the axis times the
// size of the dimensions after it) are joined row by row: out is [outer, sum(widths)].
// Arguments: (xs: Float32Array[], outer: number, widths: number[], out: Float32Array).
#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "common.h"
#include "elementwise.h"
#include "registry.h"

namespace tsgan {
namespace {

constexpr const char* kOp = "Concat";

Napi::Value Concat(const Napi::CallbackInfo& info) {
  if (info.Length() != 4 || !info[0].IsArray()) Fail(info.Env(), kOp, "expects (xs, outer, widths, out)");
  auto arr = info[0].As<Napi::Array>();
  const int64_t outer = ArgInt(info, 1, kOp, "outer");
  Shape widths = ArgShape(info, 2, kOp, "widths");
  F32 y = FastF32(info, 3, kOp, "out");
  if (arr.Length() != widths.size()) {
    Fail(info.Env(), kOp, std::to_string(arr.Length()) + " inputs for " + std::to_string(widths.size()) + " widths");
  }
  if (outer < 0 || outer > 2147483647) Fail(info.Env(), kOp, "outer must be in [0, 2^31)");
  std::vector<const float*> xs(widths.size());
  int64_t total = 0;
  for (uint32_t k = 0; k < arr.Length(); ++k) {
    Napi::Value v = arr.Get(k);
    if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_float32_array) {
      Fail(info.Env(), kOp, "input " + std::to_string(k) + " is not a Float32Array");
    }
    auto f = v.As<Napi::Float32Array>();
    if (static_cast<int64_t>(f.ElementLength()) != outer * widths[k]) {
      Fail(info.Env(), kOp, "input " + std::to_string(k) + " has " + std::to_string(f.ElementLength()) +
                                " elements, expected " + std::to_string(outer * widths[k]));
    }
    xs[k] = f.Data();
    total += widths[k];
  }
  if (y.size != outer * total) {
    Fail(info.Env(), kOp, "out has " + std::to_string(y.size) + " elements, expected " + std::to_string(outer * total));
  }
  float* py = y.data;
  const int64_t grain = total >= (1 << 14) ? 1 : (1 << 14) / std::max<int64_t>(1, total);
  SplitWork(outer, grain, [&](int64_t o0, int64_t o1) {
    for (int64_t o = o0; o < o1; ++o) {
      float* dst = py + o * total;
      for (size_t k = 0; k < xs.size(); ++k) {
        const int64_t w = widths[k];
        if (w > 0) std::memcpy(dst, xs[k] + o * w, sizeof(float) * w);
        dst += w;
      }
    }
  });
  return info.Env().Undefined();
}

}  // namespace
}  // namespace tsgan

TSGAN_REGISTER_KERNEL(Concat, tsgan::Concat);
