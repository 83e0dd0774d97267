// FusedConv2D (NHWC): y = activation(conv2d(x, filter) + bias), what tfjs-layers' conv2d layer runs.
// Arguments: (x, filter, out: Float32Array, xShape, filterShape, geom, bias: Float32Array | null,
// activation: string, leakyreluAlpha: number, preluWeights: Float32Array | null).
// bias and preluWeights hold outC values (one per output channel) or a single value; activation is
// one of linear, relu, relu6, leakyrelu, prelu, elu, sigmoid, tanh. The bias and activation run on
// each output tile right after the GEMM finishes it, while it is still in cache.
#include "common.h"
#include "conv_util.h"
#include "winograd.h"
#include "registry.h"

namespace tsgan {
namespace {

// Reads an optional per-channel Float32Array (null/undefined allowed) holding outC values or one.
const float* ArgChannelValues(const Napi::CallbackInfo& info, size_t i, const char* op, const char* name,
                              int64_t channels, bool* scalar, const ConvGeom& g) {
  if (i >= info.Length() || info[i].IsNull() || info[i].IsUndefined()) return nullptr;
  const F32 v = ArgF32(info, i, op, name);
  if (v.size != channels && v.size != 1) {
    Fail(info.Env(), op, std::string("'") + name + "' has " + std::to_string(v.size) + " values, expected " +
                             std::to_string(channels) + " (one per output channel) or 1 for " + g.Describe());
  }
  *scalar = v.size == 1;
  return v.data;
}

Napi::Value FusedConv2D(const Napi::CallbackInfo& info) {
  const char* op = "FusedConv2D";
  const ConvGeom g = ArgConvGeom(info, 3, op);
  const F32 x = ArgF32Count(info, 0, op, "x", g.InSize(), g);
  const F32 f = ArgF32Count(info, 1, op, "filter", g.FilterSize(), g);
  const F32 y = ArgF32Count(info, 2, op, "out", g.OutSize(), g);
  GemmEpilogue ep;
  ep.bias = ArgChannelValues(info, 6, op, "bias", g.out_c, &ep.bias_scalar, g);
  const std::string act = ArgStr(info, 7, op, "activation");
  if (!ParseActivation(act.c_str(), &ep.act)) Fail(info.Env(), op, "unknown activation '" + act + "'");
  ep.alpha = static_cast<float>(ArgNum(info, 8, op, "leakyreluAlpha"));
  ep.prelu = ArgChannelValues(info, 9, op, "preluWeights", g.out_c, &ep.prelu_scalar, g);
  if (ep.act == Activation::kPrelu && ep.prelu == nullptr) Fail(info.Env(), op, "activation 'prelu' needs preluWeights");
  ConvForwardAny(x.data, f.data, y.data, g, &ep);
  return info.Env().Undefined();
}

}  // namespace
}  // namespace tsgan

TSGAN_REGISTER_KERNEL(FusedConv2D, tsgan::FusedConv2D);
