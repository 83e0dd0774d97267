// Strided convolutions (DCGAN's, pix2pix's and the text-to-image networks' 4x4 stride-2 layers,
// CycleGAN's 3x3 stride-2 down-sampling) as an implicit GEMM: y [pixels x outC] = im2col(x) * filter,
// where the left operand is never packed. With dilation 1, the part of one output pixel's patch that
// lies under one filter row (kW x inC values) is a single contiguous run of x (NHWC), so the register
// kernel reads its six rows straight from x through six row pointers, one filter row at a time, and
// sums the kH filter rows in a 6-pixel tile of C that stays in L1. The im2col path packs every patch
// (for 4x4 stride 2, four copies of x; 17-22% of the forward's time at one thread with the AVX-512
// SGEMM), which this skips. Patches that hang over x's left or right edge are assembled in a small
// scratch row; rows in the top or bottom padding read a row of zeros.
// The filter is packed once (slivers of 16 output channels, as the SGEMM's), in column blocks that
// stay in L2 while the pixels stream past.
//
// AVX-512 only (implicit_conv_avx512.cc): it is taken where the SGEMM runs its AVX-512 kernels
// (UseAvx512Gemm); TSGAN_IMPLICIT_CONV=0 turns it off, and im2col + SGEMM (conv_util.h) stays the
// reference path that the parity tests compare both against.
#pragma once
#include <cstdint>

#include "conv_util.h"

namespace tsgan {

// Whether the forward convolution takes the implicit GEMM: a stride of 2 or more, dilation 1, a filter
// row of at least 32 values (kW x inC), at least 16 output channels and more output pixels than the
// skinny GEMM takes (gemm_skinny.h), on the AVX-512 SGEMM.
bool ImplicitConvPays(const ConvGeom& g);

// y = conv2d(x, w) with the epilogue fused (as ConvForward).
void ImplicitConvForward(const float* x, const float* w, float* y, const ConvGeom& g, const GemmEpilogue* ep);

namespace avx512 {
// C[0:6, 0:16*S] (row stride rs_c) = (or +=) sum over k < kc of rows[i][k] * B_s[k*16 + j], where
// B_0 = b0 and B_1 = b1 are packed slivers (kc x 16); S = 1 or 2. Only when UseAvx512Gemm().
void RowsKernel6x32(int64_t kc, const float* const* rows, const float* b0, const float* b1, float* c, int64_t rs_c,
                    bool accumulate);
void RowsKernel6x16(int64_t kc, const float* const* rows, const float* b0, float* c, int64_t rs_c, bool accumulate);
}  // namespace avx512

}  // namespace tsgan
