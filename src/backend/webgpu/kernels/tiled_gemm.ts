// A tiled GEMM skeleton in WGSL for implicit-GEMM convolution kernels: C[z][m, n] = sum_k A[z][k, m] B[z][k, n],
// where A and B are never materialized: the kernel supplies WGSL functions that compute one element
// of each from its tensors (an im2col gather), so the convolution's patches are read straight from
// the input into workgroup memory. z is the third dispatch dimension: a K split (filter gradient) or
// a stride phase (input gradient).
//
// Tiling: a workgroup of [wx, wy] threads computes a (wy*4) x (wx*rn) tile of C; each thread a
// 4 x rn block held in registers (rn = 4, or 1 for outputs with fewer than 4 columns), rows
// ty + i*wy and columns tx + j*wx (strided, so neighbouring threads write neighbouring columns). K advances TK = 16 at a time through two workgroup-memory tiles.
// Barriers sit in loops whose trip count comes from uniforms only (WGSL uniformity rules); every
// per-workgroup bound (K range of a split, rows of a phase) is checked in the loads instead.
//
// The kernel provides (in WGSL, using `uniforms` and its input arrays):
//   fn mmSetup(z : i32)                             once per thread first (per-slice constants into private vars)
//   fn mmRows(z : i32) -> i32                       rows (M) of slice z
//   fn mmKBegin(z : i32) -> i32, fn mmKEnd(z : i32) -> i32   the K range of slice z
//   fn mmA(z : i32, k : i32, m : i32) -> f32        A[z][k, m], with k and m in range
//   fn mmB(z : i32, k : i32, n : i32) -> f32        B[z][k, n], with k and n in range
//   fn mmStore(z : i32, m : i32, n : i32, v : f32)  writes C[z][m, n]
// and the uniforms `N : i32` (columns) and `kTiles : i32` (K tiles per slice, the loop bound).

export const GEMM_TK = 16;

export interface TileShape {
  /** 'direct': one thread per row computing all (at most 4) columns with no workgroup memory, for thin outputs. */
  kind?: 'tiled' | 'direct';
  /** Threads along n and along m. */
  wx: number;
  wy: number;
  /** Columns per thread: 4, or 1 for thin outputs. */
  rn: 1 | 4;
}

/** Rows x columns computed by one workgroup. */
export function tileExtent(t: TileShape): { tm: number; tn: number } {
  if (t.kind === 'direct') return { tm: t.wx * t.wy, tn: 4 };
  return { tm: t.wy * 4, tn: t.wx * t.rn };
}

/**
 * Picks the tile for an M x N output: 64 x 64 in general; 16 x 64 for few rows (filter gradients
 * of a 1-channel layer); for at most 4 columns (input gradients of 1-channel layers) no tiling at
 * all: an A element is used by one output only, so staging it in workgroup memory buys nothing.
 */
export function chooseTile(m: number, n: number): TileShape {
  if (n <= 4) return { kind: 'direct', wx: 1, wy: 64, rn: 4 };
  if (m <= 16) return { wx: 16, wy: 4, rn: 4 };
  return { wx: 16, wy: 16, rn: 4 };
}

/** Dispatch size for an M x N output with `slices` slices (dispatch z). */
export function gemmDispatch(t: TileShape, m: number, n: number, slices: number): [number, number, number] {
  if (t.kind === 'direct') return [1, Math.ceil(m / (t.wx * t.wy)), slices];
  const { tm, tn } = tileExtent(t);
  return [Math.ceil(n / tn), Math.ceil(m / tm), slices];
}

/** The shader's main() for the tile: tiled, or direct for thin outputs. */
export function gemmMain(t: TileShape, aKFast: boolean, bKFast: boolean): string {
  return t.kind === 'direct' ? directGemmMain(t) : tiledGemmMain(t, aKFast, bKFast);
}

/** One thread per row m, all columns (N <= 4) in registers, K looped straight from memory. */
function directGemmMain(t: TileShape): string {
  return `
  fn main() {
    let z = i32(workgroupId.z);
    mmSetup(z);
    let m = i32(workgroupId.y) * ${t.wx * t.wy} + i32(localIndex);
    if (m >= mmRows(z)) { return; }
    let kEnd = mmKEnd(z);
    var acc : array<f32, 4>;
    for (var k = mmKBegin(z); k < kEnd; k = k + 1) {
      let a = mmA(z, k, m);
      for (var n = 0; n < uniforms.N; n = n + 1) { acc[n] = fma(a, mmB(z, k, n), acc[n]); }
    }
    for (var n = 0; n < uniforms.N; n = n + 1) { mmStore(z, m, n, acc[n]); }
  }
`;
}

/**
 * The main() of the tiled GEMM. `aKFast` / `bKFast`: in the tile loads, consecutive threads take
 * consecutive k (true) or consecutive m / n (false); pick whichever makes the gathers contiguous in
 * memory for the tensor behind A / B.
 */
function tiledGemmMain(t: TileShape, aKFast: boolean, bKFast: boolean): string {
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
    mmSetup(z);
    let m0 = i32(workgroupId.y) * ${tm};
    let n0 = i32(workgroupId.x) * ${tn};
    let rows = mmRows(z);
    let kBegin = mmKBegin(z);
    let kEnd = mmKEnd(z);
    var acc : array<array<f32, ${t.rn}>, 4>;
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
        var b : array<f32, ${t.rn}>;
        for (var i = 0; i < 4; i = i + 1) { a[i] = tileA[kk][ty + i * ${t.wy}]; }
        for (var j = 0; j < ${t.rn}; j = j + 1) { b[j] = tileB[kk][tx + j * ${t.wx}]; }
        for (var i = 0; i < 4; i = i + 1) {
          for (var j = 0; j < ${t.rn}; j = j + 1) { acc[i][j] = fma(a[i], b[j], acc[i][j]); }
        }
      }
      workgroupBarrier();
    }
    for (var i = 0; i < 4; i = i + 1) {
      let m = m0 + ty + i * ${t.wy};
      for (var j = 0; j < ${t.rn}; j = j + 1) {
        let n = n0 + tx + j * ${t.wx};
        if (m < rows && n < uniforms.N) { mmStore(z, m, n, acc[i][j]); }
      }
    }
  }
`;
}
