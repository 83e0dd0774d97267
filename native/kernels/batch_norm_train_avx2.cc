// AVX2+FMA build of BatchNormTrain's row loops (native/batch_norm_rows_impl.h); called only when UseAvx2().
#include <cstdint>

#include "batch_norm_rows.h"

namespace tsgan {
namespace bn {
namespace avx2_impl {
#include "batch_norm_rows_impl.h"
}  // namespace avx2_impl

const Ops& Avx2() {
  static const Ops ops{avx2_impl::SumImpl, avx2_impl::SqDevImpl, avx2_impl::ApplyImpl, avx2_impl::GradSumsImpl,
                       avx2_impl::GradApplyImpl};
  return ops;
}
}  // namespace bn
}  // namespace tsgan
