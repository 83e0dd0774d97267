// Op ids and loop-table types of the elementwise kernels, free of N-API and std::function so that
// native/simd_avx2.cc (built with -mavx2 -mfma) can include it without compiling any shared inline
// code with AVX2 enabled.
#pragma once
#include <cstdint>

namespace tsgan {

// Binary ops: float32 x float32 -> float32 (arithmetic) or -> uint8 (comparisons, tfjs 'bool').
enum class BinaryOp : int {
  kAdd, kSub, kMul, kDiv, kMaximum, kMinimum, kSquaredDifference, kPow, kPrelu,
  kGreater, kGreaterEqual, kLess, kLessEqual, kEqual, kNotEqual,
  kCount
};

// Unary ops: float32 -> float32; `alpha` is the op's attribute where it has one (LeakyRelu, Step).
enum class UnaryOp : int {
  kRelu, kRelu6, kLeakyRelu, kElu, kSelu, kSigmoid, kTanh, kSoftplus, kExp, kLog, kSqrt, kRsqrt,
  kSquare, kNeg, kAbs, kStep, kReciprocal, kErf,
  kCount
};

// Contiguous loops of one binary op: y = op(a, b) over n elements, where a and/or b may be a
// single value repeated (s = scalar, v = vector). `y` is float* or uint8_t* (see out_is_bool).
using BinaryLoopFn = void (*)(const float* a, const float* b, void* y, int64_t n);
struct BinaryLoopSet {
  BinaryLoopFn vv, sv, vs;
  bool out_is_bool;
};

using UnaryLoopFn = void (*)(const float* x, float* y, int64_t n, float alpha);
struct UnaryLoopSet {
  UnaryLoopFn fn;
  int64_t grain;  // elements per task below which the op runs inline on the caller
};

namespace portable {
const BinaryLoopSet* BinaryLoopTable();
const UnaryLoopSet* UnaryLoopTable();
}  // namespace portable
namespace avx2 {
const BinaryLoopSet* BinaryLoopTable();
const UnaryLoopSet* UnaryLoopTable();
}  // namespace avx2

}  // namespace tsgan
