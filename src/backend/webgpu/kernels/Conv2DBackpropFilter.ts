// Conv2DBackpropFilter on webgpu: the filter gradient as an implicit GEMM with split K.
//   dW[kh, kw, ci, co] = sum over (b, oy, ox) of x[b, oy*sh + kh - pt, ox*sw + kw - pl, ci] * dy[b, oy, ox, co]
//   C[m, n] = sum_k A[k, m] B[k, n] with m = (kh, kw, ci), n = co, k = (b, oy, ox): M = KH*KW*CI,
//   N = CO, K = B*OH*OW.
// K is the large dimension (batch x output pixels, 100k at batch 512 in dcgan28's first layer),
// so it is split into S slices run as separate workgroups (dispatch z), each writing a partial
// [M, N] sum; a second pass adds the S partials. The stock kernel gives each filter element one
// thread that loops over all of K: a few thousand threads for a 1-channel layer, far too few to
// fill a GPU. NCHW input falls back to the stock kernel.
import * as tf from '@tensorflow/tfjs-core';

import {
  ceilDiv,
  intUniforms,
  type KernelArgs,
  MAX_WORKGROUPS_PER_DIM,
  type WebGPUBackendLike,
  type WebGPUProgramLike,
} from './program.js';
import { chooseTile, GEMM_TK, gemmDispatch, gemmMain, tileExtent, type TileShape } from './tiled_gemm.js';

/** Workgroups to aim for when choosing the number of K slices (enough to fill a large GPU). */
const TARGET_WORKGROUPS = 512;
/** Fewest K tiles (of 16) per slice: below this the partial sums cost more than they save. */
const MIN_TILES_PER_SLICE = 4;

/** The K split for an M x N x K product: slices S, K per slice (a multiple of GEMM_TK). */
export function splitK(m: number, n: number, k: number, tile: TileShape): { slices: number; chunk: number } {
  const { tm, tn } = tileExtent(tile);
  const tiles = ceilDiv(m, tm) * ceilDiv(n, tn);
  const maxSlices = Math.max(1, Math.floor(k / (GEMM_TK * MIN_TILES_PER_SLICE)));
  let slices = Math.min(maxSlices, Math.max(1, ceilDiv(TARGET_WORKGROUPS, tiles)), MAX_WORKGROUPS_PER_DIM);
  const chunk = ceilDiv(ceilDiv(k, slices), GEMM_TK) * GEMM_TK;
  slices = ceilDiv(k, chunk);
  return { slices, chunk };
}

class FilterGradProgram implements WebGPUProgramLike {
  outputShape: number[];
  shaderKey: string;
  dispatchLayout = { x: [0], y: [1], z: [2] };
  dispatch: [number, number, number];
  variableNames = ['x', 'dy'];
  uniforms =
    'N : i32, kTiles : i32, M : i32, K : i32, chunk : i32, inH : i32, inW : i32, inC : i32, outH : i32, outW : i32, fW : i32, strideH : i32, strideW : i32, padTop : i32, padLeft : i32,';
  workgroupSize: [number, number, number];

  constructor(
    readonly m: number,
    readonly n: number,
    slices: number,
    readonly tile: TileShape,
    outputShape: number[],
  ) {
    this.outputShape = outputShape; // [S * M * N] partials, or the filter shape when S = 1
    this.workgroupSize = [tile.wx, tile.wy, 1];
    this.dispatch = gemmDispatch(tile, m, n, slices);
    this.shaderKey = `tsganConv2DFilterGrad_${tile.wx}x${tile.wy}x${tile.rn}${tile.kind === 'direct' ? 'd' : ''}`;
  }

