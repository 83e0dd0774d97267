// The Winograd F(4x4, 3x3) path of the native convolutions (native/winograd.*): forward (Conv2D and
// FusedConv2D), input gradient and filter gradient against tfjs cpu on the shapes that take it
// (3x3, stride 1, >= 16 channels; odd and rectangular maps whose last tiles are partial, every padding),
// and proof that these shapes do leave the im2col path: with TSGAN_WINOGRAD=0 (the reference path)
// a child process gives different low bits on them and the same bits on a shape Winograd skips; the
// filter gradient of many tiles (summed in parts) gives the same bits at any thread count.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { loadNativeAddon, tf } from '../../src/index.js';
import { assertCloseToScale, childJson, convKernelsOnBothBackends, type Pad } from '../helpers/conv_paths.js';
import { rng } from '../helpers/parity.js';
interface Case {
  x: [number, number, number, number];
  co: number;
  pad: Pad;
}

const CASES: Case[] = [
  { x: [4, 16, 12, 24], co: 20, pad: 'same' }, // 48 tiles, rectangular
  { x: [3, 17, 19, 16], co: 33, pad: 'same' }, // partial last tiles in both directions
  { x: [2, 22, 18, 40], co: 16, pad: 'valid' },
  {
    x: [2, 20, 21, 16],
    co: 24,
    pad: [
      [0, 0],
      [2, 0],
      [0, 1],
      [0, 0],
    ],
  }, // explicit, uneven
  { x: [2, 16, 16, 64], co: 64, pad: 'same' }, // an SRResNet block's convolution (batch 2)
  { x: [1, 16, 16, 64], co: 96, pad: 'same' }, // 16 tiles: the few-tiles drivers (winograd_small.test.ts)
  { x: [8, 32, 36, 16], co: 16, pad: 'same' }, // 576 tiles: the filter gradient summed in 2 parts
];

const describe = (c: Case) => `x [${c.x}] -> ${c.co}, pad ${JSON.stringify(c.pad)}`;

test('Winograd forward, FusedConv2D (bias + leaky relu) and both gradients match tfjs cpu', () => {
  const r = rng(41);
  for (const c of CASES) {
    const res = convKernelsOnBothBackends(r, { ...c, k: 3 }, { activation: 'leakyrelu', leakyreluAlpha: 0.2 });
    assertCloseToScale(res, `winograd ${describe(c)}`);
  }
});

test('Winograd shapes leave the im2col path; other shapes stay on it (TSGAN_WINOGRAD=0 in a child)', () => {
  // The child prints the bits of conv2d and its filter gradient for a Winograd shape and a 5x5 one.
  const script = `
    import { tf } from './src/index.js';
    await tf.setBackend('native');
    const out = [];
    for (const [k, c] of [[3, 32], [5, 32]]) {
      const x = tf.randomUniform([2, 16, 16, c], -1, 1, 'float32', 7);
      const f = tf.randomUniform([k, k, c, c], -1, 1, 'float32', 8);
      const y = tf.conv2d(x, f, 1, 'same');
      const dw = tf.engine().runKernel('Conv2DBackpropFilter', { x, dy: y }, { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: [k, k, c, c] });
      out.push(Buffer.from(y.dataSync().buffer).toString('base64').slice(0, 4000), Buffer.from(dw.dataSync().buffer).toString('base64').slice(0, 4000));
    }
    console.log(JSON.stringify(out));`;
  const run = (winograd: string) => childJson<string[]>(script, { TSGAN_WINOGRAD: winograd });
  const on = run('1');
  const off = run('0');
  assert.notEqual(on[0], off[0], '3x3 conv2d: the Winograd path gives other low bits than im2col');
  assert.notEqual(on[1], off[1], '3x3 filter gradient: the Winograd path gives other low bits than im2col');
  assert.equal(on[2], off[2], '5x5 conv2d: im2col either way');
  assert.equal(on[3], off[3], '5x5 filter gradient: im2col either way');
});

test('the Winograd filter gradient of many tiles gives the same bits at 1, 2 and 3 threads', () => {
  // Its parts (and so the order of its sums) follow the tile count, not the threads.
  const addon = loadNativeAddon().addon!;
  const before = addon.info().threads;
  const prev = tf.getBackend();
  tf.setBackend('native');
  const x = tf.randomUniform([8, 40, 38, 16], -1, 1, 'float32', 3);
  const dy = tf.randomUniform([8, 40, 38, 24], -1, 1, 'float32', 4);
  const bits = (threads: number) => {
    addon.setNumThreads(threads);
    const dw = tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, {
      strides: 1,
      pad: 'same',
      dataFormat: 'NHWC',
      filterShape: [3, 3, 16, 24],
    } as unknown as tf.NamedAttrMap) as tf.Tensor;
    const b = Buffer.from((dw.dataSync() as Float32Array).slice().buffer).toString('base64');
    dw.dispose();
    return b;
  };
  try {
    const one = bits(1);
    assert.equal(bits(2), one);
    assert.equal(bits(3), one);
  } finally {
    addon.setNumThreads(before);
    x.dispose();
    dy.dispose();
    tf.setBackend(prev);
  }
});
