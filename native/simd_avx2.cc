// AVX2+FMA builds of the elementwise loops (compiled with -mavx2 -mfma; used only when UseAvx2()):
// the scalar op definitions of native/elementwise_loops.h vectorized by the compiler, plus
// hand-written loops for what the compiler leaves scalar: square roots (errno rules keep them
// scalar) and the exp family (Exp, Sigmoid, Tanh, Elu, Selu), which get a vector exp here.
#include <immintrin.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

#include "elementwise_types.h"

namespace tsgan {
namespace avx2 {
#include "elementwise_loops.h"

namespace {

// exp(x) for 8 floats, within about 2 ulp: x = k ln2 + r with |r| <= ln2 / 2, exp(r) by a
// degree-7 polynomial (Cephes coefficients), 2^k applied as two powers of two built in the
// exponent bits (so that k from -150 to 128 stays representable and results below FLT_MIN come out
// as denormals like the cpu backend's). Overflow gives +Inf, x below ln(2^-150) gives 0, NaN stays NaN.
inline __m256 Exp8(__m256 x) {
  const __m256 max_x = _mm256_set1_ps(88.72283905206835f);  // ln(FLT_MAX)
  const __m256 min_x = _mm256_set1_ps(-103.97207708f);     // ln(2^-150)
  __m256 xc = _mm256_min_ps(_mm256_max_ps(x, min_x), max_x);
  const __m256 k = _mm256_round_ps(_mm256_mul_ps(xc, _mm256_set1_ps(1.44269504088896341f)),
                                   _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  __m256 r = _mm256_fnmadd_ps(k, _mm256_set1_ps(0.693359375f), xc);
  r = _mm256_fnmadd_ps(k, _mm256_set1_ps(-2.12194440e-4f), r);
  __m256 p = _mm256_set1_ps(1.9875691500e-4f);
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.3981999507e-3f));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(8.3334519073e-3f));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(4.1665795894e-2f));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.6666665459e-1f));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(5.0000001201e-1f));
  __m256 y = _mm256_fmadd_ps(p, _mm256_mul_ps(r, r), _mm256_add_ps(r, _mm256_set1_ps(1.f)));
  const __m256i ki = _mm256_cvtps_epi32(k);
  const __m256i k1 = _mm256_srai_epi32(ki, 1);  // floor(k / 2)
  const __m256i k2 = _mm256_sub_epi32(ki, k1);
  const __m256i bias = _mm256_set1_epi32(127);
  y = _mm256_mul_ps(y, _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(k1, bias), 23)));
  y = _mm256_mul_ps(y, _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(k2, bias), 23)));
  y = _mm256_blendv_ps(y, _mm256_set1_ps(std::numeric_limits<float>::infinity()), _mm256_cmp_ps(x, max_x, _CMP_GT_OQ));
  y = _mm256_blendv_ps(y, _mm256_setzero_ps(), _mm256_cmp_ps(x, min_x, _CMP_LT_OQ));
  return _mm256_blendv_ps(y, x, _mm256_cmp_ps(x, x, _CMP_UNORD_Q));
}

// exp(x) - 1 without cancellation near 0: Taylor series to x^6 for |x| < 1/4.
inline __m256 Expm1_8(__m256 x) {
  const __m256 ax = _mm256_andnot_ps(_mm256_set1_ps(-0.f), x);
  __m256 p = _mm256_set1_ps(1.f / 720.f);
  p = _mm256_fmadd_ps(p, x, _mm256_set1_ps(1.f / 120.f));
  p = _mm256_fmadd_ps(p, x, _mm256_set1_ps(1.f / 24.f));
  p = _mm256_fmadd_ps(p, x, _mm256_set1_ps(1.f / 6.f));
  p = _mm256_fmadd_ps(p, x, _mm256_set1_ps(0.5f));
  const __m256 small = _mm256_fmadd_ps(_mm256_mul_ps(p, x), x, x);
  const __m256 big = _mm256_sub_ps(Exp8(x), _mm256_set1_ps(1.f));
  return _mm256_blendv_ps(big, small, _mm256_cmp_ps(ax, _mm256_set1_ps(0.25f), _CMP_LT_OQ));
}

