// Random NHWC convolution configurations for the native conv kernels' parity tests: odd sizes,
// batch 1, strides 1 and 2, 'same' / 'valid' / explicit padding, dilations (stride 1 only, as tfjs
// requires), always with a non-empty output.
import { tf } from '../../src/index.js';
import { randInt } from './parity.js';

export type Pad = 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];

export interface ConvCase {
  xShape: [number, number, number, number]; // [N, H, W, inC]
  filterShape: [number, number, number, number]; // [kH, kW, inC, outC]
  strides: [number, number];
  dilations: [number, number];
  pad: Pad;
}

/** Output shape of conv2d(x, filter) for a case (dilation 1, as the gradient tests run it): [N, outH, outW, outC]. */
export function conv2dOutShape(c: ConvCase): number[] {
  return tf.backend_util.computeConv2DInfo(
    c.xShape,
    c.filterShape,
    c.strides,
    1,
    c.pad as Parameters<typeof tf.backend_util.computeConv2DInfo>[4],
  ).outShape;
}

export function describeCase(c: ConvCase): string {
  return `x ${JSON.stringify(c.xShape)} f ${JSON.stringify(c.filterShape)} s ${c.strides} d ${c.dilations} pad ${JSON.stringify(c.pad)}`;
}

/** Output height/width of a case (tfjs rules), to reject empty outputs. */
function outSize(inSize: number, k: number, s: number, d: number, pad: Pad, axis: 1 | 2): number {
  const eff = (k - 1) * d + 1;
  if (pad === 'same') return Math.ceil(inSize / s);
  if (pad === 'valid') return Math.ceil((inSize - eff + 1) / s);
  const [lo, hi] = pad[axis];
  return Math.floor((inSize + lo + hi - eff) / s) + 1;
}

export function randomConvCase(r: () => number, opts: { dilation?: boolean } = {}): ConvCase {
  for (;;) {
    const n = r() < 0.3 ? 1 : randInt(r, 2, 3);
    const h = randInt(r, 1, 13);
    const w = randInt(r, 1, 13);
    const inC = r() < 0.2 ? 1 : randInt(r, 2, 19);
    const outC = randInt(r, 1, 21);
    const kh = randInt(r, 1, 5);
    const kw = randInt(r, 1, 5);
    const dil = opts.dilation !== false && r() < 0.25 ? randInt(r, 2, 3) : 1;
    const stride = dil > 1 ? 1 : randInt(r, 1, 2);
    const pr = r();
    const pad: Pad =
      pr < 0.4
        ? 'same'
        : pr < 0.75
          ? 'valid'
          : [
              [0, 0],
              [randInt(r, 0, 2), randInt(r, 0, 2)],
              [randInt(r, 0, 2), randInt(r, 0, 2)],
              [0, 0],
            ];
    const c: ConvCase = {
      xShape: [n, h, w, inC],
      filterShape: [kh, kw, inC, outC],
      strides: [stride, stride],
      dilations: [dil, dil],
      pad,
    };
    if (outSize(h, kh, stride, dil, pad, 1) >= 1 && outSize(w, kw, stride, dil, pad, 2) >= 1) return c;
  }
}

/** The dcgan28 shapes (at a small batch): stride 2, 'same', 4x4 filters. */
/**
 * Small maps with many channels (a U-Net's inner layers), where the kernels skip the blocked GEMM
 * (native/gemm_skinny.h): at most 16 output pixels with a large filter, odd channel counts for the
 * vector tails, a 1x1 pointwise filter, a batch of 3, and 16 pixels exactly (the limit).
 */
export const SMALL_MAP_CASES: ConvCase[] = [
  { xShape: [1, 4, 4, 512], filterShape: [4, 4, 512, 512], strides: [2, 2], dilations: [1, 1], pad: 'same' },
  { xShape: [1, 1, 1, 256], filterShape: [4, 4, 256, 96], strides: [2, 2], dilations: [1, 1], pad: 'same' },
  { xShape: [2, 2, 2, 301], filterShape: [3, 3, 301, 71], strides: [1, 1], dilations: [1, 1], pad: 'same' },
  { xShape: [3, 3, 3, 257], filterShape: [2, 2, 257, 129], strides: [1, 1], dilations: [1, 1], pad: 'valid' },
  { xShape: [1, 3, 3, 600], filterShape: [1, 1, 600, 203], strides: [1, 1], dilations: [1, 1], pad: 'valid' },
  { xShape: [1, 8, 8, 64], filterShape: [3, 3, 64, 128], strides: [2, 2], dilations: [1, 1], pad: 'same' },
];

export const DCGAN_CASES: ConvCase[] = [
  { xShape: [2, 28, 28, 1], filterShape: [4, 4, 1, 64], strides: [2, 2], dilations: [1, 1], pad: 'same' },
  { xShape: [2, 14, 14, 64], filterShape: [4, 4, 64, 128], strides: [2, 2], dilations: [1, 1], pad: 'same' },
];
