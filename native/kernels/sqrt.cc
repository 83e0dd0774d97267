// Sqrt: square root. Arguments: (x, out); see native/elementwise.h.
#include "elementwise.h"

TSGAN_UNARY_KERNEL(Sqrt, kSqrt, false);
