// Sigmoid: 1 / (1 + exp(-x)). Arguments: (x, out); see native/elementwise.h.
#include "elementwise.h"

TSGAN_UNARY_KERNEL(Sigmoid, kSigmoid, false);
