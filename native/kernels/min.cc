// Min: smallest reduced value, NaN if any is NaN, over any axes.
// Arguments: (x: Float32Array, shape: number[], axes: number[], out: Float32Array); see native/reduce.h.
#include "reduce.h"
#include "registry.h"

namespace {
Napi::Value MinKernel(const Napi::CallbackInfo& info) { return tsgan::RunReduce<tsgan::MinTraits>(info, "Min"); }
}  // namespace

TSGAN_REGISTER_KERNEL(Min, MinKernel);
