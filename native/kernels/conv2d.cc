// Conv2D (NHWC): y = conv2d(x, filter), filter [kH, kW, inC, outC], any strides, dilations and
// explicit padding (the glue turns 'same'/'valid' into pads with tfjs's computeConv2DInfo).
// Arguments: (x, filter, out: Float32Array, xShape, filterShape, geom) — see conv_util.h.
// One GEMM of im2col(x) by the filter, patches packed straight from x.
#include "common.h"
#include "conv_util.h"
#include "winograd.h"
#include "registry.h"

namespace tsgan {
namespace {

Napi::Value Conv2D(const Napi::CallbackInfo& info) {
  const char* op = "Conv2D";
  const ConvGeom g = ArgConvGeom(info, 3, op);
  const F32 x = ArgF32Count(info, 0, op, "x", g.InSize(), g);
  const F32 f = ArgF32Count(info, 1, op, "filter", g.FilterSize(), g);
  const F32 y = ArgF32Count(info, 2, op, "out", g.OutSize(), g);
  ConvForwardAny(x.data, f.data, y.data, g, nullptr);
  return info.Env().Undefined();
}

}  // namespace
}  // namespace tsgan

TSGAN_REGISTER_KERNEL(Conv2D, tsgan::Conv2D);
