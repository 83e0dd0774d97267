// Parity of the native Conv2D kernel with tfjs cpu, and its argument checks.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { tf } from '../../src/index.js';
import type { NativeBackend } from '../../src/backend/native_backend.js';
import { DCGAN_CASES, SMALL_MAP_CASES, describeCase, randomConvCase, type ConvCase } from '../helpers/conv_cases.js';
import { assertParity, onBothBackends, randValues, rng } from '../helpers/parity.js';

const size = (s: number[]) => s.reduce((a, b) => a * b, 1);

function check(c: ConvCase, r: () => number): void {
  const res = onBothBackends(
    [
      { values: randValues(r, size(c.xShape)), shape: c.xShape },
      { values: randValues(r, size(c.filterShape)), shape: c.filterShape },
    ],
    (x, f) => tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, c.strides, c.pad, 'NHWC', c.dilations),
  );
  assertParity(res, 1e-4, `conv2d ${describeCase(c)}`);
}

test('Conv2D matches tfjs cpu on random shapes (strides, dilations, same/valid/explicit padding)', () => {
  const r = rng(11);
  for (let i = 0; i < 60; i++) check(randomConvCase(r), r);
});

test('Conv2D matches tfjs cpu on the dcgan28 shapes and a 1x1 convolution', () => {
  const r = rng(12);
  for (const c of DCGAN_CASES) check(c, r);
  check({ xShape: [3, 5, 7, 9], filterShape: [1, 1, 9, 17], strides: [1, 1], dilations: [1, 1], pad: 'valid' }, r);
  check({ xShape: [1, 9, 9, 300], filterShape: [3, 3, 300, 20], strides: [1, 1], dilations: [1, 1], pad: 'same' }, r);
});

test('Conv2D matches tfjs cpu on small maps with many channels (the unpacked skinny GEMM)', () => {
  const r = rng(13);
  for (const c of SMALL_MAP_CASES) check(c, r);
});

test('Conv2D is the native kernel and rejects bad shapes with a readable error', () => {
  assert.notEqual(tf.getKernel('Conv2D', 'native')!.kernelFunc, tf.getKernel('Conv2D', 'cpu')!.kernelFunc);
  const backend = tf.findBackend('native') as NativeBackend;
  const x = new Float32Array(1 * 5 * 5 * 3);
  const f = new Float32Array(3 * 3 * 3 * 2);
  const geom = [1, 1, 1, 1, 1, 1, 5, 5];
  // Filter input channels (4) differ from x's (3).
  assert.throws(
    () => backend.run('Conv2D', x, f, new Float32Array(50), [1, 5, 5, 3], [3, 3, 4, 2], geom),
    (e: Error) => {
      assert.match(e.message, /Conv2D/);
      assert.match(e.message, /\[1,5,5,3\]/);
      return true;
    },
  );
  // Output buffer of the wrong size.
  assert.throws(
    () => backend.run('Conv2D', x, f, new Float32Array(7), [1, 5, 5, 3], [3, 3, 3, 2], geom),
    /Conv2D.*'out' has 7 elements/,
  );
  // Zero stride, wrong rank, not a Float32Array.
  assert.throws(
    () => backend.run('Conv2D', x, f, new Float32Array(50), [1, 5, 5, 3], [3, 3, 3, 2], [0, 1, 1, 1, 1, 1, 5, 5]),
    /Conv2D: strides/,
  );
  assert.throws(
    () => backend.run('Conv2D', x, f, new Float32Array(50), [5, 5, 3], [3, 3, 3, 2], geom),
    /Conv2D: xShape must have rank 4/,
  );
  assert.throws(
    () => backend.run('Conv2D', [1, 2], f, new Float32Array(50), [1, 5, 5, 3], [3, 3, 3, 2], geom),
    /Conv2D.*Float32Array/,
  );
});
