// gemm_skinny.h's loops built with -mavx2 -mfma (see gemm_skinny_impl.h); called only when UseAvx2().
#include <algorithm>
#include <cstdint>

#include "gemm_skinny.h"

namespace tsgan {
namespace skinny {
namespace avx2_impl {
#include "gemm_skinny_impl.h"
}  // namespace avx2_impl

const Ops& Avx2() {
  static const Ops ops{avx2_impl::RowsImpl, avx2_impl::DotsImpl, avx2_impl::ShallowImpl};
  return ops;
}
}  // namespace skinny
}  // namespace tsgan
