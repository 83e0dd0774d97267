// Reductions over any set of axes (Sum, Mean, Prod, Max, Min), shared by their kernel files.
// Semantics follow tfjs cpu: sums and products accumulate in double and round once to float32;
// Max/Min return NaN if any reduced value is NaN; an empty reduction gives 0 (Sum, Mean), 1 (Prod)
// or NaN (Max, Min).
// Plan: drop size-1 dims and merge neighbouring dims that are both kept or both reduced. What
// remains is [K, R] (reduce contiguous rows), [R, K] (accumulate rows into K columns), or a mix
// that is first transposed to [K, R] as tfjs does.
#pragma once
#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "common.h"
#include "elementwise.h"
#include "thread_pool.h"
#include "transpose.h"

namespace tsgan {

struct SumTraits {
  using Acc = double;
  static Acc Init() { return 0.0; }
  static Acc Step(Acc a, float v) { return a + v; }
  static Acc Combine(Acc a, Acc b) { return a + b; }
  static float Final(Acc a, int64_t) { return static_cast<float>(a); }
};
struct MeanTraits : SumTraits {
  static float Final(Acc a, int64_t n) { return n == 0 ? 0.f : static_cast<float>(a / static_cast<double>(n)); }
};
struct ProdTraits {
  using Acc = double;
  static Acc Init() { return 1.0; }
  static Acc Step(Acc a, float v) { return a * v; }
  static Acc Combine(Acc a, Acc b) { return a * b; }
  static float Final(Acc a, int64_t) { return static_cast<float>(a); }
};
struct MaxTraits {
  using Acc = float;
  static Acc Init() { return -std::numeric_limits<float>::infinity(); }
  static Acc Step(Acc a, float v) { return (v > a || v != v) ? v : a; }
  static Acc Combine(Acc a, Acc b) { return (a != a) ? a : Step(a, b); }
  static float Final(Acc a, int64_t n) { return n == 0 ? std::numeric_limits<float>::quiet_NaN() : a; }
};
struct MinTraits {
  using Acc = float;
  static Acc Init() { return std::numeric_limits<float>::infinity(); }
  static Acc Step(Acc a, float v) { return (v < a || v != v) ? v : a; }
  static Acc Combine(Acc a, Acc b) { return (a != a) ? a : Step(a, b); }
  static float Final(Acc a, int64_t n) { return n == 0 ? std::numeric_limits<float>::quiet_NaN() : a; }
};

namespace reduce_detail {

constexpr int64_t kGrain = 1 << 15;  // elements per task
constexpr int64_t kMaxChunks = 16;    // partial results per reduction (fixed: results do not depend on the pool size)

// Reduces x[0..n) with eight interleaved accumulators (independent chains the compiler can keep
// in one vector register).
template <class Tr>
typename Tr::Acc ReduceRun(const float* x, int64_t n) {
  typename Tr::Acc acc[8];
  for (int j = 0; j < 8; ++j) acc[j] = Tr::Init();
  int64_t i = 0;
  for (; i + 8 <= n; i += 8) {
    for (int j = 0; j < 8; ++j) acc[j] = Tr::Step(acc[j], x[i + j]);
  }
  for (; i < n; ++i) acc[0] = Tr::Step(acc[0], x[i]);
  typename Tr::Acc a = acc[0];
  for (int j = 1; j < 8; ++j) a = Tr::Combine(a, acc[j]);
  return a;
}

// Max/Min of a contiguous run: the plain compare-select (which the compiler maps to vector
// max/min instructions) plus a separate NaN flag, instead of Step's branches.
template <bool kMax>
float MaxMinRun(const float* x, int64_t n) {
  float m[8];
  uint32_t nan[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  for (int j = 0; j < 8; ++j) m[j] = kMax ? -std::numeric_limits<float>::infinity() : std::numeric_limits<float>::infinity();
  int64_t i = 0;
  for (; i + 8 <= n; i += 8) {
    for (int j = 0; j < 8; ++j) {
      const float v = x[i + j];
      m[j] = kMax ? (v > m[j] ? v : m[j]) : (v < m[j] ? v : m[j]);
      nan[j] |= static_cast<uint32_t>(v != v);
    }
  }
  for (; i < n; ++i) {
    const float v = x[i];
    m[0] = kMax ? (v > m[0] ? v : m[0]) : (v < m[0] ? v : m[0]);
    nan[0] |= static_cast<uint32_t>(v != v);
  }
  uint32_t any_nan = 0;
  float r = m[0];
  for (int j = 0; j < 8; ++j) {
    any_nan |= nan[j];
    r = kMax ? (m[j] > r ? m[j] : r) : (m[j] < r ? m[j] : r);
  }
  return any_nan ? std::numeric_limits<float>::quiet_NaN() : r;
}
template <>
inline MaxTraits::Acc ReduceRun<MaxTraits>(const float* x, int64_t n) { return MaxMinRun<true>(x, n); }
template <>
inline MinTraits::Acc ReduceRun<MinTraits>(const float* x, int64_t n) { return MaxMinRun<false>(x, n); }

// out[k] = reduce(x[k*R .. k*R+R)) for k < K.
template <class Tr>
void ReduceRows(const float* x, int64_t K, int64_t R, float* out) {
  using Acc = typename Tr::Acc;
  if (K * R <= kGrain) {
    for (int64_t k = 0; k < K; ++k) out[k] = Tr::Final(ReduceRun<Tr>(x + k * R, R), R);
    return;
  }
  if (K >= 8) {
    ParallelFor(K, R >= kGrain ? 1 : kGrain / R, [&](int64_t k0, int64_t k1) {
      for (int64_t k = k0; k < k1; ++k) out[k] = Tr::Final(ReduceRun<Tr>(x + k * R, R), R);
    });
    return;
  }
  // Few long rows: split each row into chunks, combine the partials in order.
  const int64_t chunks = std::min<int64_t>(kMaxChunks, (R + kGrain - 1) / kGrain);
  const int64_t len = (R + chunks - 1) / chunks;
  std::vector<Acc> part(chunks);
  for (int64_t k = 0; k < K; ++k) {
    const float* row = x + k * R;
    RunTasks(chunks, [&](int64_t c) {
      const int64_t b = c * len, e = std::min(R, b + len);
      part[c] = b < e ? ReduceRun<Tr>(row + b, e - b) : Tr::Init();
    });
    Acc a = part[0];
    for (int64_t c = 1; c < chunks; ++c) a = Tr::Combine(a, part[c]);
    out[k] = Tr::Final(a, R);
  }
}

// acc[k] = step(acc[k], x[r*K + k]) for r in [r0, r1), k in [k0, k1).
template <class Tr>
void AccumulateCols(const float* x, int64_t K, int64_t r0, int64_t r1, int64_t k0, int64_t k1, typename Tr::Acc* acc) {
  for (int64_t r = r0; r < r1; ++r) {
    const float* row = x + r * K;
    for (int64_t k = k0; k < k1; ++k) acc[k] = Tr::Step(acc[k], row[k]);
  }
}

// out[k] = reduce over r of x[r*K + k].
template <class Tr>
void ReduceCols(const float* x, int64_t R, int64_t K, float* out) {
  using Acc = typename Tr::Acc;
  const int64_t total = R * K;
  if (total <= kGrain || K >= 4096) {
    // Sequential, or split over columns (each task walks every row on its slice).
    auto cols = [&](int64_t k0, int64_t k1) {
      std::vector<Acc> acc(k1 - k0, Tr::Init());
      AccumulateCols<Tr>(x + k0, K, 0, R, 0, k1 - k0, acc.data());
      for (int64_t k = k0; k < k1; ++k) out[k] = Tr::Final(acc[k - k0], R);
    };
    if (total <= kGrain) cols(0, K);
    else ParallelFor(K, std::max<int64_t>(256, kGrain / R), cols);
    return;
  }
  // Many rows, few columns: each chunk of rows accumulates its own partial columns.
  const int64_t chunks = std::min<int64_t>(kMaxChunks, (total + kGrain - 1) / kGrain);
  const int64_t len = (R + chunks - 1) / chunks;
  std::vector<Acc> part(chunks * K, Tr::Init());
  RunTasks(chunks, [&](int64_t c) {
    const int64_t b = c * len, e = std::min(R, b + len);
    if (b < e) AccumulateCols<Tr>(x, K, b, e, 0, K, part.data() + c * K);
  });
  for (int64_t k = 0; k < K; ++k) {
    Acc a = part[k];
    for (int64_t c = 1; c < chunks; ++c) a = Tr::Combine(a, part[c * K + k]);
    out[k] = Tr::Final(a, R);
  }
}

}  // namespace reduce_detail

// Reduces x (of `shape`) over the dims flagged in `reduced` into out (the kept dims, in order).
template <class Tr>
void ReduceImpl(const float* x, const Shape& shape, const std::vector<bool>& reduced, float* out) {
  using namespace reduce_detail;
  int64_t out_n = 1, red_n = 1;
  for (size_t i = 0; i < shape.size(); ++i) (reduced[i] ? red_n : out_n) *= shape[i];
  if (out_n == 0) return;
  if (red_n == 0) {
    for (int64_t k = 0; k < out_n; ++k) out[k] = Tr::Final(Tr::Init(), 0);
    return;
  }
  // Groups of neighbouring dims with the same flag, size-1 dims dropped.
  std::vector<int64_t> gsize;
  std::vector<bool> gred;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] == 1) continue;
    if (!gred.empty() && gred.back() == reduced[i]) gsize.back() *= shape[i];
    else {
      gsize.push_back(shape[i]);
      gred.push_back(reduced[i]);
    }
  }
  if (gsize.empty() || (gsize.size() == 1 && !gred[0])) {  // nothing reduced: [K] with R = 1
    ReduceRows<Tr>(x, out_n, 1, out);
    return;
  }
  if (gsize.size() == 1) {  // [R]
    ReduceRows<Tr>(x, 1, red_n, out);
    return;
  }
  if (gsize.size() == 2) {
    if (gred[1]) ReduceRows<Tr>(x, gsize[0], gsize[1], out);  // [K, R]
    else ReduceCols<Tr>(x, gsize[0], gsize[1], out);           // [R, K]
    return;
  }
  // Mixed: transpose to [kept..., reduced...] first.
  std::vector<int64_t> perm;
  for (size_t g = 0; g < gsize.size(); ++g) if (!gred[g]) perm.push_back(static_cast<int64_t>(g));
  for (size_t g = 0; g < gsize.size(); ++g) if (gred[g]) perm.push_back(static_cast<int64_t>(g));
  std::vector<float> tmp(static_cast<size_t>(out_n * red_n));
  TransposeImpl(x, Shape(gsize.begin(), gsize.end()), perm, tmp.data());
  ReduceRows<Tr>(tmp.data(), out_n, red_n, out);
}

