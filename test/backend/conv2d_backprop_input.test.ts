// Parity of the native Conv2DBackpropInput kernel (conv2d's input gradient and conv2dTranspose,
// the DCGAN generator's layers) with tfjs cpu, and its argument checks.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { tf } from '../../src/index.js';
import type { NativeBackend } from '../../src/backend/native_backend.js';
import {
  DCGAN_CASES,
  SMALL_MAP_CASES,
  conv2dOutShape,
  describeCase,
  randomConvCase,
  type ConvCase,
} from '../helpers/conv_cases.js';
import { assertParity, onBothBackends, randValues, rng } from '../helpers/parity.js';

const size = (s: number[]) => s.reduce((a, b) => a * b, 1);

function check(c: ConvCase, r: () => number): void {
  const yShape = conv2dOutShape(c); // dy has the forward output's shape
  const res = onBothBackends(
    [
      { values: randValues(r, size(c.xShape)), shape: c.xShape },
      { values: randValues(r, size(c.filterShape)), shape: c.filterShape },
      { values: randValues(r, size(yShape)), shape: yShape },
    ],
    (x, f, dy) => [
      // The gradient of conv2d with respect to x, as training runs it.
      tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, f as tf.Tensor4D, c.strides, c.pad), dy!)))(
        x!,
      ),
      // A transposed convolution back to x's shape.
      tf.conv2dTranspose(dy as tf.Tensor4D, f as tf.Tensor4D, c.xShape, c.strides, c.pad),
    ],
  );
  assertParity(res, 1e-4, `conv2d backprop input ${describeCase(c)}`);
}

test('Conv2DBackpropInput matches tfjs cpu on random shapes (strides, same/valid/explicit padding)', () => {
  const r = rng(31);
  for (let i = 0; i < 50; i++) check(randomConvCase(r, { dilation: false }), r);
});

test('Conv2DBackpropInput matches tfjs cpu on the dcgan28 generator shapes', () => {
  const r = rng(32);
  for (const c of DCGAN_CASES) check(c, r);
  // More images than threads x 4 (several images per task) and a batch of 1 (pool-parallel GEMM).
  check({ xShape: [11, 8, 8, 16], filterShape: [4, 4, 16, 8], strides: [2, 2], dilations: [1, 1], pad: 'same' }, r);
  check({ xShape: [1, 30, 30, 40], filterShape: [4, 4, 40, 32], strides: [2, 2], dilations: [1, 1], pad: 'same' }, r);
});

test('Conv2DBackpropInput matches tfjs cpu on small maps with many channels (the unpacked skinny GEMM)', () => {
  const r = rng(33);
  for (const c of SMALL_MAP_CASES) check(c, r);
});

test('Conv2DBackpropInput is the native kernel and rejects bad shapes with a readable error', () => {
  assert.notEqual(
    tf.getKernel('Conv2DBackpropInput', 'native')!.kernelFunc,
    tf.getKernel('Conv2DBackpropInput', 'cpu')!.kernelFunc,
  );
  const backend = tf.findBackend('native') as NativeBackend;
  const dy = new Float32Array(1 * 3 * 3 * 2);
  const f = new Float32Array(3 * 3 * 4 * 2);
  const geom = [2, 2, 1, 1, 1, 1, 3, 3];
  assert.throws(
    () => backend.run('Conv2DBackpropInput', dy, f, new Float32Array(99), [1, 5, 5, 4], [3, 3, 4, 2], geom),
    /Conv2DBackpropInput: 'dx' has 99 elements, expected 100/,
  );
  assert.throws(
    () =>
      backend.run(
        'Conv2DBackpropInput',
        new Float32Array(5),
        f,
        new Float32Array(100),
        [1, 5, 5, 4],
        [3, 3, 4, 2],
        geom,
      ),
    /Conv2DBackpropInput: 'dy' has 5 elements.*\[1,5,5,4\]/,
  );
  assert.throws(
    () => backend.run('Conv2DBackpropInput', dy, f, new Float32Array(100), [1, 5, 5, 4], [3, 3, 3, 2], geom),
    /Conv2DBackpropInput: input channels 4 differ/,
  );
});
