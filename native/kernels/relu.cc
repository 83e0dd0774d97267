// Relu: y = max(x, 0), NaN stays NaN (tfjs: Math.max(0, x)). Arguments: (x: Float32Array, out: Float32Array).
#include "elementwise.h"

TSGAN_UNARY_KERNEL(Relu, kRelu, false);
