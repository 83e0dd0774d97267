// Mean: mean of the reduced values (double accumulator; empty -> 0), over any axes.
// Arguments: (x: Float32Array, shape: number[], axes: number[], out: Float32Array); see native/reduce.h.
#include "reduce.h"
#include "registry.h"

namespace {
Napi::Value MeanKernel(const Napi::CallbackInfo& info) { return tsgan::RunReduce<tsgan::MeanTraits>(info, "Mean"); }
}  // namespace

TSGAN_REGISTER_KERNEL(Mean, MeanKernel);
