// The direct path of convolutions with few output channels (native/narrow_conv.*): forward (Conv2D and
// FusedConv2D), input gradient (a flipped convolution) and filter gradient against tfjs cpu, for 1 to
// 4 output channels, odd filter sizes, every padding and rectangular maps; and proof that the path is
// taken (TSGAN_NARROW_CONV=0 in a child gives other low bits on such a shape).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { childJson, convKernelsOnBothBackends, type Pad } from '../helpers/conv_paths.js';
import { assertParity, rng } from '../helpers/parity.js';
interface Case {
  x: [number, number, number, number];
  k: number;
  co: number;
  pad: Pad;
}

const CASES: Case[] = [
  { x: [2, 12, 10, 16], k: 9, co: 3, pad: 'same' }, // SRResNet's output layer, small
  { x: [1, 9, 14, 8], k: 7, co: 1, pad: 'same' },
  { x: [2, 11, 9, 24], k: 5, co: 2, pad: 'valid' },
  {
    x: [1, 10, 13, 20],
    k: 3,
    co: 4,
    pad: [
      [0, 0],
      [2, 0],
      [1, 3],
      [0, 0],
    ],
  },
  { x: [3, 8, 8, 33], k: 4, co: 3, pad: 'same' }, // an even filter, a channel count that is no multiple of 8
];

test('few-output-channel convolutions: forward, fused bias + activation and both gradients match tfjs cpu', () => {
  const r = rng(51);
  for (const c of CASES) {
    const res = convKernelsOnBothBackends(r, c, { activation: 'relu' });
    assertParity(res, 1e-4, `narrow conv x [${c.x}] k ${c.k} -> ${c.co}, pad ${JSON.stringify(c.pad)}`);
  }
});

test('a 9x9 convolution to 3 channels leaves the im2col path (TSGAN_NARROW_CONV=0 in a child)', () => {
  const script = `
    import { tf } from './src/index.js';
    await tf.setBackend('native');
    const x = tf.randomUniform([2, 16, 16, 32], -1, 1, 'float32', 7);
    const f = tf.randomUniform([9, 9, 32, 3], -1, 1, 'float32', 8);
    const y = tf.conv2d(x, f, 1, 'same');
    const dx = tf.conv2dTranspose(y, f, x.shape, 1, 'same');
    const dw = tf.engine().runKernel('Conv2DBackpropFilter', { x, dy: y }, { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: [9, 9, 32, 3] });
    console.log(JSON.stringify([y, dx, dw].map((t) => Buffer.from(t.dataSync().buffer).toString('base64'))));`;
  const run = (on: string) => childJson<string[]>(script, { TSGAN_NARROW_CONV: on });
  const on = run('1');
  const off = run('0');
  assert.notEqual(on[0], off[0], 'forward: the direct path gives other low bits than im2col');
  assert.notEqual(on[1], off[1], 'input gradient: the flipped convolution gives other low bits');
  assert.notEqual(on[2], off[2], 'filter gradient: the direct path gives other low bits');
});
