// AVX2+FMA build of the fused Adam loop (see adam_update.h); called only when UseAvx2().
#include "adam_update.h"

namespace tsgan {
namespace avx2 {
void AdamUpdate(float* w, const float* g, float* m, float* v, int64_t n, const AdamParams& p) {
  AdamUpdateLoop(w, g, m, v, n, p);
}
}  // namespace avx2
}  // namespace tsgan