// N-API entry: (x: Float32Array, shape: number[], axes: number[], out: Float32Array).
// Axes may be negative (counted from the end) and repeat, as tfjs allows.
template <class Tr>
Napi::Value RunReduce(const Napi::CallbackInfo& info, const char* name) {
  if (info.Length() != 4) Fail(info.Env(), name, "expects (x, shape, axes, out), got " + std::to_string(info.Length()) + " arguments");
  Shape shape = ArgShape(info, 1, name, "shape");
  F32 x = FastF32(info, 0, name, "x");
  if (x.size != NumElements(shape)) {
    Fail(info.Env(), name, "'x' has " + std::to_string(x.size) + " elements but shape " + ShapeStr(shape) + " needs " +
                               std::to_string(NumElements(shape)));
  }
  if (!info[2].IsArray()) Fail(info.Env(), name, "argument 'axes' must be an array of integers");
  auto arr = info[2].As<Napi::Array>();
  const int64_t rank = static_cast<int64_t>(shape.size());
  std::vector<bool> reduced(shape.size(), false);
  for (uint32_t i = 0; i < arr.Length(); ++i) {
    Napi::Value v = arr.Get(i);
    const double d = v.IsNumber() ? v.As<Napi::Number>().DoubleValue() : 0.5;
    if (d != static_cast<double>(static_cast<int64_t>(d)) || d < -rank || d >= rank) {
      Fail(info.Env(), name, "axis " + (v.IsNumber() ? std::to_string(d) : std::string("(not a number)")) +
                                 " is out of range for shape " + ShapeStr(shape));
    }
    const int64_t a = static_cast<int64_t>(d);
    reduced[a < 0 ? a + rank : a] = true;
  }
  F32 out = FastF32(info, 3, name, "out");
  int64_t out_n = 1;
  for (size_t i = 0; i < shape.size(); ++i) if (!reduced[i]) out_n *= shape[i];
  if (out.size != out_n) {
    Fail(info.Env(), name, "out has " + std::to_string(out.size) + " elements but reducing " + ShapeStr(shape) +
                               " leaves " + std::to_string(out_n));
  }
  ReduceImpl<Tr>(x.data, shape, reduced, out.data);
  return info.Env().Undefined();
}

}  // namespace tsgan
