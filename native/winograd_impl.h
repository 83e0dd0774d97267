// The per-tile transforms of winograd.h, included into a namespace of winograd.cc (portable build) and
// of winograd_avx2.cc (built with -mavx2 -mfma). Each runs over channels in chunks of kChunk: pass 1
// transforms the columns of the tile into a small buffer that stays in L1, pass 2 its rows; the loops
// over a chunk's channels are what the compiler vectorizes.
//
// Matrices (F(4, 3), points 0, +-1, +-2, infinity):
//   B^T = [4 0 -5 0 1 0; 0 -4 -4 1 1 0; 0 4 -4 -1 1 0; 0 -2 -1 2 1 0; 0 2 -1 -2 1 0; 0 4 0 -5 0 1]
//   G   = [1/4 0 0; -1/6 -1/6 -1/6; -1/6 1/6 -1/6; 1/24 1/12 1/6; 1/24 -1/12 1/6; 0 0 1]
//   A^T = [1 1 1 1 1 0; 0 1 -1 2 -2 0; 0 1 1 4 4 0; 0 1 -1 8 -8 1]

constexpr int64_t kChunk = 64;

// o = B^T v for one column (or row) of six channel vectors.
#define TSGAN_WINO_BT(v, o, i)                                              \
  do {                                                                      \
    const float v0 = v[0][i], v1 = v[1][i], v2 = v[2][i], v3 = v[3][i];     \
    const float v4 = v[4][i], v5 = v[5][i];                                 \
    o[0][i] = 4.f * v0 - 5.f * v2 + v4;                                     \
    o[1][i] = -4.f * (v1 + v2) + v3 + v4;                                   \
    o[2][i] = 4.f * (v1 - v2) - v3 + v4;                                    \
    o[3][i] = 2.f * (v3 - v1) - v2 + v4;                                    \
    o[4][i] = 2.f * (v1 - v3) - v2 + v4;                                    \
    o[5][i] = 4.f * v1 - 5.f * v3 + v5;                                     \
  } while (0)

void InputImpl(const float* const* in, float* const* out, int64_t len) {
  alignas(32) float zero[kChunk] = {};
  alignas(32) float tmp[36][kChunk];  // tmp[r*6 + c]: row r of B^T d, column c
  for (int64_t c0 = 0; c0 < len; c0 += kChunk) {
    const int64_t n = std::min(kChunk, len - c0);
    for (int c = 0; c < 6; ++c) {
      const float* v[6];
      float* o[6];
      for (int r = 0; r < 6; ++r) {
        v[r] = in[r * 6 + c] ? in[r * 6 + c] + c0 : zero;
        o[r] = tmp[r * 6 + c];
      }
#pragma GCC ivdep
      for (int64_t i = 0; i < n; ++i) TSGAN_WINO_BT(v, o, i);
    }
    for (int r = 0; r < 6; ++r) {
      const float* v[6];
      float* o[6];
      for (int c = 0; c < 6; ++c) {
        v[c] = tmp[r * 6 + c];
        o[c] = out[r * 6 + c] + c0;
      }
#pragma GCC ivdep
      for (int64_t i = 0; i < n; ++i) TSGAN_WINO_BT(v, o, i);
    }
  }
}

// o = A^T v: six values to four.
#define TSGAN_WINO_AT(v, o, i)                                              \
  do {                                                                      \
    const float v0 = v[0][i], v1 = v[1][i], v2 = v[2][i], v3 = v[3][i];     \
    const float v4 = v[4][i], v5 = v[5][i];                                 \
    const float s12 = v1 + v2, d12 = v1 - v2, s34 = v3 + v4, d34 = v3 - v4; \
    o[0][i] = v0 + s12 + s34;                                               \
    o[1][i] = d12 + 2.f * d34;                                              \
    o[2][i] = s12 + 4.f * s34;                                              \
    o[3][i] = d12 + 8.f * d34 + v5;                                         \
  } while (0)

