// Numpy/tfjs broadcasting of two operands, reduced to the fewest dimensions: size-1 output
// dimensions are dropped and neighbours that both operands walk the same way are merged. The
// innermost merged dimension is then walked by a contiguous loop (vector-vector, scalar-vector or
// vector-scalar) and the outer ones by an odometer.
#pragma once
#include <cstdint>
#include <string>

#include "common.h"

namespace tsgan {

constexpr int kMaxBroadcastRank = 16;

struct BroadcastPlan {
  int rank = 0;                          // merged dimensions (0: a single element)
  int64_t dims[kMaxBroadcastRank] = {};  // merged output dimensions, outermost first
  int64_t a_stride[kMaxBroadcastRank] = {};  // element strides of a (0 where a is broadcast)
  int64_t b_stride[kMaxBroadcastRank] = {};
  Shape out_shape;                       // the full broadcast shape
};

// Fills `plan`; returns an empty string, or why the shapes do not broadcast.
inline std::string MakeBroadcastPlan(const Shape& a, const Shape& b, BroadcastPlan* plan) {
  const int ra = static_cast<int>(a.size()), rb = static_cast<int>(b.size());
  const int r = ra > rb ? ra : rb;
  if (r > kMaxBroadcastRank) return "rank above " + std::to_string(kMaxBroadcastRank);
  plan->out_shape.assign(r, 1);
  int64_t da[kMaxBroadcastRank], db[kMaxBroadcastRank];
  for (int i = 0; i < r; ++i) {
    da[i] = i < r - ra ? 1 : a[i - (r - ra)];
    db[i] = i < r - rb ? 1 : b[i - (r - rb)];
    if (da[i] != db[i] && da[i] != 1 && db[i] != 1) {
      return "dimension " + std::to_string(i) + " is " + std::to_string(da[i]) + " vs " + std::to_string(db[i]);
    }
    plan->out_shape[i] = da[i] == 1 ? db[i] : da[i];
  }
  // Natural strides, 0 where broadcast; then merge from the innermost dimension outwards.
  int64_t sa = 1, sb = 1;
  int n = 0;  // merged dims, stored innermost first for now
  int64_t dims[kMaxBroadcastRank], as[kMaxBroadcastRank], bs[kMaxBroadcastRank];
  for (int i = r - 1; i >= 0; --i) {
    const int64_t d = plan->out_shape[i];
    const int64_t stA = (da[i] == 1) ? 0 : sa, stB = (db[i] == 1) ? 0 : sb;
    sa *= da[i];
    sb *= db[i];
    if (d == 1) continue;
    if (n > 0) {
      const int k = n - 1;
      const bool merge_a = (stA == 0 && as[k] == 0) || (stA != 0 && as[k] != 0 && stA == as[k] * dims[k]);
      const bool merge_b = (stB == 0 && bs[k] == 0) || (stB != 0 && bs[k] != 0 && stB == bs[k] * dims[k]);
      if (merge_a && merge_b) {
        dims[k] *= d;
        continue;
      }
    }
    dims[n] = d;
    as[n] = stA;
    bs[n] = stB;
    ++n;
  }
  plan->rank = n;
  for (int i = 0; i < n; ++i) {
    plan->dims[i] = dims[n - 1 - i];
    plan->a_stride[i] = as[n - 1 - i];
    plan->b_stride[i] = bs[n - 1 - i];
  }
  return std::string();
}

}  // namespace tsgan
