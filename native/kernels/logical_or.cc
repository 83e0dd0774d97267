// LogicalOr: out[i] = a[i] || b[i] on tfjs 'bool' tensors (Uint8Array storage), for operands of
// one length or one of them a single value (the glue sends other broadcasts to the cpu kernel).
// Arguments: (a: Uint8Array, b: Uint8Array, out: Uint8Array).
#include <string>

#include "common.h"
#include "elementwise.h"
#include "registry.h"

namespace tsgan {
namespace {

constexpr const char* kOp = "LogicalOr";

Napi::Value LogicalOr(const Napi::CallbackInfo& info) {
  if (info.Length() != 3) Fail(info.Env(), kOp, "expects (a, b, out)");
  Typed a = ArgTyped(info, 0, kOp, "a", napi_uint8_array);
  Typed b = ArgTyped(info, 1, kOp, "b", napi_uint8_array);
  Typed y = ArgTyped(info, 2, kOp, "out", napi_uint8_array);
  if ((a.size != y.size && a.size != 1) || (b.size != y.size && b.size != 1)) {
    Fail(info.Env(), kOp, "a, b and out must have one size (or a or b a single value), got " + std::to_string(a.size) +
                              ", " + std::to_string(b.size) + " and " + std::to_string(y.size));
  }
  const uint8_t* pa = static_cast<const uint8_t*>(a.data);
  const uint8_t* pb = static_cast<const uint8_t*>(b.data);
  uint8_t* py = static_cast<uint8_t*>(y.data);
  const int64_t sa = a.size == 1 && y.size != 1 ? 0 : 1;
  const int64_t sb = b.size == 1 && y.size != 1 ? 0 : 1;
  SplitWork(y.size, 1 << 16, [&](int64_t s, int64_t e) {
    for (int64_t i = s; i < e; ++i) py[i] = static_cast<uint8_t>((pa[i * sa] != 0) || (pb[i * sb] != 0));
  });
  return info.Env().Undefined();
}

}  // namespace
}  // namespace tsgan

TSGAN_REGISTER_KERNEL(LogicalOr, tsgan::LogicalOr);
