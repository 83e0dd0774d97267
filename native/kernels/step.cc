// Step: x > 0 ? 1 : alpha, NaN stays NaN. Arguments: (x, out, alpha); see native/elementwise.h.
#include "elementwise.h"

TSGAN_UNARY_KERNEL(Step, kStep, true);
