// Winograd convolution F(4x4, 3x3) (Lavin and Gray 2016, "Fast Algorithms for Convolutional Neural
// Networks") for the 3x3, stride-1, dilation-1 convolutions that dominate residual networks (SRResNet,
// CycleGAN's ResNet blocks, StyleGAN2's synthesis layers): each 4x4 output tile costs 36 multiplies
// per (input, output) channel pair instead of 144, done as 36 GEMMs over tiles x channels.
//
// With 6x6 input tiles d, 3x3 filters g and 4x4 output tiles:
//   forward          Y  = A^T [ (G g G^T) (.) (B^T d B) ] A
//   filter gradient  dW = G^T [ sum over tiles (B^T d B) (.) (A dY A^T) ] G     (the adjoint of the above)
//   input gradient   a forward convolution of dY with the filter flipped and its channels swapped.
// Points 0, +-1, +-2 and infinity; the matrices are the ones of Lavin and Gray's F(4, 3).
//
// The im2col + SGEMM path of conv_util.h stays the reference: the parity tests compare both with
// tfjs's cpu kernels, and `WinogradPays` decides which one a convolution takes. Transforms have a
// portable and an AVX2+FMA build (winograd_impl.h compiled twice, as gemm_skinny does).
#pragma once
#include <cstdint>

#include "conv_util.h"
#include "implicit_conv.h"
#include "narrow_conv.h"

namespace tsgan {

// Whether a convolution of this geometry takes the Winograd path: 3x3, stride 1, dilation 1, enough
// channels that the transforms are cheap next to the GEMMs. Any padding works (tiles read zeros
// outside x and write only the outputs that exist). TSGAN_WINOGRAD=0 in the environment turns the
// path off (every convolution then takes im2col + SGEMM), for comparisons.
// The forward pass (and the input gradient, a forward pass too) transforms the whole filter first:
// it needs at least 32 output tiles of 4x4 to pay for that; the filter gradient at least 16.
// Few tiles (4 to 128; small maps at small batches) take drivers of their own, which transform the
// filter in blocks that stay in cache instead of whole (TSGAN_WINOGRAD_SMALL=0 turns them off).
// WinogradPaysInput decides for the input gradient of the convolution g.
bool WinogradPays(const ConvGeom& g);
bool WinogradPaysInput(const ConvGeom& g);
bool WinogradPaysFilter(const ConvGeom& g);

// y = conv2d(x, w) with the epilogue fused (as ConvForward). w is [3, 3, inC, outC] as stored; when
// flipped_swapped, w is instead the filter [3, 3, outC, inC] of the convolution this one is the input
// gradient of, read rotated by 180 degrees with its channels swapped.
void WinogradForward(const float* x, const float* w, float* y, const ConvGeom& g, const GemmEpilogue* ep,
                     bool flipped_swapped);

// dx = the gradient of conv2d(x, w) with respect to x, given dy (as Conv2DBackpropInput).
void WinogradBackpropInput(const float* dy, const float* w, float* dx, const ConvGeom& g);

// dw = the gradient of conv2d(x, w) with respect to w, given dy (as Conv2DBackpropFilter).
void WinogradBackpropFilter(const float* x, const float* dy, float* dw, const ConvGeom& g);

// The forward convolution by whichever path pays (the kernels Conv2D and FusedConv2D): Winograd,
// the direct loop for few output channels (narrow_conv.h), the implicit GEMM of strided convolutions
// (implicit_conv.h), or im2col + SGEMM.
inline void ConvForwardAny(const float* x, const float* w, float* y, const ConvGeom& g, const GemmEpilogue* ep) {
  if (WinogradPays(g)) {
    WinogradForward(x, w, y, g, ep, false);
  } else if (NarrowConvPays(g)) {
    NarrowConvForward(x, w, y, g, ep);
  } else if (ImplicitConvPays(g)) {
    ImplicitConvForward(x, w, y, g, ep);
  } else {
    ConvForward(x, w, y, g, ep);
  }
}

namespace winograd {
// The per-tile transforms over a run of `len` channels (contiguous in memory), one set per
// instruction set (winograd.cc portable, winograd_avx2.cc).
struct Ops {
  // 6x6 input tile -> B^T d B. in[r*6 + c]: a pointer to the channels of tile element (r, c), or null
  // for a zero (padding); out[p]: where position p's channels go.
  void (*input)(const float* const* in, float* const* out, int64_t len);
  // 6x6 -> 4x4 output tile A^T m A. in[p]: position p's channels; out[r*4 + c]: the output pixel, or null
  // when it lies outside the output.
  void (*output)(const float* const* in, float* const* out, int64_t len);
  // 3x3 filter -> 6x6 G g G^T. in[kh*3 + kw]: that tap's channels; out[p].
  void (*filter)(const float* const* in, float* const* out, int64_t len);
  // 4x4 gradient tile -> 6x6 A e A^T. in[r*4 + c] (null: zero); out[p].
  void (*grad_output)(const float* const* in, float* const* out, int64_t len);
  // 6x6 -> 3x3 filter gradient G^T s G. in[p]; out[kh*3 + kw].
  void (*grad_filter)(const float* const* in, float* const* out, int64_t len);
  // filter and grad_output for exactly 16 channels (one GEMM sliver).
  void (*filter16)(const float* const* in, float* const* out);
  void (*grad_output16)(const float* const* in, float* const* out);
};
const Ops& Portable();
const Ops& Avx2();  // call only when UseAvx2()
}  // namespace winograd

}  // namespace tsgan
