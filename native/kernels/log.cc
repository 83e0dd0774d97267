// Log: natural logarithm. Arguments: (x, out); see native/elementwise.h.
#include "elementwise.h"

TSGAN_UNARY_KERNEL(Log, kLog, false);
