#include "simd.h"

#include <cstdlib>
#include <cstring>

namespace tsgan {
namespace {

SimdPath Detect() {
  const char* force = std::getenv("TSGAN_SIMD");
  if (force != nullptr && std::strcmp(force, "portable") == 0) return SimdPath::kPortable;
#if defined(__x86_64__) || defined(__i386__)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return SimdPath::kAvx2Fma;
#endif
  return SimdPath::kPortable;
}

}  // namespace

SimdPath ActiveSimd() {
  static const SimdPath path = Detect();
  return path;
}

bool UseAvx512Gemm() {
  static const bool on = [] {
    if (!UseAvx2()) return false;
    const char* v = std::getenv("TSGAN_AVX512");
    if (v != nullptr && std::strcmp(v, "0") == 0) return false;
#if defined(__x86_64__)
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") != 0;
#else
    return false;
#endif
  }();
  return on;
}

const char* GemmKernelName() { return UseAvx512Gemm() ? "avx512" : UseAvx2() ? "avx2" : "portable"; }

const char* SimdName(SimdPath path) {
  switch (path) {
    case SimdPath::kAvx2Fma: return "avx2+fma";
    default: return "portable";
  }
}

}  // namespace tsgan
