// Shared machinery of the elementwise kernels (binary ops with broadcasting, unary ops):
// the op ids, the tables of contiguous loops (one portable table, one AVX2+FMA table, both built
// from native/elementwise_loops.h), and the drivers that validate the N-API arguments, pick a
// loop and split the work over the thread pool. Each kernel file (native/kernels/add.cc, ...)
// only binds its kernel name to an op id with TSGAN_BINARY_KERNEL / TSGAN_UNARY_KERNEL.
#pragma once
#include <napi.h>

#include <cstdint>

#include "common.h"
#include "elementwise_types.h"
#include "registry.h"
#include "thread_pool.h"

namespace tsgan {

// A typed array argument read with one N-API call (these kernels run ~600 times per training
// step, mostly on small tensors, so the per-argument cost matters).
struct Typed {
  void* data = nullptr;
  int64_t size = 0;
};

inline Typed ArgTyped(const Napi::CallbackInfo& info, size_t i, const char* op, const char* name, napi_typedarray_type want) {
  napi_typedarray_type type;
  size_t length = 0;
  void* data = nullptr;
  if (i >= info.Length() ||
      napi_get_typedarray_info(info.Env(), info[i], &type, &length, &data, nullptr, nullptr) != napi_ok || type != want) {
    Fail(info.Env(), op, std::string("argument '") + name + "' must be a " +
                             (want == napi_uint8_array ? "Uint8Array" : want == napi_int32_array ? "Int32Array" : "Float32Array"));
  }
  return Typed{data, static_cast<int64_t>(length)};
}

inline F32 FastF32(const Napi::CallbackInfo& info, size_t i, const char* op, const char* name) {
  Typed t = ArgTyped(info, i, op, name, napi_float32_array);
  return F32{static_cast<float*>(t.data), t.size};
}

// The loops for the SIMD path chosen at start-up.
const BinaryLoopSet& BinaryLoops(BinaryOp op);
const UnaryLoopSet& UnaryLoops(UnaryOp op);

// Runs fn(begin, end) over [0, n): inline (no std::function, no pool) when n <= grain.
template <class F>
inline void SplitWork(int64_t n, int64_t grain, F&& fn) {
  if (n <= 0) return;
  if (n <= grain) {
    fn(int64_t{0}, n);
    return;
  }
  ParallelFor(n, grain, [&](int64_t b, int64_t e) { fn(b, e); });
}

// N-API drivers.
// Binary: (a, b, out) where a and b have out's length or one of them has length 1; or
// (a, aShape, b, bShape, out) with numpy broadcasting of any rank. out is a Float32Array, or a
// Uint8Array for comparisons.
Napi::Value RunBinary(const Napi::CallbackInfo& info, const char* name, BinaryOp op);
// Unary: (x, out) or (x, out, alpha) for the ops with an attribute.
Napi::Value RunUnary(const Napi::CallbackInfo& info, const char* name, UnaryOp op, bool has_alpha);

}  // namespace tsgan

// One kernel file = one of these lines.
#define TSGAN_BINARY_KERNEL(Name, Op)                                                         \
  namespace {                                                                                \
  Napi::Value Name##Kernel(const Napi::CallbackInfo& info) {                                 \
    return ::tsgan::RunBinary(info, #Name, ::tsgan::BinaryOp::Op);                           \
  }                                                                                          \
  }                                                                                          \
  TSGAN_REGISTER_KERNEL(Name, Name##Kernel)

#define TSGAN_UNARY_KERNEL(Name, Op, HasAlpha)                                                \
  namespace {                                                                                \
  Napi::Value Name##Kernel(const Napi::CallbackInfo& info) {                                 \
    return ::tsgan::RunUnary(info, #Name, ::tsgan::UnaryOp::Op, HasAlpha);                   \
  }                                                                                          \
  }                                                                                          \
  TSGAN_REGISTER_KERNEL(Name, Name##Kernel)
