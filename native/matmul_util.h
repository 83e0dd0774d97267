// Shared by the BatchMatMul and _FusedMatMul kernels: validation of two rank>=2 operands with
// broadcast batch dimensions, and the batched GEMM over them.
// Arguments common to both, in this order: (a, b, out: Float32Array, aShape, bShape,
// transposeA: boolean, transposeB: boolean); out has the broadcast batch shape + [M, N].
#pragma once
#include <algorithm>
#include <string>
#include <vector>

#include "common.h"
#include "conv_util.h"
#include "gemm.h"
#include "thread_pool.h"

namespace tsgan {

struct MatMulArgs {
  const float* a;
  const float* b;
  float* out;
  int64_t m, n, k;
  bool trans_a, trans_b;
  // For each output batch, the batch index into a and into b.
  std::vector<int64_t> a_batch, b_batch;
  std::string desc;  // the shapes and flags, for error messages
};

inline MatMulArgs ArgMatMul(const Napi::CallbackInfo& info, const char* op) {
  const Shape as = ArgShape(info, 3, op, "aShape");
  const Shape bs = ArgShape(info, 4, op, "bShape");
  const bool ta = ArgBool(info, 5, op, "transposeA");
  const bool tb = ArgBool(info, 6, op, "transposeB");
  const std::string shapes = " (a " + ShapeStr(as) + ", b " + ShapeStr(bs) + ", transposeA=" + (ta ? "true" : "false") +
                             ", transposeB=" + (tb ? "true" : "false") + ")";
  if (as.size() < 2 || bs.size() < 2) Fail(info.Env(), op, "both operands need rank >= 2" + shapes);
  for (const Shape* s : {&as, &bs}) {
    int64_t p = 1;
    for (int64_t d : *s) {
      if (d != 0 && p > (int64_t{1} << 40) / d) Fail(info.Env(), op, "sizes out of range" + shapes);
      p *= d;
    }
  }
  const size_t ra = as.size(), rb = bs.size();
  MatMulArgs r;
  r.trans_a = ta;
  r.trans_b = tb;
  r.m = ta ? as[ra - 1] : as[ra - 2];
  const int64_t ka = ta ? as[ra - 2] : as[ra - 1];
  const int64_t kb = tb ? bs[rb - 1] : bs[rb - 2];
  r.n = tb ? bs[rb - 2] : bs[rb - 1];
  if (ka != kb) {
    Fail(info.Env(), op, "inner dimensions " + std::to_string(ka) + " and " + std::to_string(kb) + " differ" + shapes);
  }
  r.k = ka;
  // Broadcast the batch dimensions (aligned on the right).
  const size_t rank = std::max(ra, rb) - 2;
  Shape out_batch(rank), a_dims(rank, 1), b_dims(rank, 1);
  for (size_t i = 0; i < ra - 2; ++i) a_dims[rank - (ra - 2) + i] = as[i];
  for (size_t i = 0; i < rb - 2; ++i) b_dims[rank - (rb - 2) + i] = bs[i];
  int64_t batches = 1;
  for (size_t i = 0; i < rank; ++i) {
    if (a_dims[i] != b_dims[i] && a_dims[i] != 1 && b_dims[i] != 1) {
      Fail(info.Env(), op, "batch dimensions do not broadcast" + shapes);
    }
    out_batch[i] = (a_dims[i] == 1) ? b_dims[i] : a_dims[i];
    batches = CheckedProduct({batches, out_batch[i]});
    if (batches < 0) Fail(info.Env(), op, "sizes out of range" + shapes);
  }
  const F32 a = ArgF32(info, 0, op, "a");
  const F32 b = ArgF32(info, 1, op, "b");
  const F32 out = ArgF32(info, 2, op, "out");
  if (a.size != NumElements(as)) Fail(info.Env(), op, "'a' has " + std::to_string(a.size) + " elements" + shapes);
  if (b.size != NumElements(bs)) Fail(info.Env(), op, "'b' has " + std::to_string(b.size) + " elements" + shapes);
  if (CheckedProduct({batches, r.m, r.n}) < 0 || out.size != batches * r.m * r.n) {
    Fail(info.Env(), op, "'out' has " + std::to_string(out.size) + " elements, expected " +
                             std::to_string(batches * r.m * r.n) + shapes);
  }
  r.a = a.data;
  r.b = b.data;
  r.out = out.data;
  r.desc = shapes;
  if (out.size == 0) return r;  // nothing to compute (no per-batch index tables either)
  r.a_batch.resize(static_cast<size_t>(batches));
  r.b_batch.resize(static_cast<size_t>(batches));
  for (int64_t t = 0; t < batches; ++t) {
    int64_t rem = t, ia = 0, ib = 0, sa = 1, sb = 1;
    for (size_t i = rank; i-- > 0;) {
      const int64_t idx = rem % out_batch[i];
      rem /= out_batch[i];
      ia += (a_dims[i] == 1 ? 0 : idx) * sa;
      ib += (b_dims[i] == 1 ? 0 : idx) * sb;
      sa *= a_dims[i];
      sb *= b_dims[i];
    }
    r.a_batch[static_cast<size_t>(t)] = ia;
    r.b_batch[static_cast<size_t>(t)] = ib;
  }
  return r;
}

// out[t] = op(a[a_batch[t]]) * op(b[b_batch[t]]) then the epilogue, for every output batch t.
inline void RunMatMul(const MatMulArgs& r, const GemmEpilogue* ep) {
  const int64_t batches = static_cast<int64_t>(r.a_batch.size());
  const int64_t m = r.m, n = r.n, k = r.k;
  if (batches == 0 || m == 0 || n == 0) return;
  auto call_for = [&](int64_t t, const StridedPackA* pa, const StridedPackB* pb) {
    GemmCall c;
    c.m = m;
    c.n = n;
    c.k = k;
    c.a = pa;
    c.b = pb;
    c.c = r.out + t * m * n;
    c.rs_c = n;
    c.cs_c = 1;
    c.ep = ep;
    return c;
  };
  auto operands = [&](int64_t t) {
    const float* a = r.a + r.a_batch[static_cast<size_t>(t)] * m * k;
    const float* b = r.b + r.b_batch[static_cast<size_t>(t)] * k * n;
    // a is stored [m, k] (or [k, m] when transposed); b is [k, n] (or [n, k]).
    StridedPackA pa(r.trans_a ? StridedMatrix{a, 1, m} : StridedMatrix{a, k, 1});
    StridedPackB pb(r.trans_b ? StridedMatrix{b, 1, k} : StridedMatrix{b, n, 1});
    return std::make_pair(pa, pb);
  };
  const double macs = static_cast<double>(m) * n * k;
  if (batches >= 2 * NumThreads() && macs < 4.0e6) {
    // Many small products: one whole product per task.
    ParallelFor(batches, std::max<int64_t>(1, static_cast<int64_t>(2.0e5 / (macs + 1.0))), [&](int64_t t0, int64_t t1) {
      for (int64_t t = t0; t < t1; ++t) {
        auto ops = operands(t);
        GemmSerial(call_for(t, &ops.first, &ops.second));
      }
    });
  } else {
    for (int64_t t = 0; t < batches; ++t) {
      auto ops = operands(t);
      Gemm(call_for(t, &ops.first, &ops.second));
    }
  }
}

}  // namespace tsgan
