// Conv2DBackpropInput on webgpu (also the forward pass of conv2dTranspose, the generator's
// upsampling layer): an implicit GEMM split by stride phase.
//   dx[b, iy, ix, ci] = sum over (kh, kw, co) with oy = (iy + pt - kh) / sh and ox = (ix + pl - kw) / sw
//                       integral and in range, of dy[b, oy, ox, co] * w[kh, kw, ci, co]
// Only the taps kh = py (mod sh), py = (iy + pt) mod sh, contribute to a row iy (same for columns),
// so the output pixels are grouped by phase (py, px): sh*sw independent GEMMs (dispatch z), each
// with M = B * rows * cols of that phase, N = CI, K = ceil(KH/sh) * ceil(KW/sw) * CO. With stride
// 2 and a 4x4 filter that is a quarter of the multiply-adds of a GEMM over all taps, where three
// in four would hit the zeros between the upsampled pixels. NCHW falls back to the stock kernel.
import * as tf from '@tensorflow/tfjs-core';

import { ceilDiv, intUniforms, type KernelArgs, type WebGPUBackendLike, type WebGPUProgramLike } from './program.js';
import { chooseTile, GEMM_TK, gemmDispatch, gemmMain, type TileShape } from './tiled_gemm.js';

/** Geometry of one stride phase, computed identically on the host (dispatch size) and in WGSL. */
export function phaseGeometry(
  size: number,
  pad: number,
  stride: number,
  phase: number,
): { first: number; count: number } {
  // Output rows iy with (iy + pad) mod stride == phase: iy = first + stride * u.
  const first = (((phase - pad) % stride) + stride) % stride;
  return { first, count: size > first ? ceilDiv(size - first, stride) : 0 };
}

class InputGradProgram implements WebGPUProgramLike {
  outputShape: number[];
  shaderKey: string;
  dispatchLayout = { x: [3], y: [1, 2], z: [0] };
  dispatch: [number, number, number];
  variableNames = ['dy', 'w'];
  uniforms =
    'N : i32, kTiles : i32, batch : i32, inH : i32, inW : i32, outH : i32, outW : i32, outC : i32, fH : i32, fW : i32, strideH : i32, strideW : i32, padTop : i32, padLeft : i32, tapsW : i32, kMax : i32,';
  workgroupSize: [number, number, number];

  constructor(
    outputShape: number[],
    maxRows: number,
    phases: number,
    readonly tile: TileShape,
  ) {
    this.outputShape = outputShape; // [B, H, W, CI]
    this.workgroupSize = [tile.wx, tile.wy, 1];
    this.dispatch = gemmDispatch(tile, maxRows, outputShape[3]!, phases);
    this.shaderKey = `tsganConv2DInputGrad_${tile.wx}x${tile.wy}x${tile.rn}${tile.kind === 'direct' ? 'd' : ''}`;
  }

