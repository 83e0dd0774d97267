// BatchNormTrain / BatchNormTrainGrad: batch normalization in training mode (Ioffe & Szegedy 2015)
// over every axis but the last, as one forward and one backward kernel. Not tfjs kernels: the
// training path of src/nn/batch_norm.ts calls them through tf.customGrad instead of the ~25 kernels
// (moments, normalization, their gradients) that tfjs-layers composes per call. The reference path
// is tfjs-layers' own BatchNormalization.call, which the parity test compares against.
// Per channel c over the M = size / C rows (statistics accumulated in double):
//   mean = sum(x) / M;  var = sum((x - mean)^2) / M (biased, as tf.moments);  r = 1 / sqrt(var + eps)
//   y = (x - mean) * (gamma * r) + beta
// and, given dy:
//   dbeta = sum(dy);  dgamma = r * sum(dy * (x - mean))
//   dx = gamma * r * (dy - dbeta / M - (x - mean) * r * dgamma / M)
// Arguments:
//   BatchNormTrain(x, gamma, beta, eps, y, mean, variance)                         (C = gamma.length)
//   BatchNormTrainGrad(x, dy, mean, variance, gamma, eps, dx, dgamma, dbeta)
// Single-threaded and in a fixed order: results do not depend on the thread count. The row loops are
// in batch_norm_rows_impl.h, built portable and AVX2+FMA (dispatched at run time).
#include <cmath>
#include <string>
#include <vector>

#include "batch_norm_rows.h"
#include "common.h"
#include "registry.h"
#include "simd.h"

namespace tsgan {
namespace bn {
namespace portable_impl {
#include "batch_norm_rows_impl.h"
}  // namespace portable_impl

const Ops& Portable() {
  static const Ops ops{portable_impl::SumImpl, portable_impl::SqDevImpl, portable_impl::ApplyImpl,
                       portable_impl::GradSumsImpl, portable_impl::GradApplyImpl};
  return ops;
}
}  // namespace bn

namespace {

const bn::Ops& Loops() { return UseAvx2() ? bn::Avx2() : bn::Portable(); }

void CheckChannels(const Napi::Env& env, const char* op, const F32& x, int64_t c) {
  if (c <= 0) Fail(env, op, "gamma is empty");
  if (x.size % c != 0) Fail(env, op, "x has " + std::to_string(x.size) + " elements, not a multiple of the " + std::to_string(c) + " channels");
}

void CheckLength(const Napi::Env& env, const char* op, const F32& a, int64_t n, const char* name) {
  if (a.size != n) Fail(env, op, std::string(name) + " has " + std::to_string(a.size) + " elements, expected " + std::to_string(n));
}

Napi::Value BatchNormTrain(const Napi::CallbackInfo& info) {
  const char* op = "BatchNormTrain";
  if (info.Length() != 7) Fail(info.Env(), op, "expects (x, gamma, beta, eps, y, mean, variance)");
  F32 x = ArgF32(info, 0, op, "x");
  F32 gamma = ArgF32(info, 1, op, "gamma");
  F32 beta = ArgF32(info, 2, op, "beta");
  const double eps = ArgNum(info, 3, op, "eps");
  F32 y = ArgF32(info, 4, op, "y");
  F32 mean = ArgF32(info, 5, op, "mean");
  F32 var = ArgF32(info, 6, op, "variance");
  const int64_t c = gamma.size;
  CheckChannels(info.Env(), op, x, c);
  CheckLength(info.Env(), op, beta, c, "beta");
  CheckLength(info.Env(), op, mean, c, "mean");
  CheckLength(info.Env(), op, var, c, "variance");
  CheckLength(info.Env(), op, y, x.size, "y");
  const int64_t rows = x.size / c;
  if (rows == 0) Fail(info.Env(), op, "x is empty");
  std::vector<double> s(c, 0.0), q(c, 0.0);
  const bn::Ops& ops = Loops();
  const float* px = x.data;
  ops.sum(px, rows, c, s.data());
  std::vector<float> mu(c), mul(c), add(c);
  for (int64_t k = 0; k < c; ++k) mu[k] = static_cast<float>(s[k] / static_cast<double>(rows));
  ops.sq_dev(px, rows, c, mu.data(), q.data());
  for (int64_t k = 0; k < c; ++k) {
    const double v = q[k] / static_cast<double>(rows);
    mean.data[k] = mu[k];
    var.data[k] = static_cast<float>(v);
    mul[k] = static_cast<float>(gamma.data[k] / std::sqrt(static_cast<double>(var.data[k]) + eps));
    add[k] = beta.data[k];
  }
  ops.apply(px, rows, c, mu.data(), mul.data(), add.data(), y.data);
  return info.Env().Undefined();
}

Napi::Value BatchNormTrainGrad(const Napi::CallbackInfo& info) {
  const char* op = "BatchNormTrainGrad";
  if (info.Length() != 9) Fail(info.Env(), op, "expects (x, dy, mean, variance, gamma, eps, dx, dgamma, dbeta)");
  F32 x = ArgF32(info, 0, op, "x");
  F32 dy = ArgF32(info, 1, op, "dy");
  F32 mean = ArgF32(info, 2, op, "mean");
  F32 var = ArgF32(info, 3, op, "variance");
  F32 gamma = ArgF32(info, 4, op, "gamma");
  const double eps = ArgNum(info, 5, op, "eps");
  F32 dx = ArgF32(info, 6, op, "dx");
  F32 dgamma = ArgF32(info, 7, op, "dgamma");
  F32 dbeta = ArgF32(info, 8, op, "dbeta");
  const int64_t c = gamma.size;
  CheckChannels(info.Env(), op, x, c);
  CheckLength(info.Env(), op, dy, x.size, "dy");
  CheckLength(info.Env(), op, dx, x.size, "dx");
  for (const auto& [a, name] : {std::pair<const F32*, const char*>{&mean, "mean"}, {&var, "variance"}, {&dgamma, "dgamma"}, {&dbeta, "dbeta"}}) {
    CheckLength(info.Env(), op, *a, c, name);
  }
  const int64_t rows = x.size / c;
  if (rows == 0) Fail(info.Env(), op, "x is empty");
  std::vector<double> sdy(c, 0.0), sdyx(c, 0.0);
  const float* px = x.data;
  const float* pdy = dy.data;
  const float* pm = mean.data;
  const bn::Ops& ops = Loops();
  ops.grad_sums(px, pdy, rows, c, pm, sdy.data(), sdyx.data());
  // dx = a * dy + b * (x - mean) + d per channel.
  std::vector<float> a(c), b(c), d(c);
  const double m = static_cast<double>(rows);
  for (int64_t k = 0; k < c; ++k) {
    const double rs = 1.0 / std::sqrt(static_cast<double>(var.data[k]) + eps);
    const double dg = rs * sdyx[k];
    dbeta.data[k] = static_cast<float>(sdy[k]);
    dgamma.data[k] = static_cast<float>(dg);
    const double g = static_cast<double>(gamma.data[k]) * rs;
    a[k] = static_cast<float>(g);
    b[k] = static_cast<float>(-g * rs * dg / m);
    d[k] = static_cast<float>(-g * sdy[k] / m);
  }
  ops.grad_apply(px, pdy, rows, c, pm, a.data(), b.data(), d.data(), dx.data);
  return info.Env().Undefined();
}

}  // namespace
}  // namespace tsgan

TSGAN_REGISTER_KERNEL(BatchNormTrain, tsgan::BatchNormTrain);
TSGAN_REGISTER_KERNEL(BatchNormTrainGrad, tsgan::BatchNormTrainGrad);
