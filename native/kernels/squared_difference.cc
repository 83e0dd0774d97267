// SquaredDifference: (a - b)^2 with broadcasting. Arguments: (a, b, out) or (a, aShape, b, bShape, out); see native/elementwise.h.
#include "elementwise.h"

TSGAN_BINARY_KERNEL(SquaredDifference, kSquaredDifference);
