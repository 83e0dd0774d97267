// Convolutions with few output channels and a large patch: the RGB output layer of a generator
// (SRResNet's 9x9 convolution of 64 channels to 3 at full resolution; CycleGAN's 7x7 one). As a GEMM
// that is im2col(x) [pixels x patch] by the filter [patch x 3]: a 3-column right operand fills 3 of
// the micro-kernel's 16 columns, and the patches are packed at 13x the size of x. Here instead:
//   forward         each output pixel is a dot product of the rows of x under the filter (contiguous
//                   runs of kW x inC values) with the filter, four pixels and all outputs at a time;
//   input gradient  a stride-1 convolution of dy (3 channels) with the filter rotated by 180 degrees
//                   and its channels swapped, which the im2col GEMM runs well (depth kH x kW x 3,
//                   inC columns) instead of a depth-3 GEMM and a scatter of the patch-sized rows.
//   filter gradient for each output row, each filter row and each run of 32 patch values, the
//                   outer products of x's runs with dy's few channels summed over the row's pixels
//                   in registers (x padded once at its left and right edges, so every pixel's run is
//                   whole), into per-task partial sums added at the end.
// im2col + SGEMM (conv_util.h) stays the reference path; the parity tests compare both with tfjs's cpu
// kernels.
#pragma once
#include <cstdint>

#include "conv_util.h"

namespace tsgan {

constexpr int64_t kNarrowMaxOut = 4;  // output channels at most this

// Whether the forward convolution takes the direct path: stride 1, dilation 1, at most 4 output
// channels, a patch of at least 64 values. TSGAN_NARROW_CONV=0 in the environment turns it off.
bool NarrowConvPays(const ConvGeom& g);
// Whether the input gradient of a convolution of this geometry is better run as a flipped
// convolution: stride 1, dilation 1, at most 8 output channels, a filter larger than 1x1.
bool NarrowBackpropInputPays(const ConvGeom& g);

// y = conv2d(x, w) with the epilogue fused (as ConvForward).
void NarrowConvForward(const float* x, const float* w, float* y, const ConvGeom& g, const GemmEpilogue* ep);

// dx = the gradient of conv2d(x, w) with respect to x, given dy (as Conv2DBackpropInput).
void NarrowConvBackpropInput(const float* dy, const float* w, float* dx, const ConvGeom& g);

// Whether the filter gradient takes the direct path (the forward's conditions).
inline bool NarrowBackpropFilterPays(const ConvGeom& g) { return NarrowConvPays(g); }

// dw = the gradient of conv2d(x, w) with respect to w, given dy (as Conv2DBackpropFilter).
void NarrowConvBackpropFilter(const float* x, const float* dy, float* dw, const ConvGeom& g);

namespace narrow {
// Output pixels [ow0, ow1) of row oh of image n, every output channel, from wt = the filter as
// [outC][kH][kW][inC] (one kind per instruction set: narrow_conv.cc, narrow_conv_avx2.cc).
using RowFn = void (*)(const float* x, const float* wt, float* y, const ConvGeom& g, int64_t n, int64_t oh);
RowFn PortableRow();
RowFn Avx2Row();  // call only when UseAvx2()

// acc[c][kh][j] += sum over pixels ow of xp_row(kh)[ow*inC + j] * dy_row[ow*outC + c] for output row
// (n, oh), where xp is x padded to padded_w columns starting pad_left columns to the left.
using FilterRowFn = void (*)(const float* xp, int64_t padded_w, const float* dy, float* acc, const ConvGeom& g,
                             int64_t n, int64_t oh);
FilterRowFn PortableFilterRow();
FilterRowFn Avx2FilterRow();  // call only when UseAvx2()
}  // namespace narrow

}  // namespace tsgan
