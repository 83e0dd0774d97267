// Parity of the native FusedConv2D kernel (conv2d + bias + activation, what tfjs-layers' conv2d
// layer runs) with tfjs cpu, for every activation, and its argument checks.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { tf } from '../../src/index.js';
import type { NativeBackend } from '../../src/backend/native_backend.js';
import { DCGAN_CASES, SMALL_MAP_CASES, describeCase, randomConvCase } from '../helpers/conv_cases.js';
import { assertParity, onBothBackends, randValues, rng } from '../helpers/parity.js';

const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
const ACTIVATIONS = ['linear', 'relu', 'relu6', 'leakyrelu', 'prelu', 'elu', 'sigmoid'] as const;

test('FusedConv2D matches tfjs cpu for every activation, with and without bias', () => {
  const r = rng(21);
  for (let i = 0; i < 42; i++) {
    const c = i < 2 ? DCGAN_CASES[i]! : i < 2 + SMALL_MAP_CASES.length ? SMALL_MAP_CASES[i - 2]! : randomConvCase(r);
    const activation = ACTIVATIONS[i % ACTIVATIONS.length]!;
    const outC = c.filterShape[3];
    const withBias = i % 3 !== 2;
    const scalarPrelu = i % 2 === 0;
    const inputs = [
      { values: randValues(r, size(c.xShape)), shape: c.xShape as number[] },
      { values: randValues(r, size(c.filterShape)), shape: c.filterShape as number[] },
      { values: randValues(r, outC), shape: [outC] },
      { values: randValues(r, scalarPrelu ? 1 : outC), shape: [scalarPrelu ? 1 : outC] },
    ];
    const res = onBothBackends(inputs, (x, f, b, p) =>
      tf.fused.conv2d({
        x: x as tf.Tensor4D,
        filter: f as tf.Tensor4D,
        strides: c.strides,
        pad: c.pad,
        dilations: c.dilations,
        bias: withBias ? b : undefined,
        activation,
        preluActivationWeights: activation === 'prelu' ? p : undefined,
        leakyreluAlpha: 0.13,
      }),
    );
    assertParity(res, 1e-4, `fused conv2d ${activation} bias=${withBias} ${describeCase(c)}`);
  }
});

test('FusedConv2D with a bias that is not per-channel still matches (cpu fallback)', () => {
  const r = rng(22);
  const res = onBothBackends(
    [
      { values: randValues(r, 2 * 6 * 6 * 3), shape: [2, 6, 6, 3] },
      { values: randValues(r, 3 * 3 * 3 * 4), shape: [3, 3, 3, 4] },
      { values: randValues(r, 6 * 6 * 4), shape: [6, 6, 4] },
    ],
    (x, f, b) =>
      tf.fused.conv2d({
        x: x as tf.Tensor4D,
        filter: f as tf.Tensor4D,
        strides: 1,
        pad: 'same',
        bias: b,
        activation: 'relu',
      }),
  );
  assertParity(res, 1e-4, 'fused conv2d, bias [6,6,4]');
});

test('FusedConv2D tanh activation (not in tfjs cpu) equals tanh(conv2d + bias)', () => {
  const r = rng(23);
  const x = tf.tensor4d(randValues(r, 2 * 7 * 7 * 5), [2, 7, 7, 5]);
  const f = tf.tensor4d(randValues(r, 3 * 3 * 5 * 6), [3, 3, 5, 6]);
  const b = tf.tensor1d(randValues(r, 6));
  const attrs = { strides: 2, pad: 'same', dataFormat: 'NHWC', dilations: 1, activation: 'tanh', leakyreluAlpha: 0.2 };
  const got = tf
    .engine()
    .runKernel('FusedConv2D', { x, filter: f, bias: b }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
  const want = tf.tanh(tf.add(tf.conv2d(x, f, 2, 'same'), b));
  const g = got.dataSync();
  const w = want.dataSync();
  assert.equal(g.length, w.length);
  for (let i = 0; i < w.length; i++) assert.ok(Math.abs(g[i]! - w[i]!) < 1e-5, `index ${i}: ${g[i]} vs ${w[i]}`);
  tf.dispose([x, f, b, got, want]);
});

test('FusedConv2D is the native kernel and rejects bad arguments with a readable error', () => {
  assert.notEqual(tf.getKernel('FusedConv2D', 'native')!.kernelFunc, tf.getKernel('FusedConv2D', 'cpu')!.kernelFunc);
  const backend = tf.findBackend('native') as NativeBackend;
  const x = new Float32Array(1 * 5 * 5 * 3);
  const f = new Float32Array(3 * 3 * 3 * 2);
  const out = new Float32Array(50);
  const geom = [1, 1, 1, 1, 1, 1, 5, 5];
  const run =
    (...rest: unknown[]) =>
    () =>
      backend.run('FusedConv2D', x, f, out, [1, 5, 5, 3], [3, 3, 3, 2], geom, ...rest);
  assert.throws(
    run(new Float32Array(3), 'relu', 0.2, null),
    /FusedConv2D: 'bias' has 3 values, expected 2.*\[1,5,5,3\]/,
  );
  assert.throws(run(null, 'swish', 0.2, null), /FusedConv2D: unknown activation 'swish'/);
  assert.throws(run(null, 'prelu', 0.2, null), /FusedConv2D: activation 'prelu' needs preluWeights/);
  assert.throws(
    () => backend.run('FusedConv2D', x, f, out, [1, 5, 5, 3], [3, 3, 2, 2], geom, null, 'relu', 0.2, null),
    /FusedConv2D: input channels 3 differ/,
  );
});
