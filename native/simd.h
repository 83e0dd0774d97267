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

}  // namespace tsgan
