// Erf: error function, same approximation as tfjs cpu. Arguments: (x, out); see native/elementwise.h.
#include "elementwise.h"

TSGAN_UNARY_KERNEL(Erf, kErf, false);
