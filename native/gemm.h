// SGEMM for the native kernels: C = op(A) * op(B) (+ C), row-major float32, packed and cache-blocked
// with a 6x16 register micro-kernel (AVX2+FMA in gemm_avx2.cc, portable C++ in gemm.cc), followed by
// an optional epilogue (bias per column + activation).
//
// Operands are given through packers, so a convolution can feed its im2col patches straight into the
// packed panels without materialising the im2col matrix (see conv_util.h). Coordinates passed to
// packers are absolute, so a caller can run sub-problems (row/column/depth ranges) on its own threads.
#pragma once
#include <cstdint>
#include <vector>

namespace tsgan {

constexpr int64_t kGemmMR = 6;    // rows of the register tile
constexpr int64_t kGemmNR = 16;   // columns of the register tile (two AVX2 vectors)
constexpr int64_t kGemmKC = 256;  // depth of one packed block
constexpr int64_t kGemmMC = 120;  // rows of one packed A block (a multiple of MR)
constexpr int64_t kGemmNC = 1024; // columns of one packed B block (a multiple of NR)

// Packs rows [i0, i0+mc) x depth [k0, k0+kc) of A as ceil(mc/MR) micro-panels of MR rows, each row
// kc contiguous values (element (i, k) of a panel at dst[i*kc + k]); rows past mc are zero. Rows
// stay contiguous so that packing im2col patches or a row-major A is a run of plain copies.
class GemmPackA {
 public:
  virtual ~GemmPackA() = default;
  virtual void Pack(int64_t i0, int64_t mc, int64_t k0, int64_t kc, float* dst) const = 0;
  // Where rows [i0, i0+mc) x depth [k0, k0+kc) already lie as Pack would write them (row i of the
  // block at result[i*kc], contiguous): the GEMM then reads them in place instead of copying them.
  // Null (the default) when they do not. Only whole panels of MR rows are read from it.
  virtual const float* InPlace(int64_t i0, int64_t mc, int64_t k0, int64_t kc) const {
    (void)i0, (void)mc, (void)k0, (void)kc;
    return nullptr;
  }
  // Where the block lies transposed (row i contiguous with the next: element (i, k) of the block at
  // result[k * *lda + i]), for the micro-kernels that read A that way; null when it does not.
  virtual const float* InPlaceTransposed(int64_t i0, int64_t k0, int64_t* lda) const {
    (void)i0, (void)k0, (void)lda;
    return nullptr;
  }
};

// Packs depth [k0, k0+kc) x columns [j0, j0+nc) of B as ceil(nc/NR) micro-panels, each kc x NR
// (element (k, j) of a panel at dst[k*NR + j]); columns past nc are zero.
class GemmPackB {
 public:
  virtual ~GemmPackB() = default;
  virtual void Pack(int64_t k0, int64_t kc, int64_t j0, int64_t nc, float* dst) const = 0;
};

// A plain strided matrix: element (i, j) at data[i*rs + j*cs]. A transposed operand is the same
// memory with rs and cs swapped.
struct StridedMatrix {
  const float* data;
  int64_t rs;
  int64_t cs;
};

class StridedPackA final : public GemmPackA {
 public:
  explicit StridedPackA(StridedMatrix m) : m_(m) {}
  void Pack(int64_t i0, int64_t mc, int64_t k0, int64_t kc, float* dst) const override;
  // Row-major rows of exactly the block's depth (e.g. Winograd's transformed tiles, [tiles][channels]).
  const float* InPlace(int64_t i0, int64_t mc, int64_t k0, int64_t kc) const override {
    (void)mc;
    return m_.cs == 1 && m_.rs == kc ? m_.data + i0 * m_.rs + k0 : nullptr;
  }
  // A stored transposed (e.g. Winograd's filter gradient reads its [tiles][channels] tiles as
  // [channels x tiles]).
  const float* InPlaceTransposed(int64_t i0, int64_t k0, int64_t* lda) const override {
    if (m_.rs != 1 || m_.cs == 1) return nullptr;
    *lda = m_.cs;
    return m_.data + i0 + k0 * m_.cs;
  }

 private:
  StridedMatrix m_;
};

class StridedPackB final : public GemmPackB {
 public:
  explicit StridedPackB(StridedMatrix m) : m_(m) {}
  void Pack(int64_t k0, int64_t kc, int64_t j0, int64_t nc, float* dst) const override;