// tanh(x): odd Taylor series to x^9 for |x| < 1/4, else sign(x) (1 - 2 / (exp(2|x|) + 1)).
inline __m256 Tanh8(__m256 x) {
  const __m256 sign = _mm256_and_ps(_mm256_set1_ps(-0.f), x);
  const __m256 ax = _mm256_andnot_ps(_mm256_set1_ps(-0.f), x);
  const __m256 one = _mm256_set1_ps(1.f);
  const __m256 e = Exp8(_mm256_add_ps(ax, ax));
  const __m256 big = _mm256_or_ps(sign, _mm256_sub_ps(one, _mm256_div_ps(_mm256_set1_ps(2.f), _mm256_add_ps(e, one))));
  const __m256 x2 = _mm256_mul_ps(x, x);
  __m256 p = _mm256_set1_ps(62.f / 2835.f);
  p = _mm256_fmadd_ps(p, x2, _mm256_set1_ps(-17.f / 315.f));
  p = _mm256_fmadd_ps(p, x2, _mm256_set1_ps(2.f / 15.f));
  p = _mm256_fmadd_ps(p, x2, _mm256_set1_ps(-1.f / 3.f));
  const __m256 small = _mm256_fmadd_ps(_mm256_mul_ps(p, x2), x, x);
  return _mm256_blendv_ps(big, small, _mm256_cmp_ps(ax, _mm256_set1_ps(0.25f), _CMP_LT_OQ));
}

// Runs f on 8 floats at a time; the tail goes through the same vector code via a padded copy,
// so every element gets the same arithmetic whatever its position.
template <class F>
inline void Vec8Loop(const float* x, float* y, int64_t n, F f) {
  int64_t i = 0;
  for (; i + 8 <= n; i += 8) _mm256_storeu_ps(y + i, f(_mm256_loadu_ps(x + i)));
  if (i < n) {
    alignas(32) float buf[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    std::memcpy(buf, x + i, sizeof(float) * (n - i));
    _mm256_store_ps(buf, f(_mm256_load_ps(buf)));
    std::memcpy(y + i, buf, sizeof(float) * (n - i));
  }
}

}  // namespace

template <>
struct UnaryLoop<SqrtF> {
  static void Run(const float* x, float* y, int64_t n, float) {
    Vec8Loop(x, y, n, [](__m256 v) { return _mm256_sqrt_ps(v); });
  }
};
template <>
struct UnaryLoop<RsqrtF> {
  static void Run(const float* x, float* y, int64_t n, float) {
    Vec8Loop(x, y, n, [](__m256 v) { return _mm256_div_ps(_mm256_set1_ps(1.f), _mm256_sqrt_ps(v)); });
  }
};
template <>
struct UnaryLoop<ExpF> {
  static void Run(const float* x, float* y, int64_t n, float) { Vec8Loop(x, y, n, [](__m256 v) { return Exp8(v); }); }
};
template <>
struct UnaryLoop<SigmoidF> {
  static void Run(const float* x, float* y, int64_t n, float) {
    Vec8Loop(x, y, n, [](__m256 v) {
      const __m256 one = _mm256_set1_ps(1.f);
      return _mm256_div_ps(one, _mm256_add_ps(one, Exp8(_mm256_sub_ps(_mm256_setzero_ps(), v))));
    });
  }
};
template <>
struct UnaryLoop<TanhF> {
  static void Run(const float* x, float* y, int64_t n, float) { Vec8Loop(x, y, n, [](__m256 v) { return Tanh8(v); }); }
};
template <>
struct UnaryLoop<EluF> {
  static void Run(const float* x, float* y, int64_t n, float) {
    Vec8Loop(x, y, n, [](__m256 v) {
      return _mm256_blendv_ps(Expm1_8(v), v, _mm256_cmp_ps(v, _mm256_setzero_ps(), _CMP_GE_OQ));
    });
  }
};
template <>
struct UnaryLoop<SeluF> {
  static void Run(const float* x, float* y, int64_t n, float) {
    Vec8Loop(x, y, n, [](__m256 v) {
      const __m256 pos = _mm256_mul_ps(v, _mm256_set1_ps(1.0507009873554804934193349852946f));
      const __m256 neg = _mm256_mul_ps(Expm1_8(v), _mm256_set1_ps(1.7580993408473768599402175208123f));
      return _mm256_blendv_ps(neg, pos, _mm256_cmp_ps(v, _mm256_setzero_ps(), _CMP_GE_OQ));
    });
  }
};

// GCC turns the scalar LeakyRelu into a branch (slow on mixed signs), so it is spelled out here.
template <>
struct UnaryLoop<LeakyReluF> {
  static void Run(const float* x, float* y, int64_t n, float alpha) {
    const __m256 a = _mm256_set1_ps(alpha);
    Vec8Loop(x, y, n, [a](__m256 v) {
      return _mm256_blendv_ps(v, _mm256_mul_ps(v, a), _mm256_cmp_ps(v, _mm256_setzero_ps(), _CMP_LT_OQ));
    });
  }
};

