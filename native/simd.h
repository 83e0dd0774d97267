// Runtime SIMD dispatch. Kernels keep a portable C++ path and, where it pays, an AVX2+FMA path in a
// *_avx2.cc file (compiled with -mavx2 -mfma). ActiveSimd() picks once per process:
// AVX2 when the CPU has AVX2 and FMA, unless TSGAN_SIMD=portable forces the portable path.
// A NEON path would slot in beside AVX2 the same way.
#pragma once

namespace tsgan {

enum class SimdPath { kPortable = 0, kAvx2Fma = 1 };

SimdPath ActiveSimd();
const char* SimdName(SimdPath path);
inline bool UseAvx2() { return ActiveSimd() == SimdPath::kAvx2Fma; }

// Whether the SGEMM runs its AVX-512 micro-kernels (gemm_avx512.cc): on the AVX2 path, when the CPU
// (and the OS) has AVX-512F, unless TSGAN_AVX512=0 in the environment (then the AVX2 kernel: the
// reference for comparisons). Only the GEMM's register kernel changes; everything else stays AVX2.
bool UseAvx512Gemm();
// "avx512", "avx2" or "portable": which micro-kernel the SGEMM runs (for `tsgan doctor` and tests).
const char* GemmKernelName();

}  // namespace tsgan
