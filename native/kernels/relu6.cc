// Relu6: min(max(x, 0), 6), NaN stays NaN. Arguments: (x, out); see native/elementwise.h.
#include "elementwise.h"

TSGAN_UNARY_KERNEL(Relu6, kRelu6, false);
