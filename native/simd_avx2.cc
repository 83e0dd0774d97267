// AVX2+FMA helpers shared by elementwise kernels (compiled with -mavx2 -mfma; call only when UseAvx2()).
#include <immintrin.h>

#include <cstdint>

namespace tsgan {
namespace avx2 {

// y[i] = max(x[i], 0)
void Relu(const float* x, float* y, int64_t n) {
  int64_t i = 0;
  const __m256 zero = _mm256_setzero_ps();
  for (; i + 8 <= n; i += 8) _mm256_storeu_ps(y + i, _mm256_max_ps(_mm256_loadu_ps(x + i), zero));
  for (; i < n; ++i) y[i] = x[i] > 0.f ? x[i] : 0.f;
}

}  // namespace avx2
}  // namespace tsgan