// Prelu (x < 0 ? alpha * x : x) has the same problem; its three operand layouts are spelled out.
inline __m256 Prelu8(__m256 x, __m256 a) {
  return _mm256_blendv_ps(x, _mm256_mul_ps(x, a), _mm256_cmp_ps(x, _mm256_setzero_ps(), _CMP_LT_OQ));
}
template <>
void LoopVV<PreluF, float>(const float* a, const float* b, void* y, int64_t n) {
  float* py = static_cast<float*>(y);
  int64_t i = 0;
  for (; i + 8 <= n; i += 8) _mm256_storeu_ps(py + i, Prelu8(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i)));
  for (; i < n; ++i) py[i] = PreluF::Apply(a[i], b[i]);
}
template <>
void LoopVS<PreluF, float>(const float* a, const float* b, void* y, int64_t n) {
  float* py = static_cast<float*>(y);
  const __m256 s = _mm256_set1_ps(b[0]);
  int64_t i = 0;
  for (; i + 8 <= n; i += 8) _mm256_storeu_ps(py + i, Prelu8(_mm256_loadu_ps(a + i), s));
  for (; i < n; ++i) py[i] = PreluF::Apply(a[i], b[0]);
}
template <>
void LoopSV<PreluF, float>(const float* a, const float* b, void* y, int64_t n) {
  float* py = static_cast<float*>(y);
  const __m256 s = _mm256_set1_ps(a[0]);
  int64_t i = 0;
  for (; i + 8 <= n; i += 8) _mm256_storeu_ps(py + i, Prelu8(s, _mm256_loadu_ps(b + i)));
  for (; i < n; ++i) py[i] = PreluF::Apply(a[0], b[i]);
}

#include "elementwise_tables.h"

// The 2-D transpose tile of native/transpose.h: 8x8 blocks through registers, scalar edges.
void TransposeTile(const uint32_t* x, int64_t ldx, uint32_t* y, int64_t ldy, int64_t i0, int64_t i1, int64_t j0, int64_t j1) {
  int64_t i = i0;
  for (; i + 8 <= i1; i += 8) {
    int64_t j = j0;
    for (; j + 8 <= j1; j += 8) {
      const float* xs = reinterpret_cast<const float*>(x + i * ldx + j);
      __m256 r[8];
      for (int k = 0; k < 8; ++k) r[k] = _mm256_loadu_ps(xs + k * ldx);
      __m256 t[8], s[8];
      for (int k = 0; k < 8; k += 2) {
        t[k] = _mm256_unpacklo_ps(r[k], r[k + 1]);      // x[k][0] x[k+1][0] x[k][1] x[k+1][1] | cols 4,5
        t[k + 1] = _mm256_unpackhi_ps(r[k], r[k + 1]);  // cols 2,3 | cols 6,7
      }
      for (int k = 0; k < 8; k += 4) {
        s[k] = _mm256_shuffle_ps(t[k], t[k + 2], _MM_SHUFFLE(1, 0, 1, 0));      // col 0 | col 4 of rows k..k+3
        s[k + 1] = _mm256_shuffle_ps(t[k], t[k + 2], _MM_SHUFFLE(3, 2, 3, 2));  // col 1 | col 5
        s[k + 2] = _mm256_shuffle_ps(t[k + 1], t[k + 3], _MM_SHUFFLE(1, 0, 1, 0));  // col 2 | col 6
        s[k + 3] = _mm256_shuffle_ps(t[k + 1], t[k + 3], _MM_SHUFFLE(3, 2, 3, 2));  // col 3 | col 7
      }
      float* ys = reinterpret_cast<float*>(y + j * ldy + i);
      for (int k = 0; k < 4; ++k) {
        _mm256_storeu_ps(ys + k * ldy, _mm256_permute2f128_ps(s[k], s[k + 4], 0x20));
        _mm256_storeu_ps(ys + (k + 4) * ldy, _mm256_permute2f128_ps(s[k], s[k + 4], 0x31));
      }
    }
    for (int64_t ii = i; ii < i + 8; ++ii) {
      for (int64_t jj = j; jj < j1; ++jj) y[jj * ldy + ii] = x[ii * ldx + jj];
    }
  }
  for (; i < i1; ++i) {
    for (int64_t j = j0; j < j1; ++j) y[j * ldy + i] = x[i * ldx + j];
  }
}
}  // namespace avx2
}  // namespace tsgan
