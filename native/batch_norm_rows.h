// The row loops of BatchNormTrain / BatchNormTrainGrad (native/kernels/batch_norm_train.cc), shared by
// the portable build and the AVX2+FMA one (native/kernels/batch_norm_train_avx2.cc): the same source
// (batch_norm_rows_impl.h) compiled twice. Each loop runs over `rows` rows of c channels and works per channel, so a channel's
// sums are added in row order in either build (the AVX2 one may fuse a multiply-add into one FMA).
#pragma once
#include <cstdint>

namespace tsgan {
namespace bn {

struct Ops {
  // s[k] += x[r, k]
  void (*sum)(const float* x, int64_t rows, int64_t c, double* s);
  // q[k] += (x[r, k] - mu[k])^2, in double
  void (*sq_dev)(const float* x, int64_t rows, int64_t c, const float* mu, double* q);
  // y[r, k] = (x[r, k] - mu[k]) * mul[k] + add[k]
  void (*apply)(const float* x, int64_t rows, int64_t c, const float* mu, const float* mul, const float* add, float* y);
  // sdy[k] += dy[r, k];  sdyx[k] += dy[r, k] * (x[r, k] - mu[k]), in double
  void (*grad_sums)(const float* x, const float* dy, int64_t rows, int64_t c, const float* mu, double* sdy,
                    double* sdyx);
  // dx[r, k] = a[k] * dy[r, k] + b[k] * (x[r, k] - mu[k]) + d[k]
  void (*grad_apply)(const float* x, const float* dy, int64_t rows, int64_t c, const float* mu, const float* a,
                     const float* b, const float* d, float* dx);
};

const Ops& Portable();  // batch_norm_train.cc
const Ops& Avx2();      // batch_norm_train_avx2.cc

}  // namespace bn
}  // namespace tsgan
