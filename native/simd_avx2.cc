// AVX2+FMA builds of the elementwise loops (compiled with -mavx2 -mfma; used only when UseAvx2()):
// the same scalar op definitions as the portable table, vectorized by the compiler.
#include <cmath>
#include <cstdint>
#include <limits>

#include "elementwise.h"

namespace tsgan {
namespace avx2 {
#include "elementwise_loops.h"
}  // namespace avx2
}  // namespace tsgan
