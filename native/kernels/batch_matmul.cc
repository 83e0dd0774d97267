// BatchMatMul: out[..., M, N] = op(a)[..., M, K] * op(b)[..., K, N], op = optional transpose of the
// last two dims, batch dims broadcast (numpy rules). Arguments: see matmul_util.h.
#include "common.h"
#include "matmul_util.h"
#include "registry.h"

namespace tsgan {
namespace {

Napi::Value BatchMatMul(const Napi::CallbackInfo& info) {
  const MatMulArgs r = ArgMatMul(info, "BatchMatMul");
  RunMatMul(r, nullptr);
  return info.Env().Undefined();
}

}  // namespace
}  // namespace tsgan

TSGAN_REGISTER_KERNEL(BatchMatMul, tsgan::BatchMatMul);
