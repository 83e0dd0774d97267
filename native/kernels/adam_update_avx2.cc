// AVX2+FMA build of the fused Adam loop (see adam_update.h); called only when UseAvx2().
// Eight weights per iteration with the scalar loop's operations in its order (the divisions and the
// square root are correctly rounded in both, and the products fold into FMAs where the compiler
// folds the scalar ones), so a vector lane gives the scalar loop's result. The scalar loop alone
// does not vectorize (std::sqrt may set errno) and ran at ~10 cycles a weight: compute-bound.
#include <immintrin.h>

#include "adam_update.h"

namespace tsgan {
namespace avx2 {

void AdamUpdate(float* w, const float* g, float* m, float* v, int64_t n, const AdamParams& p) {
  const __m256 b1 = _mm256_set1_ps(p.beta1), b2 = _mm256_set1_ps(p.beta2);
  const __m256 c1 = _mm256_set1_ps(p.one_minus_beta1), c2 = _mm256_set1_ps(p.one_minus_beta2);
  const __m256 a1 = _mm256_set1_ps(p.one_minus_acc_beta1), a2 = _mm256_set1_ps(p.one_minus_acc_beta2);
  const __m256 eps = _mm256_set1_ps(p.eps), lr = _mm256_set1_ps(p.lr);
  int64_t i = 0;
  for (; i + 8 <= n; i += 8) {
    const __m256 gi = _mm256_loadu_ps(g + i);
    const __m256 mi = _mm256_fmadd_ps(_mm256_loadu_ps(m + i), b1, _mm256_mul_ps(gi, c1));   // m b1 + g c1
    const __m256 vi = _mm256_fmadd_ps(_mm256_loadu_ps(v + i), b2, _mm256_mul_ps(_mm256_mul_ps(gi, gi), c2));  // v b2 + g^2 c2
    _mm256_storeu_ps(m + i, mi);
    _mm256_storeu_ps(v + i, vi);
    const __m256 mh = _mm256_div_ps(mi, a1);
    const __m256 vh = _mm256_div_ps(vi, a2);
    const __m256 q = _mm256_div_ps(mh, _mm256_add_ps(_mm256_sqrt_ps(vh), eps));
    _mm256_storeu_ps(w + i, _mm256_fnmadd_ps(q, lr, _mm256_loadu_ps(w + i)));  // w - q lr
  }
  AdamUpdateLoop(w + i, g + i, m + i, v + i, n - i, p);
}

}  // namespace avx2
}  // namespace tsgan
