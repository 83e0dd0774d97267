// The few-tiles Winograd drivers of the native convolutions (native/winograd.cc ForwardSmall and
// BackpropFilterSmall: 4 to 128 tiles of 4x4, the small maps of CycleGAN's residual blocks at batch 1):
// forward (Conv2D and FusedConv2D), input gradient and filter gradient against tfjs cpu on shapes
// whose channels fill partial GEMM slivers and panels, span two filter blocks (> 128 input channels),
// and whose outputs end in partial tiles; and proof that such shapes take them: with
// TSGAN_WINOGRAD_SMALL=0 (the large-map driver or im2col) a child process gives other low bits on a
// 16-tile shape and the same bits on a 144-tile one.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { assertCloseToScale, childJson, convKernelsOnBothBackends, type Pad } from '../helpers/conv_paths.js';
import { rng } from '../helpers/parity.js';

interface Case {
  x: [number, number, number, number];
  co: number;
  pad: Pad;
}

const CASES: Case[] = [
  { x: [1, 16, 16, 40], co: 48, pad: 'same' }, // 16 tiles each way
  { x: [1, 18, 18, 136], co: 36, pad: 'valid' }, // two filter blocks, a partial sliver; input gradient 25 tiles
  { x: [2, 12, 12, 35], co: 33, pad: 'same' }, // 18 tiles, channels not a multiple of 6 or 16
  { x: [3, 8, 8, 32], co: 64, pad: 'same' }, // 12 tiles of 3 images
  { x: [1, 14, 13, 48], co: 32, pad: 'valid' }, // a partial last tile column (forward), rectangular
  { x: [3, 14, 14, 40], co: 48, pad: 'valid' }, // input gradient 48 tiles of 3 images (14x14 in 16x16)
];

const describe = (c: Case) => `x [${c.x}] -> ${c.co}, pad ${JSON.stringify(c.pad)}`;

test('few-tiles Winograd: forward, FusedConv2D (bias + relu) and both gradients match tfjs cpu', () => {
  const r = rng(43);
  for (const c of CASES) {
    const res = convKernelsOnBothBackends(r, { ...c, k: 3 }, { activation: 'relu' });
    assertCloseToScale(res, `winograd small ${describe(c)}`);
  }
});

test('few-tiles Winograd drivers are taken (TSGAN_WINOGRAD_SMALL=0 in a child changes a 16-tile shape only)', () => {
  // The child prints the bits of conv2d, its input gradient and its filter gradient for a 16-tile
  // shape (batch 1, 16x16) and a 144-tile one (batch 4, 24x24: the large-map driver either way).
  const script = `
    import { tf } from './src/index.js';
    await tf.setBackend('native');
    const out = [];
    for (const [n, s] of [[1, 16], [4, 24]]) {
      const x = tf.randomUniform([n, s, s, 64], -1, 1, 'float32', 7);
      const f = tf.randomUniform([3, 3, 64, 64], -1, 1, 'float32', 8);
      const y = tf.conv2d(x, f, 1, 'same');
      const dx = tf.conv2dTranspose(y, f, x.shape, 1, 'same');
      const dw = tf.engine().runKernel('Conv2DBackpropFilter', { x, dy: y }, { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 64, 64] });
      for (const t of [y, dx, dw]) out.push(Buffer.from(t.dataSync().buffer).toString('base64').slice(0, 4000));
    }
    console.log(JSON.stringify(out));`;
  const on = childJson<string[]>(script, { TSGAN_WINOGRAD_SMALL: '1' });
  const off = childJson<string[]>(script, { TSGAN_WINOGRAD_SMALL: '0' });
  ['conv2d', 'input gradient', 'filter gradient'].forEach((what, i) => {
    assert.notEqual(on[i], off[i], `16 tiles, ${what}: the few-tiles driver gives other low bits`);
    assert.equal(on[3 + i], off[3 + i], `144 tiles, ${what}: the large-map driver either way`);
  });
});
