// AVX2+FMA build of StyleBiasAct's rows (native/style_bias_act_rows_impl.h); called only when UseAvx2().
#include <cstdint>

#include "style_bias_act_rows.h"

namespace tsgan {
namespace style_rows {
namespace avx2_impl {
#include "style_bias_act_rows_impl.h"
}  // namespace avx2_impl

const Ops& Avx2() {
  static const Ops ops{avx2_impl::StyleForwardRowImpl, avx2_impl::StyleGradRowImpl};
  return ops;
}
}  // namespace style_rows
}  // namespace tsgan
