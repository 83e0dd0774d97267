// narrow_conv.h: the drivers and the portable row loop; the AVX2+FMA row loop is in narrow_conv_avx2.cc.
#include "narrow_conv.h"

#include <algorithm>
#include <cstdlib>
#include <string>
#include <vector>

#include "simd.h"
#include "thread_pool.h"

namespace tsgan {
namespace {

bool Enabled() {
  static const bool enabled = [] {
    const char* v = std::getenv("TSGAN_NARROW_CONV");
    return v == nullptr || std::string(v) != "0";
  }();
  return enabled;
}

// The portable row: one pixel at a time, the filter columns that fall inside x.
void RowPortable(const float* x, const float* wt, float* y, const ConvGeom& g, int64_t n, int64_t oh) {
  const int64_t ci = g.in_c, co = g.out_c, tap_row = g.k_w * ci;
  const float* img = x + n * g.in_h * g.in_w * ci;
  for (int64_t ow = 0; ow < g.out_w; ++ow) {
    float acc[kNarrowMaxOut] = {0.f, 0.f, 0.f, 0.f};
    const int64_t iw0 = ow - g.pad_left;
    const int64_t kw0 = std::max<int64_t>(0, -iw0), kw1 = std::min<int64_t>(g.k_w, g.in_w - iw0);
    for (int64_t kh = 0; kh < g.k_h && kw0 < kw1; ++kh) {
      const int64_t ih = oh - g.pad_top + kh;
      if (ih < 0 || ih >= g.in_h) continue;
      const float* seg = img + (ih * g.in_w + iw0 + kw0) * ci;
      const int64_t len = (kw1 - kw0) * ci;
      for (int64_t c = 0; c < co; ++c) {
        const float* wseg = wt + (c * g.k_h + kh) * tap_row + kw0 * ci;
        float s = 0.f;
        for (int64_t i = 0; i < len; ++i) s += seg[i] * wseg[i];
        acc[c] += s;
      }
    }
    float* out = y + ((n * g.out_h + oh) * g.out_w + ow) * co;
    for (int64_t c = 0; c < co; ++c) out[c] = acc[c];
  }
}

void FilterRowPortable(const float* xp, int64_t padded_w, const float* dy, float* acc, const ConvGeom& g, int64_t n,
                       int64_t oh) {
  const int64_t ci = g.in_c, co = g.out_c, tap_row = g.k_w * ci;
  const float* dy_row = dy + (n * g.out_h + oh) * g.out_w * co;
  for (int64_t kh = 0; kh < g.k_h; ++kh) {
    const int64_t ih = oh - g.pad_top + kh;
    if (ih < 0 || ih >= g.in_h) continue;
    const float* base = xp + (n * g.in_h + ih) * padded_w * ci;
    for (int64_t c = 0; c < co; ++c) {
      float* a = acc + (c * g.k_h + kh) * tap_row;
      for (int64_t ow = 0; ow < g.out_w; ++ow) {
        const float d = dy_row[ow * co + c];
        const float* run = base + ow * ci;
        for (int64_t j = 0; j < tap_row; ++j) a[j] += run[j] * d;
      }
    }
  }
}

}  // namespace

namespace narrow {
RowFn PortableRow() { return RowPortable; }
FilterRowFn PortableFilterRow() { return FilterRowPortable; }
}  // namespace narrow

bool NarrowConvPays(const ConvGeom& g) {
  return Enabled() && g.out_c >= 1 && g.out_c <= kNarrowMaxOut && g.stride_h == 1 && g.stride_w == 1 &&
         g.dil_h == 1 && g.dil_w == 1 && g.PatchSize() >= 64 && g.Pixels() >= 64;
}

bool NarrowBackpropInputPays(const ConvGeom& g) {
  return Enabled() && g.out_c >= 1 && g.out_c <= 8 && g.stride_h == 1 && g.stride_w == 1 && g.dil_h == 1 &&
         g.dil_w == 1 && g.k_h * g.k_w > 1 && g.in_c >= 8 && g.Pixels() >= 64;
}

void NarrowConvForward(const float* x, const float* w, float* y, const ConvGeom& g, const GemmEpilogue* ep) {
  const int64_t ci = g.in_c, co = g.out_c, taps = g.k_h * g.k_w;
  // wt[c][kh][kw][i] = w[kh][kw][i][c]: each output channel's filter contiguous, as x's rows are.
  std::vector<float> wt(static_cast<size_t>(co * taps * ci));
  for (int64_t t = 0; t < taps; ++t)
    for (int64_t i = 0; i < ci; ++i)
      for (int64_t c = 0; c < co; ++c) wt[static_cast<size_t>((c * taps + t) * ci + i)] = w[(t * ci + i) * co + c];
  const narrow::RowFn row = UseAvx2() ? narrow::Avx2Row() : narrow::PortableRow();
  const int64_t rows = g.batch * g.out_h;
  const int64_t threads = NumThreads();
  const int64_t per = std::max<int64_t>(1, (rows + 4 * threads - 1) / (4 * threads));
  const bool epilogue = ep != nullptr && ep->Active();
  RunTasks((rows + per - 1) / per, [&](int64_t task) {
    for (int64_t r = task * per; r < std::min(rows, (task + 1) * per); ++r) {
      row(x, wt.data(), y, g, r / g.out_h, r % g.out_h);
      if (epilogue) ApplyEpilogue(*ep, y + r * g.out_w * co, co, 1, g.out_w, co, 0);
    }
  });
}

void NarrowConvBackpropInput(const float* dy, const float* w, float* dx, const ConvGeom& g) {
  // dx[i] = sum over taps k of dy[i + pad - k] * w[k]: the convolution of dy, padded by k - 1 - pad,
  // with wf[kh][kw][c][i] = w[kH-1-kh][kW-1-kw][i][c]; its output has x's size.
  const int64_t ci = g.in_c, co = g.out_c, taps = g.k_h * g.k_w;
  std::vector<float> wf(static_cast<size_t>(taps * co * ci));
  for (int64_t t = 0; t < taps; ++t) {
    const int64_t src = taps - 1 - t;  // (kH-1-kh, kW-1-kw) in row-major tap order
    for (int64_t i = 0; i < ci; ++i)
      for (int64_t c = 0; c < co; ++c) wf[static_cast<size_t>((t * co + c) * ci + i)] = w[(src * ci + i) * co + c];
  }
  ConvGeom t = g;
  t.in_h = g.out_h;
  t.in_w = g.out_w;
  t.in_c = co;
  t.out_h = g.in_h;
  t.out_w = g.in_w;
  t.out_c = ci;
  t.pad_top = g.k_h - 1 - g.pad_top;
  t.pad_left = g.k_w - 1 - g.pad_left;
  ConvForward(dy, wf.data(), dx, t, nullptr);
}

void NarrowConvBackpropFilter(const float* x, const float* dy, float* dw, const ConvGeom& g) {
  const int64_t ci = g.in_c, co = g.out_c, tap_row = g.k_w * ci, taps = g.k_h * g.k_w;
  // x padded left and right so that every output pixel's filter width lies inside a row: column q of
  // a padded row is x's column q - pad_left (zero outside).
  const int64_t padded_w = g.out_w + g.k_w - 1;
  std::vector<float> xp(static_cast<size_t>(g.batch * g.in_h * padded_w * ci));
  const int64_t in_rows = g.batch * g.in_h;
  ParallelFor(in_rows, 8, [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) {
      float* dst = xp.data() + r * padded_w * ci;
      const float* src = x + r * g.in_w * ci;
      for (int64_t q = 0; q < padded_w; ++q) {
        const int64_t iw = q - g.pad_left;
        if (iw >= 0 && iw < g.in_w) {
          std::copy(src + iw * ci, src + (iw + 1) * ci, dst + q * ci);
        } else {
          std::fill(dst + q * ci, dst + (q + 1) * ci, 0.f);
        }
      }
    }
  });
  // One partial sum per task, laid out acc[c][kh][j] (j = kw*inC + i), then added in task order.
  const int64_t rows = g.batch * g.out_h;
  const int64_t tasks = std::max<int64_t>(1, std::min<int64_t>(rows, NumThreads()));
  const int64_t per = (rows + tasks - 1) / tasks;
  const int64_t acc_size = co * g.k_h * tap_row;
  std::vector<float> acc(static_cast<size_t>(tasks * acc_size), 0.f);
  const narrow::FilterRowFn row = UseAvx2() ? narrow::Avx2FilterRow() : narrow::PortableFilterRow();
  RunTasks(tasks, [&](int64_t t) {
    float* a = acc.data() + t * acc_size;
    for (int64_t r = t * per; r < std::min(rows, (t + 1) * per); ++r) row(xp.data(), padded_w, dy, a, g, r / g.out_h, r % g.out_h);
  });
  for (int64_t t = 1; t < tasks; ++t)
    for (int64_t e = 0; e < acc_size; ++e) acc[static_cast<size_t>(e)] += acc[static_cast<size_t>(t * acc_size + e)];
  // dw[kh][kw][i][c] = acc[c][kh][kw*inC + i].
  for (int64_t tap = 0; tap < taps; ++tap)
    for (int64_t i = 0; i < ci; ++i)
      for (int64_t c = 0; c < co; ++c)
        dw[(tap * ci + i) * co + c] = acc[static_cast<size_t>((c * taps + tap) * ci + i)];
}

}  // namespace tsgan
