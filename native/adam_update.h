// The fused Adam update loop, shared by the portable and the AVX2 builds (same source, compiled twice).
// Matches tf.train.adam exactly in its order of float32 operations:
//   m = b1*m + (1-b1)*g;  v = b2*v + (1-b2)*g^2;  w += -lr * (m/(1-b1^t)) / (sqrt(v/(1-b2^t)) + eps)
#pragma once
#include <cmath>
#include <cstdint>

namespace tsgan {

struct AdamParams {
  float lr, beta1, beta2, one_minus_beta1, one_minus_beta2, eps, one_minus_acc_beta1, one_minus_acc_beta2;
};

// static: each build (portable, AVX2) keeps its own copy compiled with its own flags; an external
// inline function would be one symbol that the linker could take from either build.
static inline void AdamUpdateLoop(float* w, const float* g, float* m, float* v, int64_t n, const AdamParams& p) {
  const float c1 = p.one_minus_beta1, c2 = p.one_minus_beta2;
  for (int64_t i = 0; i < n; ++i) {
    const float gi = g[i];
    const float mi = m[i] * p.beta1 + gi * c1;
    const float vi = v[i] * p.beta2 + (gi * gi) * c2;
    m[i] = mi;
    v[i] = vi;
    const float mh = mi / p.one_minus_acc_beta1;
    const float vh = vi / p.one_minus_acc_beta2;
    w[i] = (mh / (std::sqrt(vh) + p.eps)) * -p.lr + w[i];
  }
}

}  // namespace tsgan
