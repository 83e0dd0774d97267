// Prod: product of the reduced values (double accumulator), over any axes.
// Arguments: (x: Float32Array, shape: number[], axes: number[], out: Float32Array); see native/reduce.h.
#include "reduce.h"
#include "registry.h"

namespace {
Napi::Value ProdKernel(const Napi::CallbackInfo& info) { return tsgan::RunReduce<tsgan::ProdTraits>(info, "Prod"); }
}  // namespace

TSGAN_REGISTER_KERNEL(Prod, ProdKernel);
