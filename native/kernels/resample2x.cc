// 2x resampling of NHWC images for StyleGAN2 (src/nn/stylegan_ops.ts: upsample2x, downsample2x),
// with the gradients. Not tfjs kernels: src/nn/stylegan_fused.ts calls them from tf.customGrad ops
// whose reference paths (a broadcast multiply, a reshape + mean) stay beside them.
// Up2x(out, x, N, H, W, C): nearest, x [N,H,W,C] -> out [N,2H,2W,C]
// Up2xGrad(dx, dy, N, H, W, C): dy [N,2H,2W,C] -> dx [N,H,W,C], the sum of each 2x2 block
// Down2x(out, x, N, H, W, C): 2x2 box mean, x [N,H,W,C] (H, W even) -> out [N,H/2,W/2,C]
// Down2xGrad(dx, dy, N, H, W, C): dy [N,H/2,W/2,C] -> dx [N,H,W,C], each value / 4 over its block
#include <algorithm>
#include <string>

#include "common.h"
#include "registry.h"
#include "thread_pool.h"

namespace tsgan {
namespace {

struct Img {
  int64_t n, h, w, c;
};

// (big, small): the element counts of the large and the small image of the pair.
Img ArgImg(const Napi::CallbackInfo& info, const char* op, bool small_given_even) {
  Img g{ArgInt(info, 2, op, "N"), ArgInt(info, 3, op, "H"), ArgInt(info, 4, op, "W"), ArgInt(info, 5, op, "C")};
  if (g.n < 1 || g.h < 1 || g.w < 1 || g.c < 1) Fail(info.Env(), op, "N, H, W and C must be positive");
  if (small_given_even && (g.h % 2 || g.w % 2)) Fail(info.Env(), op, "H and W must be even");
  return g;
}

// out[n, 2i+a, 2j+b, c] = x[n, i, j, c] * scale  (x is the small image [N, h, w, C])
void Spread(float* out, const float* x, int64_t N, int64_t h, int64_t w, int64_t C, float scale) {
  ParallelFor(N * h, std::max<int64_t>(1, 16384 / (w * C * 4)), [&](int64_t b, int64_t e) {
    const float k = scale;  // a local copy: a captured float reference could alias the output
    for (int64_t r = b; r < e; ++r) {
      const float* __restrict xr = x + r * w * C;
      float* __restrict o0 = out + r * 2 * (2 * w * C);
      float* __restrict o1 = o0 + 2 * w * C;
      for (int64_t j = 0; j < w; ++j) {
        const float* __restrict v = xr + j * C;
        float* __restrict a = o0 + 2 * j * C;
        float* __restrict bb = o1 + 2 * j * C;
        for (int64_t c = 0; c < C; ++c) {
          const float y = v[c] * k;
          a[c] = y;
          a[C + c] = y;
          bb[c] = y;
          bb[C + c] = y;
        }
      }
    }
  });
}

// out[n, i, j, c] = (sum of the 2x2 block of x) * scale  (x is the large image [N, 2h, 2w, C])
void Gather(float* out, const float* x, int64_t N, int64_t h, int64_t w, int64_t C, float scale) {
  ParallelFor(N * h, std::max<int64_t>(1, 16384 / (w * C * 4)), [&](int64_t b, int64_t e) {
    const float k = scale;  // a local copy (see Spread)
    for (int64_t r = b; r < e; ++r) {
      const float* __restrict x0 = x + r * 2 * (2 * w * C);
      const float* __restrict x1 = x0 + 2 * w * C;
      float* __restrict o = out + r * w * C;
      for (int64_t j = 0; j < w; ++j) {
        const float* __restrict a = x0 + 2 * j * C;
        const float* __restrict bb = x1 + 2 * j * C;
        float* __restrict oj = o + j * C;
        for (int64_t c = 0; c < C; ++c) oj[c] = (((a[c] + a[C + c]) + bb[c]) + bb[C + c]) * k;
      }
    }
  });
}

void CheckSizes(const Napi::CallbackInfo& info, const char* op, const F32& out, const F32& in, int64_t nout,
                int64_t nin) {
  if (out.size != nout || in.size != nin)
    Fail(info.Env(), op, "sizes do not match: out " + std::to_string(out.size) + " (expected " +
                             std::to_string(nout) + "), in " + std::to_string(in.size) + " (expected " +
                             std::to_string(nin) + ")");
}

Napi::Value Up2x(const Napi::CallbackInfo& info) {
  const char* op = "Up2x";
  F32 out = ArgF32(info, 0, op, "out"), x = ArgF32(info, 1, op, "x");
  const Img g = ArgImg(info, op, false);
  const int64_t small = g.n * g.h * g.w * g.c;
  CheckSizes(info, op, out, x, 4 * small, small);
  Spread(out.data, x.data, g.n, g.h, g.w, g.c, 1.0f);
  return info.Env().Undefined();
}

Napi::Value Up2xGrad(const Napi::CallbackInfo& info) {
  const char* op = "Up2xGrad";
  F32 dx = ArgF32(info, 0, op, "dx"), dy = ArgF32(info, 1, op, "dy");
  const Img g = ArgImg(info, op, false);
  const int64_t small = g.n * g.h * g.w * g.c;
  CheckSizes(info, op, dx, dy, small, 4 * small);
  Gather(dx.data, dy.data, g.n, g.h, g.w, g.c, 1.0f);
  return info.Env().Undefined();
}

Napi::Value Down2x(const Napi::CallbackInfo& info) {
  const char* op = "Down2x";
  F32 out = ArgF32(info, 0, op, "out"), x = ArgF32(info, 1, op, "x");
  const Img g = ArgImg(info, op, true);
  const int64_t big = g.n * g.h * g.w * g.c;
  CheckSizes(info, op, out, x, big / 4, big);
  Gather(out.data, x.data, g.n, g.h / 2, g.w / 2, g.c, 0.25f);
  return info.Env().Undefined();
}

Napi::Value Down2xGrad(const Napi::CallbackInfo& info) {
  const char* op = "Down2xGrad";
  F32 dx = ArgF32(info, 0, op, "dx"), dy = ArgF32(info, 1, op, "dy");
  const Img g = ArgImg(info, op, true);
  const int64_t big = g.n * g.h * g.w * g.c;
  CheckSizes(info, op, dx, dy, big, big / 4);
  Spread(dx.data, dy.data, g.n, g.h / 2, g.w / 2, g.c, 0.25f);
  return info.Env().Undefined();
}

}  // namespace
}  // namespace tsgan

TSGAN_REGISTER_KERNEL(Up2x, tsgan::Up2x);
TSGAN_REGISTER_KERNEL(Up2xGrad, tsgan::Up2xGrad);
TSGAN_REGISTER_KERNEL(Down2x, tsgan::Down2x);
TSGAN_REGISTER_KERNEL(Down2xGrad, tsgan::Down2xGrad);
