// gemm_skinny.h: the portable loops and the thread split (the AVX2 loops are in gemm_skinny_avx2.cc).
#include "gemm_skinny.h"

#include <algorithm>
#include <cstdint>

#include "simd.h"
#include "thread_pool.h"

namespace tsgan {
namespace skinny {
namespace portable_impl {
#include "gemm_skinny_impl.h"
}  // namespace portable_impl

const Ops& Portable() {
  static const Ops ops{portable_impl::RowsImpl, portable_impl::DotsImpl, portable_impl::ShallowImpl};
  return ops;
}
}  // namespace skinny

namespace {
const skinny::Ops& Active() { return UseAvx2() ? skinny::Avx2() : skinny::Portable(); }
}  // namespace

void SkinnyGemm(int64_t m, int64_t n, int64_t k, const float* a, int64_t lda, const float* b, int64_t rs_b,
                int64_t cs_b, float* c, int64_t rs_c, bool accumulate) {
  if (m <= 0 || n <= 0) return;
  if (k <= 0) {
    if (!accumulate)
      for (int64_t i = 0; i < m; ++i) std::fill(c + i * rs_c, c + i * rs_c + n, 0.f);
    return;
  }
  const skinny::Ops& ops = Active();
  // Column blocks of at least 64 (whole cache lines of C and B), a few per thread.
  const int64_t threads = NumThreads();
  const int64_t tasks = std::max<int64_t>(1, std::min<int64_t>((n + 63) / 64, 4 * threads));
  const int64_t per = ((n + tasks - 1) / tasks + 15) / 16 * 16;
  RunTasks((n + per - 1) / per, [&](int64_t t) {
    const int64_t j0 = t * per, j1 = std::min(n, j0 + per);
    if (cs_b == 1)
      ops.rows(m, j0, j1, k, a, lda, b, rs_b, c, rs_c, accumulate);
    else
      ops.dots(m, j0, j1, k, a, lda, b, cs_b, c, rs_c, accumulate);
  });
}

void SmallDepthGemm(int64_t m, int64_t n, int64_t k, const float* a, int64_t rs_a, int64_t cs_a, const float* b,
                    int64_t ldb, float* c, int64_t rs_c) {
  if (m <= 0 || n <= 0) return;
  if (k <= 0) {
    for (int64_t i = 0; i < m; ++i) std::fill(c + i * rs_c, c + i * rs_c + n, 0.f);
    return;
  }
  const skinny::Ops& ops = Active();
  ParallelFor(m, std::max<int64_t>(1, (1 << 14) / n), [&](int64_t i0, int64_t i1) {
    ops.shallow(i0, i1, n, k, a, rs_a, cs_a, b, ldb, c, rs_c);
  });
}

}  // namespace tsgan
