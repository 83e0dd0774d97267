// NotEqual: a != b with broadcasting, Uint8Array (tfjs bool) output. Arguments: (a, b, out) or (a, aShape, b, bShape, out); see native/elementwise.h.
#include "elementwise.h"

TSGAN_BINARY_KERNEL(NotEqual, kNotEqual);