void OutputImpl(const float* const* in, float* const* out, int64_t len) {
  alignas(32) float sink[kChunk];
  alignas(32) float tmp[24][kChunk];  // tmp[r*6 + c]: row r of A^T m, column c
  for (int64_t c0 = 0; c0 < len; c0 += kChunk) {
    const int64_t n = std::min(kChunk, len - c0);
    for (int c = 0; c < 6; ++c) {
      const float* v[6];
      float* o[4];
      for (int r = 0; r < 6; ++r) v[r] = in[r * 6 + c] + c0;
      for (int r = 0; r < 4; ++r) o[r] = tmp[r * 6 + c];
#pragma GCC ivdep
      for (int64_t i = 0; i < n; ++i) TSGAN_WINO_AT(v, o, i);
    }
    for (int r = 0; r < 4; ++r) {
      const float* v[6];
      float* o[4];
      for (int c = 0; c < 6; ++c) v[c] = tmp[r * 6 + c];
      for (int c = 0; c < 4; ++c) o[c] = out[r * 4 + c] ? out[r * 4 + c] + c0 : sink;
#pragma GCC ivdep
      for (int64_t i = 0; i < n; ++i) TSGAN_WINO_AT(v, o, i);
    }
  }
}

// o = G v: three values to six.
#define TSGAN_WINO_G(v, o, i)                                               \
  do {                                                                      \
    const float v0 = v[0][i], v1 = v[1][i], v2 = v[2][i];                   \
    const float a = v0 + v2, b = v0 * (1.f / 24.f) + v2 * (1.f / 6.f);      \
    o[0][i] = 0.25f * v0;                                                   \
    o[1][i] = -(a + v1) * (1.f / 6.f);                                      \
    o[2][i] = -(a - v1) * (1.f / 6.f);                                      \
    o[3][i] = b + v1 * (1.f / 12.f);                                        \
    o[4][i] = b - v1 * (1.f / 12.f);                                        \
    o[5][i] = v2;                                                           \
  } while (0)

void FilterImpl(const float* const* in, float* const* out, int64_t len) {
  alignas(32) float tmp[18][kChunk];  // tmp[r*3 + c]: row r of G g, column c
  for (int64_t c0 = 0; c0 < len; c0 += kChunk) {
    const int64_t n = std::min(kChunk, len - c0);
    for (int c = 0; c < 3; ++c) {
      const float* v[3];
      float* o[6];
      for (int r = 0; r < 3; ++r) v[r] = in[r * 3 + c] + c0;
      for (int r = 0; r < 6; ++r) o[r] = tmp[r * 3 + c];
#pragma GCC ivdep
      for (int64_t i = 0; i < n; ++i) TSGAN_WINO_G(v, o, i);
    }
    for (int r = 0; r < 6; ++r) {
      const float* v[3];
      float* o[6];
      for (int c = 0; c < 3; ++c) v[c] = tmp[r * 3 + c];
      for (int c = 0; c < 6; ++c) o[c] = out[r * 6 + c] + c0;
#pragma GCC ivdep
      for (int64_t i = 0; i < n; ++i) TSGAN_WINO_G(v, o, i);
    }
  }
}

// o = A v: four values to six.
#define TSGAN_WINO_A(v, o, i)                                               \
  do {                                                                      \
    const float v0 = v[0][i], v1 = v[1][i], v2 = v[2][i], v3 = v[3][i];     \
    const float s02 = v0 + v2, s13 = v1 + v3;                               \
    const float e = v0 + 4.f * v2, f = 2.f * v1 + 8.f * v3;                 \
    o[0][i] = v0;                                                           \
    o[1][i] = s02 + s13;                                                    \
    o[2][i] = s02 - s13;                                                    \
    o[3][i] = e + f;                                                        \
    o[4][i] = e - f;                                                        \
    o[5][i] = v3;                                                           \
  } while (0)

void GradOutputImpl(const float* const* in, float* const* out, int64_t len) {
  alignas(32) float zero[kChunk] = {};
  alignas(32) float tmp[24][kChunk];  // tmp[r*4 + c]: row r of A e, column c
  for (int64_t c0 = 0; c0 < len; c0 += kChunk) {
    const int64_t n = std::min(kChunk, len - c0);
    for (int c = 0; c < 4; ++c) {
      const float* v[4];
      float* o[6];
      for (int r = 0; r < 4; ++r) v[r] = in[r * 4 + c] ? in[r * 4 + c] + c0 : zero;
      for (int r = 0; r < 6; ++r) o[r] = tmp[r * 4 + c];
#pragma GCC ivdep
      for (int64_t i = 0; i < n; ++i) TSGAN_WINO_A(v, o, i);
    }
    for (int r = 0; r < 6; ++r) {
      const float* v[4];
      float* o[6];
      for (int c = 0; c < 4; ++c) v[c] = tmp[r * 4 + c];
      for (int c = 0; c < 6; ++c) o[c] = out[r * 6 + c] + c0;
#pragma GCC ivdep
      for (int64_t i = 0; i < n; ++i) TSGAN_WINO_A(v, o, i);
    }
  }
}

