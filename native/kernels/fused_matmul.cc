// _FusedMatMul: out = activation(op(a) * op(b) + bias), what tfjs-layers' dense layer runs.
// Arguments: the seven of BatchMatMul (matmul_util.h), then bias: Float32Array | null (N values,
// one per output column, or 1), activation: string (linear, relu, relu6, leakyrelu, prelu, elu,
// sigmoid, tanh), leakyreluAlpha: number, preluWeights: Float32Array | null (N values or 1).
#include "common.h"
#include "matmul_util.h"
#include "registry.h"

namespace tsgan {
namespace {

const float* ArgColumnValues(const Napi::CallbackInfo& info, size_t i, const char* name, int64_t n, bool* scalar,
                             const MatMulArgs& r) {
  if (i >= info.Length() || info[i].IsNull() || info[i].IsUndefined()) return nullptr;
  const F32 v = ArgF32(info, i, "_FusedMatMul", name);
  if (v.size != n && v.size != 1) {
    Fail(info.Env(), "_FusedMatMul", std::string("'") + name + "' has " + std::to_string(v.size) +
                                         " values, expected " + std::to_string(n) + " (one per column) or 1" + r.desc);
  }
  *scalar = v.size == 1;
  return v.data;
}

Napi::Value FusedMatMul(const Napi::CallbackInfo& info) {
  const char* op = "_FusedMatMul";
  const MatMulArgs r = ArgMatMul(info, op);
  GemmEpilogue ep;
  ep.bias = ArgColumnValues(info, 7, "bias", r.n, &ep.bias_scalar, r);
  const std::string act = ArgStr(info, 8, op, "activation");
  if (!ParseActivation(act.c_str(), &ep.act)) Fail(info.Env(), op, "unknown activation '" + act + "'" + r.desc);
  ep.alpha = static_cast<float>(ArgNum(info, 9, op, "leakyreluAlpha"));
  ep.prelu = ArgColumnValues(info, 10, "preluWeights", r.n, &ep.prelu_scalar, r);
  if (ep.act == Activation::kPrelu && ep.prelu == nullptr) Fail(info.Env(), op, "activation 'prelu' needs preluWeights" + r.desc);
  RunMatMul(r, &ep);
  return info.Env().Undefined();
}

}  // namespace
}  // namespace tsgan

TSGAN_REGISTER_KERNEL(_FusedMatMul, tsgan::FusedMatMul);
