// AVX2+FMA build of StyleBiasAct's rows (native/style_bias_act_rows.h); called only when UseAvx2().
#include "style_bias_act_rows.h"

namespace tsgan {
namespace avx2 {

void StyleForwardRow(const float* xr, const float* dn, const float* bias, float nz, float* o, StyleRowArgs a,
                     int64_t C) {
  StyleForwardRowImpl(xr, dn, bias, nz, o, a, C);
}

float StyleGradRow(const float* xr, const float* gr, const float* dn, const float* bias, float* dxr, float* ddn,
                   float* pb, float nz, StyleRowArgs a, int64_t C) {
  return StyleGradRowImpl(xr, gr, dn, bias, dxr, ddn, pb, nz, a, C);
}

}  // namespace avx2
}  // namespace tsgan
