// The loops of gemm_skinny.h, compiled twice: into gemm_skinny.cc (portable) and
// gemm_skinny_avx2.cc (-mavx2 -mfma, where the compiler vectorizes the column loops with FMA).
// Include inside a namespace, after <algorithm> and <cstdint>; it defines RowsImpl, DotsImpl and
// ShallowImpl there.

// Columns [j0, j1) of C += A * B for row-major B: four depth steps at a time are added to each row
// of C (held in L1: at most 16 rows of a column block), so C is read and written k/4 times while B
// is read once, a contiguous run of its row per depth step.
static void RowsImpl(int64_t m, int64_t j0, int64_t j1, int64_t k, const float* a, int64_t lda, const float* b,
                     int64_t rs_b, float* c, int64_t rs_c, bool accumulate) {
  constexpr int64_t kBlock = 512;  // columns per pass: 16 rows x 2 KiB of C
  for (int64_t jb = j0; jb < j1; jb += kBlock) {
    const int64_t w = std::min(kBlock, j1 - jb);
    if (!accumulate)
      for (int64_t i = 0; i < m; ++i) std::fill(c + i * rs_c + jb, c + i * rs_c + jb + w, 0.f);
    int64_t p = 0;
    for (; p + 4 <= k; p += 4) {
      const float* __restrict b0 = b + p * rs_b + jb;
      const float* __restrict b1 = b0 + rs_b;
      const float* __restrict b2 = b1 + rs_b;
      const float* __restrict b3 = b2 + rs_b;
      for (int64_t i = 0; i < m; ++i) {
        const float* ai = a + i * lda + p;
        const float x0 = ai[0], x1 = ai[1], x2 = ai[2], x3 = ai[3];
        float* __restrict ci = c + i * rs_c + jb;
        for (int64_t j = 0; j < w; ++j) ci[j] += x0 * b0[j] + x1 * b1[j] + x2 * b2[j] + x3 * b3[j];
      }
    }
    for (; p < k; ++p) {
      const float* __restrict bp = b + p * rs_b + jb;
      for (int64_t i = 0; i < m; ++i) {
        const float x = a[i * lda + p];
        float* __restrict ci = c + i * rs_c + jb;
        for (int64_t j = 0; j < w; ++j) ci[j] += x * bp[j];
      }
    }
  }
}

// Columns [j0, j1) of C for column-major B: each column of B (contiguous along the depth) is read
// once and dotted with every row of A (A stays in cache: m x k floats). Eight partial sums per dot
// product, added at the end, so the loop vectorizes without reassociating a single sum.
static void DotsImpl(int64_t m, int64_t j0, int64_t j1, int64_t k, const float* a, int64_t lda, const float* b,
                     int64_t cs_b, float* c, int64_t rs_c, bool accumulate) {
  constexpr int64_t kLanes = 8;
  for (int64_t j = j0; j < j1; ++j) {
    const float* __restrict bj = b + j * cs_b;
    for (int64_t i0 = 0; i0 < m; i0 += 4) {
      const int64_t rows = std::min<int64_t>(4, m - i0);
      float s[4][kLanes] = {};
      const int64_t kv = k / kLanes * kLanes;
      for (int64_t r = 0; r < rows; ++r) {
        const float* __restrict ar = a + (i0 + r) * lda;
        float* __restrict sr = s[r];
        for (int64_t p = 0; p < kv; p += kLanes)
          for (int64_t l = 0; l < kLanes; ++l) sr[l] += ar[p + l] * bj[p + l];
      }
      for (int64_t r = 0; r < rows; ++r) {
        const float* ar = a + (i0 + r) * lda;
        float tail = 0.f;
        for (int64_t p = kv; p < k; ++p) tail += ar[p] * bj[p];
        const float* sr = s[r];
        const float v = ((sr[0] + sr[1]) + (sr[2] + sr[3])) + ((sr[4] + sr[5]) + (sr[6] + sr[7])) + tail;
        float* out = c + (i0 + r) * rs_c + j;
        *out = accumulate ? *out + v : v;
      }
    }
  }
}

// Rows [i0, i1) of C = A * B with a shallow depth: each row of C is the sum of k rows of B (kept in
// L1) scaled by that row's k values of A, written once.
static void ShallowImpl(int64_t i0, int64_t i1, int64_t n, int64_t k, const float* a, int64_t rs_a, int64_t cs_a,
                        const float* b, int64_t ldb, float* c, int64_t rs_c) {
  for (int64_t i = i0; i < i1; ++i) {
    float* __restrict ci = c + i * rs_c;
    const float* ai = a + i * rs_a;
    const float x0 = ai[0];
    const float* __restrict b0 = b;
    for (int64_t j = 0; j < n; ++j) ci[j] = x0 * b0[j];
    int64_t p = 1;
    for (; p + 2 <= k; p += 2) {
      const float x1 = ai[p * cs_a], x2 = ai[(p + 1) * cs_a];
      const float* __restrict b1 = b + p * ldb;
      const float* __restrict b2 = b1 + ldb;
      for (int64_t j = 0; j < n; ++j) ci[j] += x1 * b1[j] + x2 * b2[j];
    }
    for (; p < k; ++p) {
      const float x = ai[p * cs_a];
      const float* __restrict bp = b + p * ldb;
      for (int64_t j = 0; j < n; ++j) ci[j] += x * bp[j];
    }
  }
}
