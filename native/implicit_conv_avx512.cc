// implicit_conv.h's register kernels (built with -mavx512f; called only when UseAvx512Gemm()): the
// SGEMM's 6x32 and 6x16 AVX-512 kernels with each of the six rows of A read through its own pointer
// (a run of x) instead of from a packed panel.
#include <immintrin.h>

#include <cstdint>

#include "implicit_conv.h"

namespace tsgan {
namespace avx512 {
namespace {

template <int S>
inline void Rows(int64_t kc, const float* const* rows, const float* b0, const float* b1, float* c, int64_t rs_c,
                 bool accumulate) {
  __m512 acc[6][S];
  for (int i = 0; i < 6; ++i)
    for (int s = 0; s < S; ++s) acc[i][s] = _mm512_setzero_ps();
  const float* r0 = rows[0];
  const float* r1 = rows[1];
  const float* r2 = rows[2];
  const float* r3 = rows[3];
  const float* r4 = rows[4];
  const float* r5 = rows[5];
  for (int64_t k = 0; k < kc; ++k) {
    __m512 bv[S];
    bv[0] = _mm512_loadu_ps(b0 + k * 16);
    if (S == 2) bv[S - 1] = _mm512_loadu_ps(b1 + k * 16);
    const float av[6] = {r0[k], r1[k], r2[k], r3[k], r4[k], r5[k]};
    for (int i = 0; i < 6; ++i) {
      const __m512 a = _mm512_set1_ps(av[i]);
      for (int s = 0; s < S; ++s) acc[i][s] = _mm512_fmadd_ps(a, bv[s], acc[i][s]);
    }
  }
  for (int i = 0; i < 6; ++i) {
    float* r = c + i * rs_c;
    for (int s = 0; s < S; ++s) {
      __m512 v = acc[i][s];
      if (accumulate) v = _mm512_add_ps(v, _mm512_loadu_ps(r + 16 * s));
      _mm512_storeu_ps(r + 16 * s, v);
    }
  }
}

}  // namespace

void RowsKernel6x32(int64_t kc, const float* const* rows, const float* b0, const float* b1, float* c, int64_t rs_c,
                    bool accumulate) {
  Rows<2>(kc, rows, b0, b1, c, rs_c, accumulate);
}

void RowsKernel6x16(int64_t kc, const float* const* rows, const float* b0, float* c, int64_t rs_c, bool accumulate) {
  Rows<1>(kc, rows, b0, b0, c, rs_c, accumulate);
}

}  // namespace avx512
}  // namespace tsgan
