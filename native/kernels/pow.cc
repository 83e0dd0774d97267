// Pow: Math.pow(a, b) with broadcasting (JavaScript special cases). Arguments: (a, b, out) or (a, aShape, b, bShape, out); see native/elementwise.h.
#include "elementwise.h"

TSGAN_BINARY_KERNEL(Pow, kPow);