 private:
  StridedMatrix m_;
};

// The whole of B (K x N) packed once, read by many GEMM calls (e.g. conv weights shared by the
// threads that each take a batch slice). Layout: one K x NR sliver per NR columns.
class PackedB {
 public:
  // storage: where the pack goes (Size(k, n) floats from a 64-byte boundary, kept by the caller, e.g.
  // a thread's reused scratch), or null to allocate it (freed with the pack). Reused storage spares
  // the page faults and zeroing of a fresh multi-megabyte allocation per call.
  PackedB(const GemmPackB& b, int64_t k, int64_t n, float* storage = nullptr);  // packs in parallel over the pool
  // Room for a k x n pack that the caller writes itself, sliver by sliver (element (kk, j) at
  // Sliver(j)[kk*NR + j % NR]); the columns past n in the last sliver are zeroed here.
  PackedB(int64_t k, int64_t n, float* storage = nullptr);
  static int64_t Size(int64_t k, int64_t n) { return (n + kGemmNR - 1) / kGemmNR * kGemmNR * k; }
  ~PackedB();
  PackedB(const PackedB&) = delete;
  PackedB& operator=(const PackedB&) = delete;
  int64_t k() const { return k_; }
  int64_t n() const { return n_; }
  // Micro-panel for columns starting at j (a multiple of NR), depth starting at k0.
  const float* Panel(int64_t j, int64_t k0) const { return data_ + (j / kGemmNR) * k_ * kGemmNR + k0 * kGemmNR; }
  float* Sliver(int64_t j) { return data_ + (j / kGemmNR) * k_ * kGemmNR; }

 private:
  int64_t k_, n_;
  float* data_;
  bool owned_;
};

// tfjs's fused activations (FusedConv2D / _FusedMatMul `activation` attr), plus tanh.
enum class Activation { kLinear, kRelu, kRelu6, kLeakyRelu, kPrelu, kElu, kSigmoid, kTanh };

// Returns false if `name` is not an activation we know.
bool ParseActivation(const char* name, Activation* out);

// Applied to each finished element C(i, j): v = C + bias[j] (or bias[0]); then the activation.
struct GemmEpilogue {
  const float* bias = nullptr;   // null: no bias
  bool bias_scalar = false;      // bias has one element
  Activation act = Activation::kLinear;
  float alpha = 0.f;             // leakyrelu slope
  const float* prelu = nullptr;  // prelu slopes per column (or one, if prelu_scalar)
  bool prelu_scalar = false;
  bool Active() const { return bias != nullptr || act != Activation::kLinear; }
};

// Applies the epilogue to rows x cols of C starting at column j0 (absolute, for bias indexing).
void ApplyEpilogue(const GemmEpilogue& ep, float* c, int64_t rs_c, int64_t cs_c, int64_t rows, int64_t cols,
                   int64_t j0);

// Grows v to hold n floats past a 64-byte boundary and returns that boundary: scratch that the
// micro-kernel reads or writes in 32-byte vectors should start on a cache line.
float* AlignedScratch(std::vector<float>& v, int64_t n);

// One (sub-)problem: C[i, j] for i in [0, m), j in [0, n) (at c[i*rs_c + j*cs_c]) gets
// sum over k in [k0, k0+k) of A(i0+i, k) * B(k, j0+j), where A and B are read through their packers
// (or B through a PackedB). accumulate: add to C instead of overwriting it.
struct GemmCall {
  int64_t m = 0, n = 0, k = 0;
  int64_t i0 = 0, j0 = 0, k0 = 0;
  const GemmPackA* a = nullptr;
  const GemmPackB* b = nullptr;
  const PackedB* packed_b = nullptr;  // used instead of b when set
  float* c = nullptr;
  int64_t rs_c = 0, cs_c = 1;
  bool accumulate = false;
  const GemmEpilogue* ep = nullptr;  // applied once the whole depth is summed
};

// Runs on the calling thread only (for callers that parallelise themselves).
void GemmSerial(const GemmCall& call);

// Runs over the thread pool: splits rows, columns or depth, whichever packs the least extra data.
void Gemm(const GemmCall& call);

namespace avx2 {
// C[0:6, 0:16] (row stride rs_c) = or += sum_k a[i*kc + k] * b[k*16 + j]. Only when UseAvx2().
void GemmKernel6x16(int64_t kc, const float* a, const float* b, float* c, int64_t rs_c, bool accumulate);
// The same with A read transposed in place: a[k*lda + i] instead of a[i*kc + k] (same sums, same order).
void GemmKernel6x16T(int64_t kc, const float* a, int64_t lda, const float* b, float* c, int64_t rs_c,
                     bool accumulate);
}  // namespace avx2

namespace avx512 {
// The same contract with 512-bit FMAs (gemm_avx512.cc). Only when UseAvx512Gemm().
void GemmKernel6x16(int64_t kc, const float* a, const float* b, float* c, int64_t rs_c, bool accumulate);
// C[0:6, 0:32] = or += A's 6 rows times two slivers: columns 0..15 from b0, 16..31 from b1 (each kc x 16).
void GemmKernel6x32(int64_t kc, const float* a, const float* b0, const float* b1, float* c, int64_t rs_c,
                    bool accumulate);
// Both with A read transposed in place (a[k*lda + i]), as avx2::GemmKernel6x16T.
void GemmKernel6x16T(int64_t kc, const float* a, int64_t lda, const float* b, float* c, int64_t rs_c,
                     bool accumulate);
void GemmKernel6x32T(int64_t kc, const float* a, int64_t lda, const float* b0, const float* b1, float* c,
                     int64_t rs_c, bool accumulate);
}  // namespace avx512

}  // namespace tsgan
