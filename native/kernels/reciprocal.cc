// Reciprocal: 1 / x. Arguments: (x, out); see native/elementwise.h.
#include "elementwise.h"

TSGAN_UNARY_KERNEL(Reciprocal, kReciprocal, false);
