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

const char* SimdName(SimdPath path) {
  switch (path) {
    case SimdPath::kAvx2Fma: return "avx2+fma";
    default: return "portable";
  }
}

}  // namespace tsgan
