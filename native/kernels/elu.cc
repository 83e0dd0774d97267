// Elu: x >= 0 ? x : exp(x) - 1. Arguments: (x, out); see native/elementwise.h.
#include "elementwise.h"

TSGAN_UNARY_KERNEL(Elu, kElu, false);
