// Sum: sum of the reduced values (double accumulator), over any axes.
// Arguments: (x: Float32Array, shape: number[], axes: number[], out: Float32Array); see native/reduce.h.
#include "reduce.h"
#include "registry.h"

namespace {
Napi::Value SumKernel(const Napi::CallbackInfo& info) { return tsgan::RunReduce<tsgan::SumTraits>(info, "Sum"); }
}  // namespace

TSGAN_REGISTER_KERNEL(Sum, SumKernel);
