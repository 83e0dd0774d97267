// SGEMM driver (see gemm.h): packing of strided operands, the blocked loop nest around the 6x16
// micro-kernel (AVX-512, AVX2+FMA or portable; with AVX-512, pairs of slivers go to its 6x32 kernel), the fused epilogue, and the split over the thread pool.
#include "gemm.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstdint>
#include <cstring>
#include <limits>
#include <new>
#include <vector>

#include "simd.h"
#include "thread_pool.h"

namespace tsgan {
namespace {

constexpr int64_t MR = kGemmMR;
constexpr int64_t NR = kGemmNR;

// Portable micro-kernel: same contract as avx2::GemmKernel6x16 (and, with lda > 0, as
// GemmKernel6x16T: A read transposed in place); the j loop vectorises with SSE.
void PortableKernel6x16Any(int64_t kc, const float* a, int64_t lda, const float* b, float* c, int64_t rs_c,
                           bool accumulate) {
  const int64_t rs_a = lda > 0 ? 1 : kc, ks = lda > 0 ? lda : 1;
  float t[MR][NR] = {};
  for (int64_t k = 0; k < kc; ++k) {
    const float* bk = b + k * NR;
    for (int64_t i = 0; i < MR; ++i) {
      const float ai = a[i * rs_a + k * ks];
      for (int64_t j = 0; j < NR; ++j) t[i][j] += ai * bk[j];
    }
  }
  for (int64_t i = 0; i < MR; ++i) {
    float* ci = c + i * rs_c;
    if (accumulate) {
      for (int64_t j = 0; j < NR; ++j) ci[j] += t[i][j];
    } else {
      for (int64_t j = 0; j < NR; ++j) ci[j] = t[i][j];
    }
  }
}

void PortableKernel6x16(int64_t kc, const float* a, const float* b, float* c, int64_t rs_c, bool accumulate) {
  PortableKernel6x16Any(kc, a, 0, b, c, rs_c, accumulate);
}
void PortableKernel6x16T(int64_t kc, const float* a, int64_t lda, const float* b, float* c, int64_t rs_c,
                         bool accumulate) {
  PortableKernel6x16Any(kc, a, lda, b, c, rs_c, accumulate);
}

using KernelFn = void (*)(int64_t, const float*, const float*, float*, int64_t, bool);
using KernelTFn = void (*)(int64_t, const float*, int64_t, const float*, float*, int64_t, bool);

KernelTFn PickKernelT() {
  return UseAvx512Gemm() ? &avx512::GemmKernel6x16T : UseAvx2() ? &avx2::GemmKernel6x16T : &PortableKernel6x16T;
}

KernelFn PickKernel() {
  return UseAvx512Gemm() ? &avx512::GemmKernel6x16 : UseAvx2() ? &avx2::GemmKernel6x16 : &PortableKernel6x16;
}

inline float Act(const GemmEpilogue& ep, float v, int64_t j) {
  switch (ep.act) {
    case Activation::kLinear: return v;
    // NaN passes through relu and relu6, as in tfjs (Math.max(0, NaN) is NaN).
    case Activation::kRelu: return v < 0.f ? 0.f : v;
    case Activation::kRelu6: return v < 0.f ? 0.f : (v > 6.f ? 6.f : v);
    case Activation::kLeakyRelu: return v < 0.f ? ep.alpha * v : v;
    case Activation::kPrelu: return v < 0.f ? (ep.prelu_scalar ? ep.prelu[0] : ep.prelu[j]) * v : v;
    case Activation::kElu: return v >= 0.f ? v : std::exp(v) - 1.f;
    case Activation::kSigmoid: return 1.f / (1.f + std::exp(-v));
    case Activation::kTanh: return std::tanh(v);
  }
  return v;
}

}  // namespace

// (Aligned so that the micro-kernel's 32-byte loads of packed B never straddle two cache lines.)
float* AlignedScratch(std::vector<float>& v, int64_t n) {
  if (static_cast<int64_t>(v.size()) < n + 16) v.resize(static_cast<size_t>(n + 16));
  const uintptr_t p = reinterpret_cast<uintptr_t>(v.data());
  return reinterpret_cast<float*>((p + 63) & ~static_cast<uintptr_t>(63));
}

bool ParseActivation(const char* name, Activation* out) {
  struct Entry { const char* name; Activation act; };
  static const Entry kTable[] = {
      {"linear", Activation::kLinear}, {"relu", Activation::kRelu},       {"relu6", Activation::kRelu6},
      {"leakyrelu", Activation::kLeakyRelu}, {"prelu", Activation::kPrelu}, {"elu", Activation::kElu},
      {"sigmoid", Activation::kSigmoid}, {"tanh", Activation::kTanh},
  };
  for (const Entry& e : kTable) {
    if (std::strcmp(e.name, name) == 0) {
      *out = e.act;
      return true;
    }
  }
  return false;
}

void ApplyEpilogue(const GemmEpilogue& ep, float* c, int64_t rs_c, int64_t cs_c, int64_t rows, int64_t cols,
                   int64_t j0) {
  if (!ep.Active()) return;
  for (int64_t i = 0; i < rows; ++i) {
    float* row = c + i * rs_c;
    if (cs_c == 1) {
      if (ep.bias != nullptr) {
        if (ep.bias_scalar) {
          const float b = ep.bias[0];
          for (int64_t j = 0; j < cols; ++j) row[j] += b;
        } else {
          const float* b = ep.bias + j0;
          for (int64_t j = 0; j < cols; ++j) row[j] += b[j];
        }
      }
      switch (ep.act) {
        case Activation::kLinear: break;
        case Activation::kRelu:
          for (int64_t j = 0; j < cols; ++j) row[j] = row[j] < 0.f ? 0.f : row[j];
          break;
        case Activation::kLeakyRelu: {
          const float a = ep.alpha;
          for (int64_t j = 0; j < cols; ++j) row[j] = row[j] < 0.f ? a * row[j] : row[j];
          break;
        }
        default:
          for (int64_t j = 0; j < cols; ++j) row[j] = Act(ep, row[j], j0 + j);
      }
    } else {
      for (int64_t j = 0; j < cols; ++j) {
        float v = row[j * cs_c];
        if (ep.bias != nullptr) v += ep.bias_scalar ? ep.bias[0] : ep.bias[j0 + j];
        row[j * cs_c] = Act(ep, v, j0 + j);
      }
    }
  }
}

void StridedPackA::Pack(int64_t i0, int64_t mc, int64_t k0, int64_t kc, float* dst) const {
  const int64_t rs = m_.rs, cs = m_.cs;
  const int64_t panels = (mc + MR - 1) / MR;
  if (rs == 1 && cs != 1) {
    // A stored transposed: the MR values of one depth step are contiguous; read them together.
    for (int64_t p = 0; p < panels; ++p) {
      const int64_t mr = std::min(MR, mc - p * MR);
      float* d = dst + p * MR * kc;
      if (mr < MR) std::memset(d + mr * kc, 0, sizeof(float) * static_cast<size_t>((MR - mr) * kc));
      const float* s = m_.data + k0 * cs + i0 + p * MR;
      for (int64_t k = 0; k < kc; ++k, s += cs) {
        for (int64_t r = 0; r < mr; ++r) d[r * kc + k] = s[r];
      }
    }
    return;
  }
  for (int64_t i = 0; i < panels * MR; ++i) {
    float* d = dst + i * kc;
    if (i >= mc) {
      std::memset(d, 0, sizeof(float) * static_cast<size_t>(kc));
    } else if (cs == 1) {
      std::memcpy(d, m_.data + (i0 + i) * rs + k0, sizeof(float) * static_cast<size_t>(kc));
    } else {
      const float* s = m_.data + (i0 + i) * rs + k0 * cs;
      for (int64_t k = 0; k < kc; ++k) d[k] = s[k * cs];
    }
  }
}

void StridedPackB::Pack(int64_t k0, int64_t kc, int64_t j0, int64_t nc, float* dst) const {
  const int64_t rs = m_.rs, cs = m_.cs;
  for (int64_t q = 0; q * NR < nc; ++q) {
    const int64_t c0 = j0 + q * NR;
    const int64_t nr = std::min(NR, nc - q * NR);
    float* d = dst + q * NR * kc;
    if (cs == 1) {
      for (int64_t k = 0; k < kc; ++k) {
        const float* s = m_.data + (k0 + k) * rs + c0;
        if (nr == NR) {
          std::memcpy(d, s, NR * sizeof(float));
        } else {
          int64_t j = 0;
          for (; j < nr; ++j) d[j] = s[j];
          for (; j < NR; ++j) d[j] = 0.f;
        }
        d += NR;
      }
    } else {
      // Column j of this sliver is contiguous in k when rs == 1 (a transposed operand).
      if (nr < NR) {
        for (int64_t k = 0; k < kc; ++k) {
          for (int64_t j = nr; j < NR; ++j) d[k * NR + j] = 0.f;
        }
      }
      for (int64_t j = 0; j < nr; ++j) {
        const float* s = m_.data + (c0 + j) * cs + k0 * rs;
        for (int64_t k = 0; k < kc; ++k) d[k * NR + j] = s[k * rs];
      }
    }
  }
}

PackedB::PackedB(const GemmPackB& b, int64_t k, int64_t n, float* storage)
    : k_(k), n_(n), data_(storage), owned_(storage == nullptr) {
  const int64_t panels = (n + NR - 1) / NR;
  const int64_t total = panels * NR * k;
  if (total <= 0) return;
  if (owned_) {
    data_ = static_cast<float*>(std::aligned_alloc(64, static_cast<size_t>((total * 4 + 63) / 64 * 64)));
    if (data_ == nullptr) throw std::bad_alloc();
  }
  ParallelFor(panels, std::max<int64_t>(1, 4096 / std::max<int64_t>(1, k)), [&](int64_t p0, int64_t p1) {
    for (int64_t q = p0; q < p1; ++q) b.Pack(0, k, q * NR, std::min(NR, n - q * NR), data_ + q * NR * k);
  });
}

PackedB::PackedB(int64_t k, int64_t n, float* storage) : k_(k), n_(n), data_(storage), owned_(storage == nullptr) {
  const int64_t panels = (n + NR - 1) / NR;
  const int64_t total = panels * NR * k;
  if (total <= 0) return;
  if (owned_) {
    data_ = static_cast<float*>(std::aligned_alloc(64, static_cast<size_t>((total * 4 + 63) / 64 * 64)));
    if (data_ == nullptr) throw std::bad_alloc();
  }
  if (n % NR != 0) std::memset(data_ + (panels - 1) * NR * k, 0, sizeof(float) * static_cast<size_t>(NR * k));
}

PackedB::~PackedB() {
  if (owned_) std::free(data_);
}

void GemmSerial(const GemmCall& g) {
  if (g.m <= 0 || g.n <= 0) return;
  if (g.k <= 0) {
    if (!g.accumulate) {
      for (int64_t i = 0; i < g.m; ++i) {
        for (int64_t j = 0; j < g.n; ++j) g.c[i * g.rs_c + j * g.cs_c] = 0.f;
      }
    }
    if (g.ep != nullptr) ApplyEpilogue(*g.ep, g.c, g.rs_c, g.cs_c, g.m, g.n, g.j0);
    return;
  }
  thread_local std::vector<float> a_buf, b_buf;
  const KernelFn kernel = PickKernel();
  const KernelTFn kernel_t = PickKernelT();
  const bool wide = UseAvx512Gemm();
  float* abuf = AlignedScratch(a_buf, kGemmMC * kGemmKC);
  float* bbuf = g.packed_b ? nullptr : AlignedScratch(b_buf, kGemmKC * kGemmNC);
  alignas(32) float tile[MR * NR];

  // Even block sizes: 300 rows become 102+102+96 rather than 120+120+60, a depth of 784 four
  // blocks of 196 rather than three of 256 and one of 16.
  const int64_t kb = (g.k + kGemmKC - 1) / kGemmKC;
  const int64_t kc_max = (g.k + kb - 1) / kb;
  const int64_t mb = (g.m + kGemmMC - 1) / kGemmMC;
  const int64_t mc_max = ((g.m + mb - 1) / mb + MR - 1) / MR * MR;
  for (int64_t jc = 0; jc < g.n; jc += kGemmNC) {
    const int64_t nc = std::min(kGemmNC, g.n - jc);
    for (int64_t pc = 0; pc < g.k; pc += kc_max) {
      const int64_t kc = std::min(kc_max, g.k - pc);
      if (!g.packed_b) g.b->Pack(g.k0 + pc, kc, g.j0 + jc, nc, bbuf);
      const bool acc = g.accumulate || pc > 0;
      const bool last = pc + kc >= g.k;
      for (int64_t ic = 0; ic < g.m; ic += mc_max) {
        const int64_t mc = std::min(mc_max, g.m - ic);
        // A's whole panels in place when its rows already are the packed layout; a last partial
        // panel (rows past mc read as zeros) is still packed, into abuf.
        // Or stored transposed, read so by the kernels (the same sums in the same order).
        const float* in_place = g.a->InPlace(g.i0 + ic, mc, g.k0 + pc, kc);
        int64_t lda = 0;
        const float* in_place_t = in_place ? nullptr : g.a->InPlaceTransposed(g.i0 + ic, g.k0 + pc, &lda);
        const int64_t whole = in_place || in_place_t ? mc / MR * MR : 0;
        if (!in_place && !in_place_t) {
          g.a->Pack(g.i0 + ic, mc, g.k0 + pc, kc, abuf);
        } else if (whole < mc) {
          g.a->Pack(g.i0 + ic + whole, mc - whole, g.k0 + pc, kc, abuf);
        }
        // The MR rows of A starting at row ir of this block (packed or row-major in place).
        const auto a_rows = [&](int64_t ir) { return ir < whole ? in_place + ir * kc : abuf + (ir - whole) * kc; };
        // C's MR x NR tile at cp (row stride rs) from A's rows ir on and the sliver bp.
        const auto run_kernel = [&](int64_t ir, const float* bp, float* cp, int64_t rs, bool accum) {
          if (in_place_t && ir < whole) {
            kernel_t(kc, in_place_t + ir, lda, bp, cp, rs, accum);
          } else {
            kernel(kc, a_rows(ir), bp, cp, rs, accum);
          }
        };
        const auto panel = [&](int64_t jr) {
          return g.packed_b ? g.packed_b->Panel(g.j0 + jc + jr, g.k0 + pc) : bbuf + jr * kc;
        };
        // One MR x NR tile (rows ir, columns jr of this block), partial ones through `tile`.
        const auto one_tile = [&](int64_t ir, int64_t jr, const float* bp) {
          const int64_t mr = std::min(MR, mc - ir), nr = std::min(NR, nc - jr);
          float* cp = g.c + (ic + ir) * g.rs_c + (jc + jr) * g.cs_c;
          if (mr == MR && nr == NR && g.cs_c == 1) {
            run_kernel(ir, bp, cp, g.rs_c, acc);
          } else {
            run_kernel(ir, bp, tile, NR, false);
            for (int64_t i = 0; i < mr; ++i) {
              for (int64_t j = 0; j < nr; ++j) {
                float& dst = cp[i * g.rs_c + j * g.cs_c];
                dst = acc ? dst + tile[i * NR + j] : tile[i * NR + j];
              }
            }
          }
        };
        for (int64_t jr = 0; jr < nc;) {
          if (wide && jr + 2 * NR <= nc && g.cs_c == 1) {
            // Two whole slivers at once (AVX-512: 12 accumulators instead of 6).
            const float* b0 = panel(jr);
            const float* b1 = panel(jr + NR);
            for (int64_t ir = 0; ir < mc; ir += MR) {
              if (ir + MR <= mc) {
                float* cp = g.c + (ic + ir) * g.rs_c + jc + jr;
                if (in_place_t) {
                  avx512::GemmKernel6x32T(kc, in_place_t + ir, lda, b0, b1, cp, g.rs_c, acc);
                } else {
                  avx512::GemmKernel6x32(kc, a_rows(ir), b0, b1, cp, g.rs_c, acc);
                }
              } else {
                one_tile(ir, jr, b0);
                one_tile(ir, jr + NR, b1);
              }
            }
            jr += 2 * NR;
            continue;
          }
          const float* bp = panel(jr);
          for (int64_t ir = 0; ir < mc; ir += MR) one_tile(ir, jr, bp);
          jr += NR;
        }
        if (last && g.ep != nullptr) {
          ApplyEpilogue(*g.ep, g.c + ic * g.rs_c + jc * g.cs_c, g.rs_c, g.cs_c, mc, nc, g.j0 + jc);
        }
      }
    }
  }
}

void Gemm(const GemmCall& g) {
  if (g.m <= 0 || g.n <= 0) return;
  const int64_t threads = NumThreads();
  const double macs = static_cast<double>(g.m) * g.n * g.k;
  // Below ~10 us of work on one thread, a hand-off to the pool costs more than it saves, and far more
  // on a loaded machine, where a worker preempted holding a task stalls the caller for a time slice:
  // StyleGAN2's mapping-network products (16x64x64) took 29 us each inside the step when split, 139 us
  // under load, and 28 us serial under the same load.
  if (threads <= 1 || macs < 262144.0) {
    GemmSerial(g);
    return;
  }
  // Extra packing each split costs (elements): splitting rows re-packs B per task, splitting
  // columns re-packs A, splitting depth adds one partial C per task to sum.
  const int64_t units_m = (g.m + MR - 1) / MR, units_n = (g.n + NR - 1) / NR;
  const double inf = std::numeric_limits<double>::infinity();
  const int64_t tm = std::min(threads, units_m), tn = std::min(threads, units_n);
  const int64_t tk = std::min(threads, g.k / 64);
  double cost_m = tm >= 2 ? (g.packed_b ? 0.0 : static_cast<double>(tm - 1) * g.k * g.n) : inf;
  double cost_n = tn >= 2 ? static_cast<double>(tn - 1) * g.k * g.m : inf;
  double cost_k = tk >= 2 ? static_cast<double>(tk) * 2.0 * g.m * g.n : inf;
  // A split that leaves threads idle loses compute; weigh by the fraction of threads used.
  cost_m += macs * (1.0 - static_cast<double>(tm) / threads);
  cost_n += macs * (1.0 - static_cast<double>(tn) / threads);
  cost_k += macs * (1.0 - static_cast<double>(tk) / threads);
  if (cost_m == inf && cost_n == inf && cost_k == inf) {
    GemmSerial(g);
    return;
  }
  if (cost_m <= cost_n && cost_m <= cost_k) {
    // With B packed once, more row tasks cost nothing extra and balance the load when another
    // process takes a core for a while: aim for 4 per thread, each of at least one MC block.
    // A whole number of tasks per thread, or the last round leaves threads idle.
    int64_t tasks = g.packed_b ? std::max(tm, std::min(4 * threads, (g.m + kGemmMC - 1) / kGemmMC)) : tm;
    if (tasks > threads) tasks = std::min(units_m, (tasks + threads - 1) / threads * threads);
    const int64_t per = (units_m + tasks - 1) / tasks * MR;
    RunTasks(tasks, [&](int64_t t) {
      GemmCall s = g;
      const int64_t r0 = t * per;
      if (r0 >= g.m) return;
      s.m = std::min(per, g.m - r0);
      s.i0 = g.i0 + r0;
      s.c = g.c + r0 * g.rs_c;
      GemmSerial(s);
    });
  } else if (cost_n <= cost_k) {
    const int64_t per = (units_n + tn - 1) / tn * NR;
    RunTasks(tn, [&](int64_t t) {
      GemmCall s = g;
      const int64_t c0 = t * per;
      if (c0 >= g.n) return;
      s.n = std::min(per, g.n - c0);
      s.j0 = g.j0 + c0;
      s.c = g.c + c0 * g.cs_c;
      GemmSerial(s);
    });
  } else {
    // Depth split: task 0 writes C itself, the others write private partials summed at the end.
    const int64_t per = (g.k + tk - 1) / tk;
    const int64_t mn = g.m * g.n;
    std::vector<float> partial(static_cast<size_t>((tk - 1) * mn));
    RunTasks(tk, [&](int64_t t) {
      GemmCall s = g;
      const int64_t k0 = t * per;
      s.k = std::max<int64_t>(0, std::min(per, g.k - k0));
      s.k0 = g.k0 + k0;
      s.ep = nullptr;
      if (t > 0) {
        s.c = partial.data() + (t - 1) * mn;
        s.rs_c = g.n;
        s.cs_c = 1;
        s.accumulate = false;
      }
      GemmSerial(s);
    });
    ParallelFor(g.m, std::max<int64_t>(1, 16384 / g.n), [&](int64_t r0, int64_t r1) {
      for (int64_t i = r0; i < r1; ++i) {
        float* row = g.c + i * g.rs_c;
        for (int64_t t = 1; t < tk; ++t) {
          const float* p = partial.data() + (t - 1) * mn + i * g.n;
          for (int64_t j = 0; j < g.n; ++j) row[j * g.cs_c] += p[j];
        }
        if (g.ep != nullptr) ApplyEpilogue(*g.ep, row, g.rs_c, g.cs_c, 1, g.n, g.j0);
      }
    });
  }
}

}  // namespace tsgan
