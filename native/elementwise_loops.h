// The elementwise ops themselves (scalar definitions that follow tfjs cpu's semantics, NaN and
// Inf included) and the contiguous loops built from them; native/elementwise_tables.h turns them
// into the loop tables. No include guard on purpose: this file is included once inside namespace
// tsgan::portable (native/elementwise.cc) and once inside namespace tsgan::avx2
// (native/simd_avx2.cc, compiled with -mavx2 -mfma), so the compiler vectorizes the same loops
// twice and the two copies never share a symbol. Ops are written branch-free where that lets the
// compiler vectorize them.
//
// Requires <cmath>, <cstdint>, <limits> and native/elementwise_types.h before the namespace opens.

// ---- binary ops ------------------------------------------------------------------------------
struct AddF { static inline float Apply(float a, float b) { return a + b; } };
struct SubF { static inline float Apply(float a, float b) { return a - b; } };
struct MulF { static inline float Apply(float a, float b) { return a * b; } };
struct DivF { static inline float Apply(float a, float b) { return a / b; } };
// Math.max / Math.min: NaN if either side is NaN.
struct MaximumF { static inline float Apply(float a, float b) { return (a > b || a != a) ? a : b; } };
struct MinimumF { static inline float Apply(float a, float b) { return (a < b || a != a) ? a : b; } };
struct SquaredDifferenceF {
  static inline float Apply(float a, float b) {
    const float d = a - b;
    return d * d;
  }
};
// Math.pow: unlike C's pow, pow(+-1, +-Inf) and pow(1, NaN) are NaN in JavaScript.
struct PowF {
  static inline float Apply(float a, float b) {
    if (b != b) return b;
    if ((a == 1.f || a == -1.f) && std::isinf(b)) return std::numeric_limits<float>::quiet_NaN();
    return static_cast<float>(std::pow(static_cast<double>(a), static_cast<double>(b)));
  }
};
// Prelu(x, alpha) = x < 0 ? alpha * x : x
// Written as a select of constants times x so that the compiler vectorizes it (x * 1 == x).
struct PreluF { static inline float Apply(float x, float a) { return (x < 0.f ? a : 1.f) * x; } };
struct GreaterF { static inline uint8_t Apply(float a, float b) { return a > b; } };
struct GreaterEqualF { static inline uint8_t Apply(float a, float b) { return a >= b; } };
struct LessF { static inline uint8_t Apply(float a, float b) { return a < b; } };
struct LessEqualF { static inline uint8_t Apply(float a, float b) { return a <= b; } };
struct EqualF { static inline uint8_t Apply(float a, float b) { return a == b; } };
struct NotEqualF { static inline uint8_t Apply(float a, float b) { return a != b; } };

template <class Op, class Out>
void LoopVV(const float* a, const float* b, void* y, int64_t n) {
  const float* __restrict pa = a;
  const float* __restrict pb = b;
  Out* __restrict py = static_cast<Out*>(y);
  for (int64_t i = 0; i < n; ++i) py[i] = Op::Apply(pa[i], pb[i]);
}
template <class Op, class Out>
void LoopSV(const float* a, const float* b, void* y, int64_t n) {
  const float s = a[0];
  const float* __restrict pb = b;
  Out* __restrict py = static_cast<Out*>(y);
  for (int64_t i = 0; i < n; ++i) py[i] = Op::Apply(s, pb[i]);
}
template <class Op, class Out>
void LoopVS(const float* a, const float* b, void* y, int64_t n) {
  const float s = b[0];
  const float* __restrict pa = a;
  Out* __restrict py = static_cast<Out*>(y);
  for (int64_t i = 0; i < n; ++i) py[i] = Op::Apply(pa[i], s);
}


// ---- unary ops -------------------------------------------------------------------------------
// Relu = Math.max(0, x), Relu6 = Math.min(Math.max(0, x), 6): NaN stays NaN.
struct ReluF { static inline float Apply(float x, float) { return x < 0.f ? 0.f : x; } };
struct Relu6F { static inline float Apply(float x, float) { return x < 0.f ? 0.f : (x > 6.f ? 6.f : x); } };
struct LeakyReluF { static inline float Apply(float x, float alpha) { return (x < 0.f ? alpha : 1.f) * x; } };
struct EluF { static inline float Apply(float x, float) { return x >= 0.f ? x : std::expm1(x); } };
struct SeluF {
  static inline float Apply(float x, float) {
    constexpr double kScale = 1.0507009873554804934193349852946;
    constexpr double kScaleAlpha = 1.7580993408473768599402175208123;
    return x >= 0.f ? static_cast<float>(kScale * x) : static_cast<float>(kScaleAlpha * std::expm1(static_cast<double>(x)));
  }
};
struct SigmoidF { static inline float Apply(float x, float) { return 1.f / (1.f + std::exp(-x)); } };
struct TanhF { static inline float Apply(float x, float) { return std::tanh(x); } };
// Softplus with tfjs's cut-offs: exp(x) below log(eps) + 2, x above -(log(eps) + 2).
struct SoftplusF {
  static inline float Apply(float x, float) {
    constexpr float kThreshold = -13.942385152878742f;  // log(2^-23) + 2
    if (x < kThreshold) return std::exp(x);
    if (x > -kThreshold) return x;
    return std::log1p(std::exp(x));
  }
};
struct ExpF { static inline float Apply(float x, float) { return std::exp(x); } };
struct LogF { static inline float Apply(float x, float) { return std::log(x); } };
struct SqrtF { static inline float Apply(float x, float) { return std::sqrt(x); } };
struct RsqrtF { static inline float Apply(float x, float) { return static_cast<float>(1.0 / std::sqrt(static_cast<double>(x))); } };
struct SquareF { static inline float Apply(float x, float) { return x * x; } };
struct NegF { static inline float Apply(float x, float) { return -x; } };
struct AbsF { static inline float Apply(float x, float) { return std::fabs(x); } };
// Step: NaN -> NaN, x > 0 -> 1, else alpha.
struct StepF { static inline float Apply(float x, float alpha) { return x != x ? x : (x > 0.f ? 1.f : alpha); } };
struct ReciprocalF { static inline float Apply(float x, float) { return 1.f / x; } };
// The same Abramowitz-Stegun 7.1.26 approximation tfjs cpu uses (max error 1.5e-7), in double.
struct ErfF {
  static inline float Apply(float xf, float) {
    const double x = xf;
    if (x != x) return xf;
    const double sign = x > 0 ? 1.0 : (x < 0 ? -1.0 : 0.0);
    const double v = std::fabs(x);
    const double t = 1.0 / (1.0 + 0.3275911 * v);
    const double poly = ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t;
    return static_cast<float>(sign * (1.0 - poly * std::exp(-v * v)));
  }
};

// The contiguous loop of a unary op. A SIMD file may specialize UnaryLoop<Op> with intrinsics
// between including this file and native/elementwise_tables.h.
template <class Op>
struct UnaryLoop {
  static void Run(const float* x, float* y, int64_t n, float alpha) {
    const float* __restrict px = x;
    float* __restrict py = y;
    for (int64_t i = 0; i < n; ++i) py[i] = Op::Apply(px[i], alpha);
  }
};