  getUserCode(): string {
    return `
  // This workgroup's stride phase (py, px): its rows iy = firstY + sh*u (u < rowsP), columns
  // ix = firstX + sw*v (v < colsP), and oy = baseY + u - j for tap kh = py + sh*j (same for x).
  var<private> py : i32;
  var<private> px : i32;
  var<private> rowsP : i32;
  var<private> colsP : i32;
  var<private> firstY : i32;
  var<private> firstX : i32;
  fn phaseFirst(pad : i32, stride : i32, phase : i32) -> i32 { return ((phase - pad) % stride + stride) % stride; }
  fn phaseCount(size : i32, first : i32, stride : i32) -> i32 {
    if (size <= first) { return 0; }
    return (size - first + stride - 1) / stride;
  }
  fn mmSetup(z : i32) {
    py = z / uniforms.strideW;
    px = z % uniforms.strideW;
    firstY = phaseFirst(uniforms.padTop, uniforms.strideH, py);
    firstX = phaseFirst(uniforms.padLeft, uniforms.strideW, px);
    rowsP = phaseCount(uniforms.inH, firstY, uniforms.strideH);
    colsP = phaseCount(uniforms.inW, firstX, uniforms.strideW);
  }
  fn mmRows(z : i32) -> i32 { return uniforms.batch * rowsP * colsP; }
  fn mmKBegin(z : i32) -> i32 { return 0; }
  fn mmKEnd(z : i32) -> i32 { return uniforms.kMax; }
  // k = (j, i, co): tap kh = py + sh*j, kw = px + sw*i (may fall outside the filter: zero).
  // The filter tap (kh, kw) and channel co of k = (j, i, co); kh = fH when the tap is outside the filter.
  fn tapOf(k : i32) -> vec3<i32> {
    let co = k % uniforms.outC;
    let t = k / uniforms.outC;
    let kh = py + uniforms.strideH * (t / uniforms.tapsW);
    let kw = px + uniforms.strideW * (t % uniforms.tapsW);
    if (kh >= uniforms.fH || kw >= uniforms.fW) { return vec3<i32>(uniforms.fH, 0, 0); }
    return vec3<i32>(kh, kw, co);
  }
  fn mmA(z : i32, k : i32, m : i32) -> f32 {
    let tap = tapOf(k);
    if (tap.x >= uniforms.fH) { return 0.0; }
    let kh = tap.x;
    let kw = tap.y;
    let co = tap.z;
    let v = m % colsP;
    let t2 = m / colsP;
    let u = t2 % rowsP;
    let b = t2 / rowsP;
    // (iy + pad - kh) is a multiple of the stride by construction of the phase.
    let ny = firstY + uniforms.strideH * u + uniforms.padTop - kh;
    let nx = firstX + uniforms.strideW * v + uniforms.padLeft - kw;
    let oy = ny / uniforms.strideH;
    let ox = nx / uniforms.strideW;
    if (ny < 0 || oy >= uniforms.outH || nx < 0 || ox >= uniforms.outW) { return 0.0; }
    return dy[((b * uniforms.outH + oy) * uniforms.outW + ox) * uniforms.outC + co];
  }
  fn mmB(z : i32, k : i32, n : i32) -> f32 {
    let tap = tapOf(k);
    if (tap.x >= uniforms.fH) { return 0.0; }
    return w[((tap.x * uniforms.fW + tap.y) * uniforms.N + n) * uniforms.outC + tap.z];
  }
  fn mmStore(z : i32, m : i32, n : i32, v : f32) {
    let c = m % colsP;
    let t = m / colsP;
    let u = t % rowsP;
    let b = t / rowsP;
    let iy = firstY + uniforms.strideH * u;
    let ix = firstX + uniforms.strideW * c;
    result[((b * uniforms.inH + iy) * uniforms.inW + ix) * uniforms.N + n] = v;
  }
  ${gemmMain(this.tile, true, true)}
`;
  }
}

export function conv2DBackpropInputWebGPU(args: KernelArgs, stock: tf.KernelFunc): tf.TensorInfo {
  const { dy, filter } = args.inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const a = args.attrs as unknown as tf.Conv2DBackpropInputAttrs;
  const backend = args.backend as WebGPUBackendLike;
  const format = tf.backend_util.convertConv2DDataFormat(a.dataFormat);
  if (format !== 'channelsLast' || dy.dtype !== 'float32' || filter.dtype !== 'float32')
    return stock(args as never) as tf.TensorInfo;
  const c = tf.backend_util.computeConv2DInfo(
    a.inputShape,
    filter.shape as [number, number, number, number],
    a.strides,
    1,
    a.pad,
    a.dimRoundingMode,
    false,
    format,
  );
  const sh = c.strideHeight;
  const sw = c.strideWidth;
  const tapsH = ceilDiv(c.filterHeight, sh);
  const tapsW = ceilDiv(c.filterWidth, sw);
  const kMax = tapsH * tapsW * c.outChannels;
  // The largest phase (the first) bounds the rows of the dispatch; smaller phases check their own.
  let maxRows = 0;
  for (let py = 0; py < sh; py++) {
    for (let px = 0; px < sw; px++) {
      const r =
        phaseGeometry(c.inHeight, c.padInfo.top, sh, py).count * phaseGeometry(c.inWidth, c.padInfo.left, sw, px).count;
      maxRows = Math.max(maxRows, c.batchSize * r);
    }
  }
  const N = c.inChannels;
  const tile = chooseTile(maxRows, N);
  const uniforms = intUniforms(
    N,
    ceilDiv(kMax, GEMM_TK),
    c.batchSize,
    c.inHeight,
    c.inWidth,
    c.outHeight,
    c.outWidth,
    c.outChannels,
    c.filterHeight,
    c.filterWidth,
    sh,
    sw,
    c.padInfo.top,
    c.padInfo.left,
    tapsW,
    kMax,
  );
  const outShape = [c.batchSize, c.inHeight, c.inWidth, c.inChannels];
  return backend.runWebGPUProgram(
    new InputGradProgram(outShape, maxRows, sh * sw, tile),
    [dy, filter],
    'float32',
    uniforms,
  );
}