// o = G^T v: six values to three.
#define TSGAN_WINO_GT(v, o, i)                                              \
  do {                                                                      \
    const float v0 = v[0][i], v1 = v[1][i], v2 = v[2][i], v3 = v[3][i];     \
    const float v4 = v[4][i], v5 = v[5][i];                                 \
    const float s12 = v1 + v2, d12 = v2 - v1, s34 = v3 + v4, d34 = v3 - v4; \
    o[0][i] = 0.25f * v0 - s12 * (1.f / 6.f) + s34 * (1.f / 24.f);          \
    o[1][i] = d12 * (1.f / 6.f) + d34 * (1.f / 12.f);                       \
    o[2][i] = (s34 - s12) * (1.f / 6.f) + v5;                               \
  } while (0)

void GradFilterImpl(const float* const* in, float* const* out, int64_t len) {
  alignas(32) float tmp[18][kChunk];  // tmp[r*6 + c]: row r of G^T s, column c
  for (int64_t c0 = 0; c0 < len; c0 += kChunk) {
    const int64_t n = std::min(kChunk, len - c0);
    for (int c = 0; c < 6; ++c) {
      const float* v[6];
      float* o[3];
      for (int r = 0; r < 6; ++r) v[r] = in[r * 6 + c] + c0;
      for (int r = 0; r < 3; ++r) o[r] = tmp[r * 6 + c];
#pragma GCC ivdep
      for (int64_t i = 0; i < n; ++i) TSGAN_WINO_GT(v, o, i);
    }
    for (int r = 0; r < 3; ++r) {
      const float* v[6];
      float* o[3];
      for (int c = 0; c < 6; ++c) v[c] = tmp[r * 6 + c];
      for (int c = 0; c < 3; ++c) o[c] = out[r * 3 + c] + c0;
#pragma GCC ivdep
      for (int64_t i = 0; i < n; ++i) TSGAN_WINO_GT(v, o, i);
    }
  }
}

// FilterImpl and GradOutputImpl for exactly 16 channels (one GEMM sliver, the few-tiles drivers): a
// constant length, which the compiler turns into two vectors with no loop around them.
void Filter16Impl(const float* const* in, float* const* out) {
  constexpr int64_t n = 16;
  alignas(32) float tmp[18][n];
  for (int c = 0; c < 3; ++c) {
    const float* v[3];
    float* o[6];
    for (int r = 0; r < 3; ++r) v[r] = in[r * 3 + c];
    for (int r = 0; r < 6; ++r) o[r] = tmp[r * 3 + c];
#pragma GCC ivdep
    for (int64_t i = 0; i < n; ++i) TSGAN_WINO_G(v, o, i);
  }
  for (int r = 0; r < 6; ++r) {
    const float* v[3];
    float* o[6];
    for (int c = 0; c < 3; ++c) v[c] = tmp[r * 3 + c];
    for (int c = 0; c < 6; ++c) o[c] = out[r * 6 + c];
#pragma GCC ivdep
    for (int64_t i = 0; i < n; ++i) TSGAN_WINO_G(v, o, i);
  }
}

void GradOutput16Impl(const float* const* in, float* const* out) {
  constexpr int64_t n = 16;
  alignas(32) float zero[n] = {};
  alignas(32) float tmp[24][n];
  for (int c = 0; c < 4; ++c) {
    const float* v[4];
    float* o[6];
    for (int r = 0; r < 4; ++r) v[r] = in[r * 4 + c] ? in[r * 4 + c] : zero;
    for (int r = 0; r < 6; ++r) o[r] = tmp[r * 4 + c];
#pragma GCC ivdep
    for (int64_t i = 0; i < n; ++i) TSGAN_WINO_A(v, o, i);
  }
  for (int r = 0; r < 6; ++r) {
    const float* v[4];
    float* o[6];
    for (int c = 0; c < 4; ++c) v[c] = tmp[r * 4 + c];
    for (int c = 0; c < 6; ++c) o[c] = out[r * 6 + c];
#pragma GCC ivdep
    for (int64_t i = 0; i < n; ++i) TSGAN_WINO_A(v, o, i);
  }
}

#undef TSGAN_WINO_BT
#undef TSGAN_WINO_AT
#undef TSGAN_WINO_G
#undef TSGAN_WINO_A
#undef TSGAN_WINO_GT
