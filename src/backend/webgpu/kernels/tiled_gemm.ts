// A tiled GEMM skeleton in WGSL for implicit-GEMM convolution kernels: C[z][m, n] = sum_k A[z][k, m] B[z][k, n],
// where A and B are never materialized: the kernel supplies WGSL functions that compute one element
// of each from its tensors (an im2col gather), so the convolution's patches are read straight from
// the input into workgroup memory. z is the third dispatch dimension: a K split (filter gradient) or
// a stride phase (input gradient).
//
// Tiling: a workgroup of [wx, wy] threads computes a (wy*4) x (wx*4) tile of C; each thread a 4x4
// block held in registers, rows ty + i*wy and columns tx + j*wx (strided, so neighbouring threads
// write neighbouring columns). K advances TK = 16 at a time through two workgroup-memory tiles.
// Barriers sit in loops whose trip count comes from uniforms only (WGSL uniformity rules); every
// per-workgroup bound (K range of a split, rows of a phase) is checked in the loads instead.
//
// The kernel provides (in WGSL, using `uniforms` and its input arrays):
//   fn mmRows(z : i32) -> i32                       rows (M) of slice z
//   fn mmKBegin(z : i32) -> i32, fn mmKEnd(z : i32) -> i32   the K range of slice z
//   fn mmA(z : i32, k : i32, m : i32) -> f32        A[z][k, m], with k and m in range
//   fn mmB(z : i32, k : i32, n : i32) -> f32        B[z][k, n], with k and n in range
//   fn mmStore(z : i32, m : i32, n : i32, v : f32)  writes C[z][m, n]
// and the uniforms `N : i32` (columns) and `kTiles : i32` (K tiles per slice, the loop bound).

export const GEMM_TK = 16;

export interface TileShape {
  /** Threads along n and along m. */
  wx: number;
  wy: number;
}

/** Rows x columns computed by one workgroup. */
export function tileExtent(t: TileShape): { tm: number; tn: number } {
  return { tm: t.wy * 4, tn: t.wx * 4 };
}

/**
 * Picks the tile for an M x N output: 64x64 in general; 16 x 64 for few rows (filter gradients of
 * a 1-channel layer); 128 x 4 for few columns (the input gradient of a 1-channel layer).
 */
export function chooseTile(m: number, n: number): TileShape {
  if (n <= 4) return { wx: 1, wy: 32 };
  if (m <= 16) return { wx: 16, wy: 4 };
  return { wx: 16, wy: 16 };
}

/**
 * The main() of the tiled GEMM. `aKFast` / `bKFast`: in the tile loads, consecutive threads take
 * consecutive k (true) or consecutive m / n (false); pick whichever makes the gathers contiguous in
 * memory for the tensor behind A / B.
 */
export function tiledGemmMain(t: TileShape, aKFast: boolean, bKFast: boolean): string {
  const { tm, tn } = tileExtent(t);
  const nt = t.wx * t.wy;
  const TK = GEMM_TK;
  const loadIdx = (kFast: boolean, width: number) =>
    kFast ? `let kk = e % ${TK}; let rr = e / ${TK};` : `let kk = e / ${width}; let rr = e % ${width};`;
  return `
  var<workgroup> tileA : array<array<f32, ${tm}>, ${TK}>;
  var<workgroup> tileB : array<array<f32, ${tn}>, ${TK}>;

  fn main() {
    let tx = i32(localId.x);
    let ty = i32(localId.y);
    let tid = ty * ${t.wx} + tx;
    let z = i32(workgroupId.z);
    let m0 = i32(workgroupId.y) * ${tm};
    let n0 = i32(workgroupId.x) * ${tn};
    let rows = mmRows(z);
    let kBegin = mmKBegin(z);
    let kEnd = mmKEnd(z);
    var acc : array<array<f32, 4>, 4>;
    for (var tile = 0; tile < uniforms.kTiles; tile = tile + 1) {
      let k0 = kBegin + tile * ${TK};
      for (var e = tid; e < ${TK * tm}; e = e + ${nt}) {
        ${loadIdx(aKFast, tm)}
        let k = k0 + kk;
        let m = m0 + rr;
        var v = 0.0;
        if (k < kEnd && m < rows) { v = mmA(z, k, m); }
        tileA[kk][rr] = v;
      }
      for (var e = tid; e < ${TK * tn}; e = e + ${nt}) {
        ${loadIdx(bKFast, tn)}
        let k = k0 + kk;
        let n = n0 + rr;
        var v = 0.0;
        if (k < kEnd && n < uniforms.N) { v = mmB(z, k, n); }
        tileB[kk][rr] = v;
      }
      workgroupBarrier();
      for (var kk = 0; kk < ${TK}; kk = kk + 1) {
        var a : array<f32, 4>;
        var b : array<f32, 4>;
        for (var i = 0; i < 4; i = i + 1) { a[i] = tileA[kk][ty + i * ${t.wy}]; }
        for (var j = 0; j < 4; j = j + 1) { b[j] = tileB[kk][tx + j * ${t.wx}]; }
        for (var i = 0; i < 4; i = i + 1) {
          for (var j = 0; j < 4; j = j + 1) { acc[i][j] = fma(a[i], b[j], acc[i][j]); }
        }
      }
      workgroupBarrier();
    }
    for (var i = 0; i < 4; i = i + 1) {
      let m = m0 + ty + i * ${t.wy};
      for (var j = 0; j < 4; j = j + 1) {
        let n = n0 + tx + j * ${t.wx};
        if (m < rows && n < uniforms.N) { mmStore(z, m, n, acc[i][j]); }
      }
    }
  }
`;
}
