// The AVX2+FMA register micro-kernel of the SGEMM (see gemm.h): a 6x16 tile of C kept in 12 ymm
// registers, one broadcast of A (from six contiguous rows) and two vector loads of B per depth step. Compiled with
// -mavx2 -mfma; called only when UseAvx2().
#include <immintrin.h>

#include <cstdint>

#include "gemm.h"

namespace tsgan {
namespace avx2 {

namespace {

// One body for both layouts of A: packed (row i at a + i*kc, depth step 1) or transposed in place
// (row i at a + i, depth step lda).
template <bool kTransposed>
inline void Kernel6x16(int64_t kc, const float* a, int64_t lda, const float* b, float* c, int64_t rs_c,
                       bool accumulate) {
  const int64_t rs_a = kTransposed ? 1 : kc, ks = kTransposed ? lda : 1;
  __m256 c00 = _mm256_setzero_ps(), c01 = _mm256_setzero_ps();
  __m256 c10 = _mm256_setzero_ps(), c11 = _mm256_setzero_ps();
  __m256 c20 = _mm256_setzero_ps(), c21 = _mm256_setzero_ps();
  __m256 c30 = _mm256_setzero_ps(), c31 = _mm256_setzero_ps();
  __m256 c40 = _mm256_setzero_ps(), c41 = _mm256_setzero_ps();
  __m256 c50 = _mm256_setzero_ps(), c51 = _mm256_setzero_ps();
  const float* a0 = a;
  const float* a1 = a + rs_a;
  const float* a2 = a + 2 * rs_a;
  const float* a3 = a + 3 * rs_a;
  const float* a4 = a + 4 * rs_a;
  const float* a5 = a + 5 * rs_a;
  for (int64_t k = 0; k < kc; ++k) {
    const int64_t o = k * ks;
    const __m256 b0 = _mm256_loadu_ps(b);
    const __m256 b1 = _mm256_loadu_ps(b + 8);
    __m256 av = _mm256_broadcast_ss(a0 + o);
    c00 = _mm256_fmadd_ps(av, b0, c00);
    c01 = _mm256_fmadd_ps(av, b1, c01);
    av = _mm256_broadcast_ss(a1 + o);
    c10 = _mm256_fmadd_ps(av, b0, c10);
    c11 = _mm256_fmadd_ps(av, b1, c11);
    av = _mm256_broadcast_ss(a2 + o);
    c20 = _mm256_fmadd_ps(av, b0, c20);
    c21 = _mm256_fmadd_ps(av, b1, c21);
    av = _mm256_broadcast_ss(a3 + o);
    c30 = _mm256_fmadd_ps(av, b0, c30);
    c31 = _mm256_fmadd_ps(av, b1, c31);
    av = _mm256_broadcast_ss(a4 + o);
    c40 = _mm256_fmadd_ps(av, b0, c40);
    c41 = _mm256_fmadd_ps(av, b1, c41);
    av = _mm256_broadcast_ss(a5 + o);
    c50 = _mm256_fmadd_ps(av, b0, c50);
    c51 = _mm256_fmadd_ps(av, b1, c51);
    b += 16;
  }
  float* r0 = c;
  float* r1 = c + rs_c;
  float* r2 = c + 2 * rs_c;
  float* r3 = c + 3 * rs_c;
  float* r4 = c + 4 * rs_c;
  float* r5 = c + 5 * rs_c;
  if (accumulate) {
    c00 = _mm256_add_ps(c00, _mm256_loadu_ps(r0));
    c01 = _mm256_add_ps(c01, _mm256_loadu_ps(r0 + 8));
    c10 = _mm256_add_ps(c10, _mm256_loadu_ps(r1));
    c11 = _mm256_add_ps(c11, _mm256_loadu_ps(r1 + 8));
    c20 = _mm256_add_ps(c20, _mm256_loadu_ps(r2));
    c21 = _mm256_add_ps(c21, _mm256_loadu_ps(r2 + 8));
    c30 = _mm256_add_ps(c30, _mm256_loadu_ps(r3));
    c31 = _mm256_add_ps(c31, _mm256_loadu_ps(r3 + 8));
    c40 = _mm256_add_ps(c40, _mm256_loadu_ps(r4));
    c41 = _mm256_add_ps(c41, _mm256_loadu_ps(r4 + 8));
    c50 = _mm256_add_ps(c50, _mm256_loadu_ps(r5));
    c51 = _mm256_add_ps(c51, _mm256_loadu_ps(r5 + 8));
  }
  _mm256_storeu_ps(r0, c00);
  _mm256_storeu_ps(r0 + 8, c01);
  _mm256_storeu_ps(r1, c10);
  _mm256_storeu_ps(r1 + 8, c11);
  _mm256_storeu_ps(r2, c20);
  _mm256_storeu_ps(r2 + 8, c21);
  _mm256_storeu_ps(r3, c30);
  _mm256_storeu_ps(r3 + 8, c31);
  _mm256_storeu_ps(r4, c40);
  _mm256_storeu_ps(r4 + 8, c41);
  _mm256_storeu_ps(r5, c50);
  _mm256_storeu_ps(r5 + 8, c51);
}

}  // namespace

void GemmKernel6x16(int64_t kc, const float* a, const float* b, float* c, int64_t rs_c, bool accumulate) {
  Kernel6x16<false>(kc, a, 0, b, c, rs_c, accumulate);
}
void GemmKernel6x16T(int64_t kc, const float* a, int64_t lda, const float* b, float* c, int64_t rs_c,
                     bool accumulate) {
  Kernel6x16<true>(kc, a, lda, b, c, rs_c, accumulate);
}

}  // namespace avx2
}  // namespace tsgan
