// Abs: |x|. Arguments: (x, out); see native/elementwise.h.
#include "elementwise.h"

TSGAN_UNARY_KERNEL(Abs, kAbs, false);
