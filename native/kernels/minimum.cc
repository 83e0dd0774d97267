// Minimum: Math.min(a, b) with broadcasting (NaN if either is NaN). Arguments: (a, b, out) or (a, aShape, b, bShape, out); see native/elementwise.h.
#include "elementwise.h"

TSGAN_BINARY_KERNEL(Minimum, kMinimum);
