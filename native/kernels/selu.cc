// Selu: scale * x for x >= 0, scale * alpha * (exp(x) - 1) below. Arguments: (x, out); see native/elementwise.h.
#include "elementwise.h"

TSGAN_UNARY_KERNEL(Selu, kSelu, false);
