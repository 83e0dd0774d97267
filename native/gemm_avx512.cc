// The AVX-512 register micro-kernels of the SGEMM (see gemm.h), for CPUs whose 512-bit FMA runs at
// full width (AMD Zen 5 here: two 512-bit FMAs per cycle, twice the floating-point rate of AVX2's
// 256-bit FMAs; measured 192 against 91 GFLOP/s on one core of the 2-core AMD EPYC). Same packed
// operands as the AVX2 kernel (MR = 6 contiguous rows of A, slivers of NR = 16 columns of B), so one
// 16-column sliver is one zmm register:
//   GemmKernel6x16  6 accumulators: the FMA latency (4 cycles) bounds it at 6 FMAs per 4 cycles;
//   GemmKernel6x32  two slivers at once, 12 accumulators: 12 FMAs per 6 broadcasts and 2 loads,
//                   enough independent chains to keep both FMA pipes busy.
// Compiled with -mavx512f -mfma; called only when UseAvx512Gemm().
#include <immintrin.h>

#include <cstdint>

#include "gemm.h"

namespace tsgan {
namespace avx512 {

namespace {

// The kernels' one body for both layouts of A: packed (row i at a + i*kc, depth step 1) or
// transposed in place (row i at a + i, depth step lda).
template <bool kTransposed>
inline void Kernel6x16(int64_t kc, const float* a, int64_t lda, const float* b, float* c, int64_t rs_c,
                       bool accumulate) {
  const int64_t rs_a = kTransposed ? 1 : kc, ks = kTransposed ? lda : 1;
  __m512 c0 = _mm512_setzero_ps(), c1 = _mm512_setzero_ps(), c2 = _mm512_setzero_ps();
  __m512 c3 = _mm512_setzero_ps(), c4 = _mm512_setzero_ps(), c5 = _mm512_setzero_ps();
  const float* a0 = a;
  const float* a1 = a + rs_a;
  const float* a2 = a + 2 * rs_a;
  const float* a3 = a + 3 * rs_a;
  const float* a4 = a + 4 * rs_a;
  const float* a5 = a + 5 * rs_a;
  for (int64_t k = 0; k < kc; ++k) {
    const int64_t o = k * ks;
    const __m512 bv = _mm512_loadu_ps(b);
    c0 = _mm512_fmadd_ps(_mm512_set1_ps(a0[o]), bv, c0);
    c1 = _mm512_fmadd_ps(_mm512_set1_ps(a1[o]), bv, c1);
    c2 = _mm512_fmadd_ps(_mm512_set1_ps(a2[o]), bv, c2);
    c3 = _mm512_fmadd_ps(_mm512_set1_ps(a3[o]), bv, c3);
    c4 = _mm512_fmadd_ps(_mm512_set1_ps(a4[o]), bv, c4);
    c5 = _mm512_fmadd_ps(_mm512_set1_ps(a5[o]), bv, c5);
    b += 16;
  }
  __m512* acc[6] = {&c0, &c1, &c2, &c3, &c4, &c5};
  for (int i = 0; i < 6; ++i) {
    float* r = c + i * rs_c;
    if (accumulate) *acc[i] = _mm512_add_ps(*acc[i], _mm512_loadu_ps(r));
    _mm512_storeu_ps(r, *acc[i]);
  }
}

template <bool kTransposed>
inline void Kernel6x32(int64_t kc, const float* a, int64_t lda, const float* b0, const float* b1, float* c,
                       int64_t rs_c, bool accumulate) {
  const int64_t rs_a = kTransposed ? 1 : kc, ks = kTransposed ? lda : 1;
  __m512 c00 = _mm512_setzero_ps(), c01 = _mm512_setzero_ps();
  __m512 c10 = _mm512_setzero_ps(), c11 = _mm512_setzero_ps();
  __m512 c20 = _mm512_setzero_ps(), c21 = _mm512_setzero_ps();
  __m512 c30 = _mm512_setzero_ps(), c31 = _mm512_setzero_ps();
  __m512 c40 = _mm512_setzero_ps(), c41 = _mm512_setzero_ps();
  __m512 c50 = _mm512_setzero_ps(), c51 = _mm512_setzero_ps();
  const float* a0 = a;
  const float* a1 = a + rs_a;
  const float* a2 = a + 2 * rs_a;
  const float* a3 = a + 3 * rs_a;
  const float* a4 = a + 4 * rs_a;
  const float* a5 = a + 5 * rs_a;
  for (int64_t k = 0; k < kc; ++k) {
    const int64_t o = k * ks;
    const __m512 v0 = _mm512_loadu_ps(b0 + k * 16);
    const __m512 v1 = _mm512_loadu_ps(b1 + k * 16);
    __m512 av = _mm512_set1_ps(a0[o]);
    c00 = _mm512_fmadd_ps(av, v0, c00);
    c01 = _mm512_fmadd_ps(av, v1, c01);
    av = _mm512_set1_ps(a1[o]);
    c10 = _mm512_fmadd_ps(av, v0, c10);
    c11 = _mm512_fmadd_ps(av, v1, c11);
    av = _mm512_set1_ps(a2[o]);
    c20 = _mm512_fmadd_ps(av, v0, c20);
    c21 = _mm512_fmadd_ps(av, v1, c21);
    av = _mm512_set1_ps(a3[o]);
    c30 = _mm512_fmadd_ps(av, v0, c30);
    c31 = _mm512_fmadd_ps(av, v1, c31);
    av = _mm512_set1_ps(a4[o]);
    c40 = _mm512_fmadd_ps(av, v0, c40);
    c41 = _mm512_fmadd_ps(av, v1, c41);
    av = _mm512_set1_ps(a5[o]);
    c50 = _mm512_fmadd_ps(av, v0, c50);
    c51 = _mm512_fmadd_ps(av, v1, c51);
  }
  __m512* acc[6][2] = {{&c00, &c01}, {&c10, &c11}, {&c20, &c21}, {&c30, &c31}, {&c40, &c41}, {&c50, &c51}};
  for (int i = 0; i < 6; ++i) {
    float* r = c + i * rs_c;
    if (accumulate) {
      *acc[i][0] = _mm512_add_ps(*acc[i][0], _mm512_loadu_ps(r));
      *acc[i][1] = _mm512_add_ps(*acc[i][1], _mm512_loadu_ps(r + 16));
    }
    _mm512_storeu_ps(r, *acc[i][0]);
    _mm512_storeu_ps(r + 16, *acc[i][1]);
  }
}

}  // namespace

void GemmKernel6x16(int64_t kc, const float* a, const float* b, float* c, int64_t rs_c, bool accumulate) {
  Kernel6x16<false>(kc, a, 0, b, c, rs_c, accumulate);
}
void GemmKernel6x16T(int64_t kc, const float* a, int64_t lda, const float* b, float* c, int64_t rs_c,
                     bool accumulate) {
  Kernel6x16<true>(kc, a, lda, b, c, rs_c, accumulate);
}
void GemmKernel6x32(int64_t kc, const float* a, const float* b0, const float* b1, float* c, int64_t rs_c,
                    bool accumulate) {
  Kernel6x32<false>(kc, a, 0, b0, b1, c, rs_c, accumulate);
}
void GemmKernel6x32T(int64_t kc, const float* a, int64_t lda, const float* b0, const float* b1, float* c,
                     int64_t rs_c, bool accumulate) {
  Kernel6x32<true>(kc, a, lda, b0, b1, c, rs_c, accumulate);
}

}  // namespace avx512
}  // namespace tsgan
