// LogicalNot: out[i] = x[i] ? 0 : 1 on tfjs 'bool' tensors (Uint8Array storage).
// Arguments: (x: Uint8Array, out: Uint8Array of the same length).
#include <string>

#include "common.h"
#include "elementwise.h"
#include "registry.h"

namespace tsgan {
namespace {

Napi::Value LogicalNot(const Napi::CallbackInfo& info) {
  if (info.Length() != 2) Fail(info.Env(), "LogicalNot", "expects (x, out)");
  Typed x = ArgTyped(info, 0, "LogicalNot", "x", napi_uint8_array);
  Typed y = ArgTyped(info, 1, "LogicalNot", "out", napi_uint8_array);
  if (x.size != y.size) {
    Fail(info.Env(), "LogicalNot", "x has " + std::to_string(x.size) + " elements, out has " + std::to_string(y.size));
  }
  const uint8_t* px = static_cast<const uint8_t*>(x.data);
  uint8_t* py = static_cast<uint8_t*>(y.data);
  SplitWork(y.size, 1 << 16, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) py[i] = static_cast<uint8_t>(px[i] == 0);
  });
  return info.Env().Undefined();
}

}  // namespace
}  // namespace tsgan

TSGAN_REGISTER_KERNEL(LogicalNot, tsgan::LogicalNot);
