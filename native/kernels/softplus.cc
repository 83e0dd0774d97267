// Softplus: log(1 + exp(x)) with the tfjs cut-offs. Arguments: (x, out); see native/elementwise.h.
#include "elementwise.h"

TSGAN_UNARY_KERNEL(Softplus, kSoftplus, false);
