// Transposition of 4-byte elements, shared by the Transpose kernel and the reductions (which move
// reduced axes innermost, like tfjs cpu does, when they are not already grouped).
// The permutation is first simplified: size-1 dimensions are dropped and input dimensions that
// stay neighbours in the output are merged. What remains is a copy, a 2-D transpose (tiled), a
// batch of 2-D transposes (NHWC <-> NCHW) or a general walk with an odometer.
#pragma once
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "common.h"
#include "simd.h"
#include "thread_pool.h"

namespace tsgan {

// Returns an empty string if perm is a permutation of [0, rank), else why not.
inline std::string CheckPerm(const std::vector<int64_t>& perm, size_t rank) {
  if (perm.size() != rank) return "perm has " + std::to_string(perm.size()) + " entries for rank " + std::to_string(rank);
  std::vector<bool> seen(rank, false);
  for (int64_t p : perm) {
    if (p < 0 || p >= static_cast<int64_t>(rank) || seen[p]) return "perm is not a permutation of 0.." + std::to_string(rank) + "-1";
    seen[p] = true;
  }
  return std::string();
}

namespace avx2 {
// y[j * ldy + i] = x[i * ldx + j] for i in [i0, i1), j in [j0, j1): 8x8 register transposes, scalar
// edges (native/simd_avx2.cc; call only when UseAvx2()).
void TransposeTile(const uint32_t* x, int64_t ldx, uint32_t* y, int64_t ldy, int64_t i0, int64_t i1, int64_t j0, int64_t j1);
}  // namespace avx2

namespace transpose_detail {

constexpr int64_t kTile = 32;
constexpr int64_t kGrain = 1 << 15;  // elements per task

// y[b][j][i] = x[b][i][j] for x of shape [rows, cols], over batches [b0, b1) and row tiles.
template <class T>
void Transpose2D(const T* x, T* y, int64_t batch, int64_t rows, int64_t cols) {
  const int64_t row_tiles = (rows + kTile - 1) / kTile;
  const int64_t tasks = batch * row_tiles;
  const bool vec = UseAvx2();
  auto work = [&](int64_t t0, int64_t t1) {
    for (int64_t t = t0; t < t1; ++t) {
      const int64_t b = t / row_tiles, i0 = (t % row_tiles) * kTile;
      const int64_t i1 = std::min(rows, i0 + kTile);
      const T* xb = x + b * rows * cols;
      T* yb = y + b * rows * cols;
      for (int64_t j0 = 0; j0 < cols; j0 += kTile) {
        const int64_t j1 = std::min(cols, j0 + kTile);
        if (sizeof(T) == 4 && vec) {
          avx2::TransposeTile(reinterpret_cast<const uint32_t*>(xb), cols, reinterpret_cast<uint32_t*>(yb), rows, i0, i1, j0, j1);
          continue;
        }
        for (int64_t i = i0; i < i1; ++i) {
          const T* xr = xb + i * cols;
          for (int64_t j = j0; j < j1; ++j) yb[j * rows + i] = xr[j];
        }
      }
    }
  };
  const int64_t per_task = kTile * cols;
  const int64_t grain = per_task >= kGrain ? 1 : kGrain / per_task;
  if (tasks <= grain) work(0, tasks);
  else ParallelFor(tasks, grain, work);
}

}  // namespace transpose_detail

// y = transpose(x, perm), y's shape[i] = shape[perm[i]]. perm must be valid (see CheckPerm).
template <class T>
void TransposeImpl(const T* x, const Shape& shape, const std::vector<int64_t>& perm, T* y) {
  using namespace transpose_detail;
  const int64_t n = NumElements(shape);
  if (n == 0) return;
  // Drop size-1 dimensions: keep the output order of the others.
  std::vector<int64_t> old_to_new(shape.size(), -1);
  Shape dims;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] != 1) {
      old_to_new[i] = static_cast<int64_t>(dims.size());
      dims.push_back(shape[i]);
    }
  }
  std::vector<int64_t> p;
  for (int64_t q : perm) {
    if (old_to_new[q] >= 0) p.push_back(old_to_new[q]);
  }
  // Merge input dims that stay neighbours (p[j + 1] == p[j] + 1): groups of consecutive input dims.
  std::vector<std::vector<int64_t>> out_groups;  // in output order, each a run of input dims
  for (size_t j = 0; j < p.size(); ++j) {
    if (j > 0 && p[j] == p[j - 1] + 1) out_groups.back().push_back(p[j]);
    else out_groups.push_back({p[j]});
  }
  // Input order of the groups, with their sizes.
  std::vector<size_t> by_first(out_groups.size());
  for (size_t g = 0; g < by_first.size(); ++g) by_first[g] = g;
  std::sort(by_first.begin(), by_first.end(), [&](size_t a, size_t b) { return out_groups[a][0] < out_groups[b][0]; });
  const size_t r = out_groups.size();
  std::vector<int64_t> in_dims(r), cperm(r);  // collapsed input shape, collapsed perm
  std::vector<int64_t> in_pos(r);             // output group g -> input position
  for (size_t k = 0; k < r; ++k) {
    int64_t d = 1;
    for (int64_t q : out_groups[by_first[k]]) d *= dims[q];
    in_dims[k] = d;
    in_pos[by_first[k]] = static_cast<int64_t>(k);
  }
  for (size_t g = 0; g < r; ++g) cperm[g] = in_pos[g];
  bool identity = true;
  for (size_t g = 0; g < r; ++g) identity = identity && cperm[g] == static_cast<int64_t>(g);
  if (identity) {
    std::memcpy(y, x, sizeof(T) * n);
    return;
  }
  if (r == 2) {  // [A, B] -> [B, A]
    Transpose2D(x, y, 1, in_dims[0], in_dims[1]);
    return;
  }
  if (r == 3 && cperm[0] == 0 && cperm[1] == 2 && cperm[2] == 1) {  // [N, A, B] -> [N, B, A]
    Transpose2D(x, y, in_dims[0], in_dims[1], in_dims[2]);
    return;
  }
  // General: walk the output in order; the innermost output dim reads x with a fixed stride.
  std::vector<int64_t> in_stride(r);
  int64_t s = 1;
  for (size_t k = r; k-- > 0;) {
    in_stride[k] = s;
    s *= in_dims[k];
  }
  std::vector<int64_t> od(r), os(r);  // output dims and the input stride of each
  for (size_t g = 0; g < r; ++g) {
    od[g] = in_dims[cperm[g]];
    os[g] = in_stride[cperm[g]];
  }
  const int64_t inner = od[r - 1], inner_stride = os[r - 1];
  const int64_t rows = n / inner;
  auto work = [&](int64_t r0, int64_t r1) {
    std::vector<int64_t> idx(r, 0);
    int64_t off = 0, rem = r0;
    for (size_t g = r - 1; g-- > 0;) {
      idx[g] = rem % od[g];
      rem /= od[g];
      off += idx[g] * os[g];
    }
    for (int64_t row = r0; row < r1; ++row) {
      T* yr = y + row * inner;
      if (inner_stride == 1) {
        std::memcpy(yr, x + off, sizeof(T) * inner);
      } else {
        const T* xr = x + off;
        for (int64_t j = 0; j < inner; ++j) yr[j] = xr[j * inner_stride];
      }
      for (size_t g = r - 1; g-- > 0;) {
        off += os[g];
        if (++idx[g] < od[g]) break;
        off -= os[g] * od[g];
        idx[g] = 0;
      }
    }
  };
  const int64_t grain = inner >= kGrain ? 1 : kGrain / inner;
  if (rows <= grain) work(0, rows);
  else ParallelFor(rows, grain, work);
}

}  // namespace tsgan