  getUserCode(): string {
    return `
  fn mmSetup(z : i32) {}
  fn mmRows(z : i32) -> i32 { return uniforms.M; }
  fn mmKBegin(z : i32) -> i32 { return z * uniforms.chunk; }
  fn mmKEnd(z : i32) -> i32 { return min((z + 1) * uniforms.chunk, uniforms.K); }
  // A[k, m] = x at the input pixel that filter tap (kh, kw) sees from output pixel (b, oy, ox).
  fn mmA(z : i32, k : i32, m : i32) -> f32 {
    let ox = k % uniforms.outW;
    let t = k / uniforms.outW;
    let oy = t % uniforms.outH;
    let b = t / uniforms.outH;
    let ci = m % uniforms.inC;
    let t2 = m / uniforms.inC;
    let kw = t2 % uniforms.fW;
    let kh = t2 / uniforms.fW;
    let iy = oy * uniforms.strideH + kh - uniforms.padTop;
    let ix = ox * uniforms.strideW + kw - uniforms.padLeft;
    if (iy < 0 || iy >= uniforms.inH || ix < 0 || ix >= uniforms.inW) { return 0.0; }
    return x[((b * uniforms.inH + iy) * uniforms.inW + ix) * uniforms.inC + ci];
  }
  fn mmB(z : i32, k : i32, n : i32) -> f32 { return dy[k * uniforms.N + n]; }
  fn mmStore(z : i32, m : i32, n : i32, v : f32) { result[(z * uniforms.M + m) * uniforms.N + n] = v; }
  ${gemmMain(this.tile, false, false)}
`;
  }
}

/** Sums S partial [M*N] blocks: result[i] = sum_s partial[s*MN + i]. */
class SumSlicesProgram implements WebGPUProgramLike {
  outputShape: number[];
  shaderKey = 'tsganSumSlices';
  dispatchLayout = { x: [0, 1, 2, 3] };
  dispatch: [number, number, number];
  variableNames = ['partial'];
  uniforms = 'slices : i32,';
  workgroupSize: [number, number, number] = [64, 1, 1];
  size = true;

  constructor(outputShape: number[]) {
    this.outputShape = outputShape;
    const n = outputShape.reduce((a, b) => a * b, 1);
    const groups = ceilDiv(n, 64);
    // Flat dispatch; fold into y when x would exceed the per-dimension limit.
    this.dispatch =
      groups <= MAX_WORKGROUPS_PER_DIM
        ? [groups, 1, 1]
        : [MAX_WORKGROUPS_PER_DIM, ceilDiv(groups, MAX_WORKGROUPS_PER_DIM), 1];
  }

  getUserCode(): string {
    return `
  fn main(index : i32) {
    if (index >= uniforms.size) { return; }
    var s = 0.0;
    for (var z = 0; z < uniforms.slices; z = z + 1) { s = s + partial[z * uniforms.size + index]; }
    result[index] = s;
  }
`;
  }
}

export function conv2DBackpropFilterWebGPU(args: KernelArgs, stock: tf.KernelFunc): tf.TensorInfo {
  const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const a = args.attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  const backend = args.backend as WebGPUBackendLike;
  const format = tf.backend_util.convertConv2DDataFormat(a.dataFormat);
  if (format !== 'channelsLast' || x.dtype !== 'float32' || dy.dtype !== 'float32')
    return stock(args as never) as tf.TensorInfo;
  const c = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    a.filterShape,
    a.strides,
    1,
    a.pad,
    a.dimRoundingMode,
    false,
    format,
  );
  const M = c.filterHeight * c.filterWidth * c.inChannels;
  const N = c.outChannels;
  const K = c.batchSize * c.outHeight * c.outWidth;
  const tile = chooseTile(M, N);
  const { slices, chunk } = splitK(M, N, K, tile);
  const uniforms = intUniforms(
    N,
    chunk / GEMM_TK,
    M,
    K,
    chunk,
    c.inHeight,
    c.inWidth,
    c.inChannels,
    c.outHeight,
    c.outWidth,
    c.filterWidth,
    c.strideHeight,
    c.strideWidth,
    c.padInfo.top,
    c.padInfo.left,
  );
  const filterShape = [c.filterHeight, c.filterWidth, c.inChannels, c.outChannels];
  if (slices === 1) {
    return backend.runWebGPUProgram(new FilterGradProgram(M, N, 1, tile, filterShape), [x, dy], 'float32', uniforms);
  }
  const partial = backend.runWebGPUProgram(
    new FilterGradProgram(M, N, slices, tile, [slices * M * N]),
    [x, dy],
    'float32',
    uniforms,
  ); // [S * M * N]
  const out = backend.runWebGPUProgram(new SumSlicesProgram(filterShape), [partial], 'float32', intUniforms(slices)); // [KH, KW, CI, CO]
  backend.disposeData(partial.dataId);
  return out;
}
