// The loops of batch_norm_rows.h, without an include guard: included inside a namespace once per build
// (batch_norm_train.cc: portable; batch_norm_train_avx2.cc: AVX2+FMA).
inline void SumImpl(const float* x, int64_t rows, int64_t c, double* __restrict s) {
  for (int64_t r = 0; r < rows; ++r) {
    const float* __restrict xr = x + r * c;
    for (int64_t k = 0; k < c; ++k) s[k] += xr[k];
  }
}
inline void SqDevImpl(const float* x, int64_t rows, int64_t c, const float* __restrict mu, double* __restrict q) {
  for (int64_t r = 0; r < rows; ++r) {
    const float* __restrict xr = x + r * c;
    for (int64_t k = 0; k < c; ++k) {
      const double d = static_cast<double>(xr[k]) - mu[k];
      q[k] += d * d;
    }
  }
}
inline void ApplyImpl(const float* x, int64_t rows, int64_t c, const float* __restrict mu,
                      const float* __restrict mul, const float* __restrict add, float* y) {
  for (int64_t r = 0; r < rows; ++r) {
    const float* __restrict xr = x + r * c;
    float* __restrict yr = y + r * c;
    for (int64_t k = 0; k < c; ++k) yr[k] = (xr[k] - mu[k]) * mul[k] + add[k];
  }
}
inline void GradSumsImpl(const float* x, const float* dy, int64_t rows, int64_t c, const float* __restrict mu,
                         double* __restrict sdy, double* __restrict sdyx) {
  for (int64_t r = 0; r < rows; ++r) {
    const float* __restrict xr = x + r * c;
    const float* __restrict gr = dy + r * c;
    for (int64_t k = 0; k < c; ++k) {
      sdy[k] += gr[k];
      sdyx[k] += static_cast<double>(gr[k]) * (static_cast<double>(xr[k]) - mu[k]);
    }
  }
}
inline void GradApplyImpl(const float* x, const float* dy, int64_t rows, int64_t c, const float* __restrict mu,
                          const float* __restrict a, const float* __restrict b, const float* __restrict d,
                          float* dx) {
  for (int64_t r = 0; r < rows; ++r) {
    const float* __restrict xr = x + r * c;
    const float* __restrict gr = dy + r * c;
    float* __restrict out = dx + r * c;
    for (int64_t k = 0; k < c; ++k) out[k] = a[k] * gr[k] + b[k] * (xr[k] - mu[k]) + d[k];
  }
}
