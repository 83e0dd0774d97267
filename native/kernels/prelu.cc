// Prelu: x < 0 ? alpha * x : x with alpha broadcast against x. Arguments: (a, b, out) or (a, aShape, b, bShape, out); see native/elementwise.h.
#include "elementwise.h"

TSGAN_BINARY_KERNEL(Prelu, kPrelu);
