// Rsqrt: 1 / sqrt(x). Arguments: (x, out); see native/elementwise.h.
#include "elementwise.h"

TSGAN_UNARY_KERNEL(Rsqrt, kRsqrt, false);
