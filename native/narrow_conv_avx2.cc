// narrow_conv.h's row loop with AVX2+FMA (built with -mavx2 -mfma; called only when UseAvx2()): a few
// neighbouring output pixels at a time, whose rows of x are the same run shifted by inC values, so
// each filter vector loaded serves them all.
#include <immintrin.h>

#include <algorithm>
#include <cstdint>

#include "narrow_conv.h"

namespace tsgan {
namespace narrow {
namespace {

inline float HorizontalSum(__m256 v) {
  const __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  const __m128 h = _mm_add_ps(s, _mm_movehl_ps(s, s));
  return _mm_cvtss_f32(_mm_add_ss(h, _mm_shuffle_ps(h, h, 1)));
}

// Pixels ow .. ow+P-1 of the row, all with their whole filter width inside x; y gets CO values each.
template <int CO, int P>
void Pixels(const float* img, const float* wt, float* y, const ConvGeom& g, int64_t oh, int64_t ow) {
  const int64_t ci = g.in_c, tap_row = g.k_w * ci;
  __m256 acc[P][CO];
  float tail[P][CO];
  for (int p = 0; p < P; ++p)
    for (int c = 0; c < CO; ++c) {
      acc[p][c] = _mm256_setzero_ps();
      tail[p][c] = 0.f;
    }
  const int64_t iw0 = ow - g.pad_left;
  for (int64_t kh = 0; kh < g.k_h; ++kh) {
    const int64_t ih = oh - g.pad_top + kh;
    if (ih < 0 || ih >= g.in_h) continue;
    const float* seg = img + (ih * g.in_w + iw0) * ci;  // pixel p's run starts at seg + p*ci
    const float* wk[CO];
    for (int c = 0; c < CO; ++c) wk[c] = wt + (c * g.k_h + kh) * tap_row;
    int64_t i = 0;
    for (; i + 8 <= tap_row; i += 8) {
      __m256 xv[P];
      for (int p = 0; p < P; ++p) xv[p] = _mm256_loadu_ps(seg + p * ci + i);
      for (int c = 0; c < CO; ++c) {
        const __m256 wv = _mm256_loadu_ps(wk[c] + i);
        for (int p = 0; p < P; ++p) acc[p][c] = _mm256_fmadd_ps(xv[p], wv, acc[p][c]);
      }
    }
    for (; i < tap_row; ++i)
      for (int p = 0; p < P; ++p)
        for (int c = 0; c < CO; ++c) tail[p][c] += seg[p * ci + i] * wk[c][i];
  }
  for (int p = 0; p < P; ++p)
    for (int c = 0; c < CO; ++c) y[(ow + p) * CO + c] = HorizontalSum(acc[p][c]) + tail[p][c];
}

// One pixel whose filter may hang over x's left or right edge: only the columns inside are read.
template <int CO>
void EdgePixel(const float* img, const float* wt, float* y, const ConvGeom& g, int64_t oh, int64_t ow) {
  const int64_t ci = g.in_c, tap_row = g.k_w * ci;
  const int64_t iw0 = ow - g.pad_left;
  const int64_t kw0 = std::max<int64_t>(0, -iw0), kw1 = std::min<int64_t>(g.k_w, g.in_w - iw0);
  __m256 acc[CO];
  float tail[CO];
  for (int c = 0; c < CO; ++c) {
    acc[c] = _mm256_setzero_ps();
    tail[c] = 0.f;
  }
  for (int64_t kh = 0; kh < g.k_h && kw0 < kw1; ++kh) {
    const int64_t ih = oh - g.pad_top + kh;
    if (ih < 0 || ih >= g.in_h) continue;
    const float* seg = img + (ih * g.in_w + iw0 + kw0) * ci;
    const int64_t len = (kw1 - kw0) * ci;
    int64_t i = 0;
    for (; i + 8 <= len; i += 8) {
      const __m256 xv = _mm256_loadu_ps(seg + i);
      for (int c = 0; c < CO; ++c)
        acc[c] = _mm256_fmadd_ps(xv, _mm256_loadu_ps(wt + (c * g.k_h + kh) * tap_row + kw0 * ci + i), acc[c]);
    }
    for (; i < len; ++i)
      for (int c = 0; c < CO; ++c) tail[c] += seg[i] * wt[(c * g.k_h + kh) * tap_row + kw0 * ci + i];
  }
  for (int c = 0; c < CO; ++c) y[ow * CO + c] = HorizontalSum(acc[c]) + tail[c];
}

template <int CO>
void RowT(const float* x, const float* wt, float* y, const ConvGeom& g, int64_t n, int64_t oh) {
  constexpr int P = CO <= 2 ? 4 : 3;  // pixels per group: accumulators and loads within 16 registers
  const float* img = x + n * g.in_h * g.in_w * g.in_c;
  float* yrow = y + (n * g.out_h + oh) * g.out_w * CO;
  for (int64_t ow = 0; ow < g.out_w;) {
    const int64_t iw0 = ow - g.pad_left;
    if (ow + P <= g.out_w && iw0 >= 0 && iw0 + (P - 1) + g.k_w <= g.in_w) {
      Pixels<CO, P>(img, wt, yrow, g, oh, ow);
      ow += P;
    } else {
      EdgePixel<CO>(img, wt, yrow, g, oh, ow);
      ow += 1;
    }
  }
}

void Row(const float* x, const float* wt, float* y, const ConvGeom& g, int64_t n, int64_t oh) {
  switch (g.out_c) {
    case 1: return RowT<1>(x, wt, y, g, n, oh);
    case 2: return RowT<2>(x, wt, y, g, n, oh);
    case 3: return RowT<3>(x, wt, y, g, n, oh);
    default: return RowT<4>(x, wt, y, g, n, oh);
  }
}

// The filter gradient's row: runs of 32 patch values (4 vectors) times CO channels in registers
// across the row's pixels, then 8 at a time, then one.
template <int CO>
void FilterRowT(const float* xp, int64_t padded_w, const float* dy, float* acc, const ConvGeom& g, int64_t n,
                int64_t oh) {
  const int64_t ci = g.in_c, tap_row = g.k_w * ci;
  const float* dy_row = dy + (n * g.out_h + oh) * g.out_w * CO;
  for (int64_t kh = 0; kh < g.k_h; ++kh) {
    const int64_t ih = oh - g.pad_top + kh;
    if (ih < 0 || ih >= g.in_h) continue;
    const float* base = xp + (n * g.in_h + ih) * padded_w * ci;
    float* a[CO];
    for (int c = 0; c < CO; ++c) a[c] = acc + (c * g.k_h + kh) * tap_row;
    int64_t j = 0;
    for (; j + 32 <= tap_row; j += 32) {
      __m256 s[4][CO];
      for (int b = 0; b < 4; ++b)
        for (int c = 0; c < CO; ++c) s[b][c] = _mm256_loadu_ps(a[c] + j + 8 * b);
      const float* run = base + j;
      for (int64_t ow = 0; ow < g.out_w; ++ow, run += ci) {
        __m256 xv[4];
        for (int b = 0; b < 4; ++b) xv[b] = _mm256_loadu_ps(run + 8 * b);
        for (int c = 0; c < CO; ++c) {
          const __m256 d = _mm256_broadcast_ss(dy_row + ow * CO + c);
          for (int b = 0; b < 4; ++b) s[b][c] = _mm256_fmadd_ps(xv[b], d, s[b][c]);
        }
      }
      for (int b = 0; b < 4; ++b)
        for (int c = 0; c < CO; ++c) _mm256_storeu_ps(a[c] + j + 8 * b, s[b][c]);
    }
    for (; j + 8 <= tap_row; j += 8) {
      __m256 s[CO];
      for (int c = 0; c < CO; ++c) s[c] = _mm256_loadu_ps(a[c] + j);
      const float* run = base + j;
      for (int64_t ow = 0; ow < g.out_w; ++ow, run += ci) {
        const __m256 xv = _mm256_loadu_ps(run);
        for (int c = 0; c < CO; ++c) s[c] = _mm256_fmadd_ps(xv, _mm256_broadcast_ss(dy_row + ow * CO + c), s[c]);
      }
      for (int c = 0; c < CO; ++c) _mm256_storeu_ps(a[c] + j, s[c]);
    }
    for (; j < tap_row; ++j)
      for (int64_t ow = 0; ow < g.out_w; ++ow)
        for (int c = 0; c < CO; ++c) a[c][j] += base[ow * ci + j] * dy_row[ow * CO + c];
  }
}

void FilterRow(const float* xp, int64_t padded_w, const float* dy, float* acc, const ConvGeom& g, int64_t n,
               int64_t oh) {
  switch (g.out_c) {
    case 1: return FilterRowT<1>(xp, padded_w, dy, acc, g, n, oh);
    case 2: return FilterRowT<2>(xp, padded_w, dy, acc, g, n, oh);
    case 3: return FilterRowT<3>(xp, padded_w, dy, acc, g, n, oh);
    default: return FilterRowT<4>(xp, padded_w, dy, acc, g, n, oh);
  }
}

}  // namespace

RowFn Avx2Row() { return Row; }
FilterRowFn Avx2FilterRow() { return FilterRow; }

}  // namespace narrow
}  // namespace tsgan
