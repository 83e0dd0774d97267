// GEMMs with one tiny dimension, for the convolutions of small feature maps (a U-Net's 512-channel
// layers at 4x4, 2x2 and 1x1; a generator's first layers): there the blocked SGEMM of gemm.h spends
// its time packing a large operand that it then reads only once or twice. These routines read the
// large operand once, straight from memory, and do no packing.
//
// - SkinnyGemm: C [m x n] = A [m x k] * B [k x n] with few rows (m <= kSkinnyMaxRows). B is either
//   row-major (cs_b == 1: each depth step adds a row of B to the rows of C) or column-major
//   (rs_b == 1: each C element is a dot product of a row of A with a column of B).
// - SmallDepthGemm: C [m x n] = A [m x k] * B [k x n] with a shallow depth (k <= kSmallDepthMax), B's
//   rows contiguous: each row of C is written once, from k rows of B that stay in L1.
//
// Both run over the thread pool by columns (SkinnyGemm) or rows (SmallDepthGemm), with an AVX2+FMA
// path (gemm_skinny_avx2.cc) and a portable one. The blocked SGEMM stays the reference for both (the
// parity tests compare the convolutions that use them with tfjs's cpu kernels).
#pragma once
#include <cstdint>

namespace tsgan {

constexpr int64_t kSkinnyMaxRows = 16;  // m at most this: SkinnyGemm
constexpr int64_t kSmallDepthMax = 16;  // k at most this: SmallDepthGemm

// Whether SkinnyGemm beats the blocked SGEMM for this problem (few rows, a large other operand).
inline bool SkinnyPays(int64_t m, int64_t n, int64_t k) { return m > 0 && m <= kSkinnyMaxRows && n * k >= (1 << 16); }
// Whether SmallDepthGemm beats it (a shallow depth, a large output).
inline bool SmallDepthPays(int64_t m, int64_t n, int64_t k) {
  return k > 0 && k <= kSmallDepthMax && m * n >= (1 << 16);
}

// C[i*rs_c + j] = (or +=, accumulate) sum_k a[i*lda + k] * b[k*rs_b + j*cs_b]; rs_b or cs_b is 1.
void SkinnyGemm(int64_t m, int64_t n, int64_t k, const float* a, int64_t lda, const float* b, int64_t rs_b,
                int64_t cs_b, float* c, int64_t rs_c, bool accumulate);

// C[i*rs_c + j] = sum_k a[i*rs_a + k*cs_a] * b[k*ldb + j] (overwrites C).
void SmallDepthGemm(int64_t m, int64_t n, int64_t k, const float* a, int64_t rs_a, int64_t cs_a, const float* b,
                    int64_t ldb, float* c, int64_t rs_c);

// The per-thread pieces, one set per instruction set (gemm_skinny.cc portable, gemm_skinny_avx2.cc).
namespace skinny {
struct Ops {
  // Columns [j0, j1) of C, B row-major.
  void (*rows)(int64_t m, int64_t j0, int64_t j1, int64_t k, const float* a, int64_t lda, const float* b,
               int64_t rs_b, float* c, int64_t rs_c, bool accumulate);
  // Columns [j0, j1) of C, B column-major.
  void (*dots)(int64_t m, int64_t j0, int64_t j1, int64_t k, const float* a, int64_t lda, const float* b,
               int64_t cs_b, float* c, int64_t rs_c, bool accumulate);
  // Rows [i0, i1) of C for SmallDepthGemm.
  void (*shallow)(int64_t i0, int64_t i1, int64_t n, int64_t k, const float* a, int64_t rs_a, int64_t cs_a,
                  const float* b, int64_t ldb, float* c, int64_t rs_c);
};
const Ops& Portable();
const Ops& Avx2();  // call only when UseAvx2()
}  // namespace skinny

}  // namespace tsgan
