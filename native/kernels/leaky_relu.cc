// LeakyRelu: x < 0 ? alpha * x : x. Arguments: (x, out, alpha); see native/elementwise.h.
#include "elementwise.h"

TSGAN_UNARY_KERNEL(LeakyRelu, kLeakyRelu, true);
