// Drivers of the elementwise kernels (see elementwise.h) and the portable loop tables.
#include "elementwise.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

#include "broadcast.h"
#include "simd.h"

namespace tsgan {
namespace portable {
#include "elementwise_loops.h"
#include "elementwise_tables.h"
}  // namespace portable

const BinaryLoopSet& BinaryLoops(BinaryOp op) {
  static const BinaryLoopSet* table = UseAvx2() ? avx2::BinaryLoopTable() : portable::BinaryLoopTable();
  return table[static_cast<int>(op)];
}

const UnaryLoopSet& UnaryLoops(UnaryOp op) {
  static const UnaryLoopSet* table = UseAvx2() ? avx2::UnaryLoopTable() : portable::UnaryLoopTable();
  return table[static_cast<int>(op)];
}

namespace {

// Elements per task for binary ops (the odometer adds a little per row).
constexpr int64_t kBinaryGrain = 1 << 15;

// The output of a binary op: a Float32Array, or a Uint8Array for comparisons.
using OutBuf = Typed;

OutBuf ArgOut(const Napi::CallbackInfo& info, size_t i, const char* op, bool is_bool) {
  return ArgTyped(info, i, op, "out", is_bool ? napi_uint8_array : napi_float32_array);
}

void* OutAt(const OutBuf& o, bool is_bool, int64_t i) {
  return is_bool ? static_cast<void*>(static_cast<uint8_t*>(o.data) + i) : static_cast<void*>(static_cast<float*>(o.data) + i);
}

}  // namespace

Napi::Value RunBinary(const Napi::CallbackInfo& info, const char* name, BinaryOp op) {
  const BinaryLoopSet& L = BinaryLoops(op);
  const bool is_bool = L.out_is_bool;
  if (info.Length() == 3) {
    // Same-size operands, or one of them a single value.
    F32 a = FastF32(info, 0, name, "a");
    F32 b = FastF32(info, 1, name, "b");
    OutBuf y = ArgOut(info, 2, name, is_bool);
    const int64_t n = y.size;
    BinaryLoopFn fn;
    if (a.size == n && b.size == n) {
      fn = L.vv;
    } else if (a.size == 1 && b.size == n) {
      fn = L.sv;
    } else if (b.size == 1 && a.size == n) {
      fn = L.vs;
    } else {
      Fail(info.Env(), name, "a has " + std::to_string(a.size) + " elements, b " + std::to_string(b.size) +
                                 " and out " + std::to_string(n) +
                                 ": without shapes, a and b must have out's size or be a single value");
    }
    const float* pa = a.data;
    const float* pb = b.data;
    SplitWork(n, kBinaryGrain, [&](int64_t s, int64_t e) {
      fn(fn == L.sv ? pa : pa + s, fn == L.vs ? pb : pb + s, OutAt(y, is_bool, s), e - s);
    });
    return info.Env().Undefined();
  }
  if (info.Length() != 5) {
    Fail(info.Env(), name, "expects (a, b, out) or (a, aShape, b, bShape, out), got " + std::to_string(info.Length()) + " arguments");
  }
  Shape sa = ArgShape(info, 1, name, "aShape");
  Shape sb = ArgShape(info, 3, name, "bShape");
  F32 a = FastF32(info, 0, name, "a");
  F32 b = FastF32(info, 2, name, "b");
  if (a.size != NumElements(sa) || b.size != NumElements(sb)) {
    const bool bad_a = a.size != NumElements(sa);
    Fail(info.Env(), name, std::string("'") + (bad_a ? "a" : "b") + "' has " + std::to_string(bad_a ? a.size : b.size) +
                               " elements but shape " + ShapeStr(bad_a ? sa : sb) + " needs " +
                               std::to_string(NumElements(bad_a ? sa : sb)));
  }
  OutBuf y = ArgOut(info, 4, name, is_bool);
  BroadcastPlan plan;
  std::string why = MakeBroadcastPlan(sa, sb, &plan);
  if (!why.empty()) Fail(info.Env(), name, "shapes " + ShapeStr(sa) + " and " + ShapeStr(sb) + " do not broadcast (" + why + ")");
  const int64_t n = NumElements(plan.out_shape);
  if (y.size != n) {
    Fail(info.Env(), name, "out has " + std::to_string(y.size) + " elements but " + ShapeStr(sa) + " with " +
                               ShapeStr(sb) + " broadcasts to " + ShapeStr(plan.out_shape));
  }
  if (n == 0) return info.Env().Undefined();
  if (plan.rank == 0) {  // one element
    L.vv(a.data, b.data, y.data, 1);
    return info.Env().Undefined();
  }
  const int R = plan.rank;
  const int64_t inner = plan.dims[R - 1];
  const int64_t ia = plan.a_stride[R - 1], ib = plan.b_stride[R - 1];
  const BinaryLoopFn fn = (ia != 0 && ib != 0) ? L.vv : (ia == 0 && ib != 0) ? L.sv : (ia != 0 && ib == 0) ? L.vs : nullptr;
  const int64_t rows = n / inner;
  const float* pa = a.data;
  const float* pb = b.data;
  auto rows_fn = [&](int64_t r0, int64_t r1) {
    // Odometer over the outer dimensions, started at row r0.
    int64_t idx[kMaxBroadcastRank];
    int64_t oa = 0, ob = 0;
    int64_t rem = r0;
    for (int d = R - 2; d >= 0; --d) {
      idx[d] = rem % plan.dims[d];
      rem /= plan.dims[d];
      oa += idx[d] * plan.a_stride[d];
      ob += idx[d] * plan.b_stride[d];
    }
    for (int64_t r = r0; r < r1; ++r) {
      void* out = OutAt(y, is_bool, r * inner);
      if (fn != nullptr) {
        fn(pa + oa, pb + ob, out, inner);
      } else {  // both operands broadcast along the inner dimension: fill
        L.vv(pa + oa, pb + ob, out, 1);
        for (int64_t i = 1; i < inner; ++i) {
          if (is_bool) static_cast<uint8_t*>(out)[i] = static_cast<uint8_t*>(out)[0];
          else static_cast<float*>(out)[i] = static_cast<float*>(out)[0];
        }
      }
      for (int d = R - 2; d >= 0; --d) {
        oa += plan.a_stride[d];
        ob += plan.b_stride[d];
        if (++idx[d] < plan.dims[d]) break;
        oa -= plan.a_stride[d] * plan.dims[d];
        ob -= plan.b_stride[d] * plan.dims[d];
        idx[d] = 0;
      }
    }
  };
  const int64_t grain_rows = inner >= kBinaryGrain ? 1 : kBinaryGrain / inner;
  SplitWork(rows, grain_rows, rows_fn);
  return info.Env().Undefined();
}

Napi::Value RunUnary(const Napi::CallbackInfo& info, const char* name, UnaryOp op, bool has_alpha) {
  const size_t want = has_alpha ? 3 : 2;
  if (info.Length() != want) {
    Fail(info.Env(), name, std::string("expects (x, out") + (has_alpha ? ", alpha)" : ")") + ", got " +
                               std::to_string(info.Length()) + " arguments");
  }
  F32 x = FastF32(info, 0, name, "x");
  F32 y = FastF32(info, 1, name, "out");
  if (x.size != y.size) {
    Fail(info.Env(), name, "x has " + std::to_string(x.size) + " elements but out has " + std::to_string(y.size));
  }
  const float alpha = has_alpha ? static_cast<float>(ArgNum(info, 2, name, "alpha")) : 0.f;
  const UnaryLoopSet& L = UnaryLoops(op);
  const float* px = x.data;
  float* py = y.data;
  SplitWork(x.size, L.grain, [&](int64_t s, int64_t e) { L.fn(px + s, py + s, e - s, alpha); });
  return info.Env().Undefined();
}

}  // namespace tsgan
