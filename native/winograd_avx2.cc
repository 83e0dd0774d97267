// winograd.h's transforms built with -mavx2 -mfma (see winograd_impl.h); called only when UseAvx2().
#include <algorithm>
#include <cstdint>

#include "winograd.h"

namespace tsgan {
namespace winograd {
namespace avx2_impl {
#include "winograd_impl.h"
}  // namespace avx2_impl

const Ops& Avx2() {
  static const Ops ops{avx2_impl::InputImpl, avx2_impl::OutputImpl, avx2_impl::FilterImpl, avx2_impl::GradOutputImpl,
                       avx2_impl::GradFilterImpl, avx2_impl::Filter16Impl,
                       avx2_impl::GradOutput16Impl};
  return ops;
}
}  // namespace winograd
}  // namespace tsgan
