// Parity of the native Conv2DBackpropFilter kernel (conv2d's filter gradient) with tfjs cpu, and
// its argument checks.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { loadNativeAddon, tf } from '../../src/index.js';
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

function check(c: ConvCase, r: () => number, viaGrad = true): void {
  const yShape = conv2dOutShape(c); // dy has the forward output's shape
  const res = onBothBackends(
    [
      { values: randValues(r, size(c.xShape)), shape: c.xShape },
      { values: randValues(r, size(c.filterShape)), shape: c.filterShape },
      { values: randValues(r, size(yShape)), shape: yShape },
    ],
    (x, f, dy) => [
      // The gradient of conv2d with respect to the filter, as training runs it.
      viaGrad
        ? tf.grad((w: tf.Tensor) =>
            tf.sum(tf.mul(tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, c.strides, c.pad), dy!)),
          )(f!)
        : f!,
      // The kernel called directly.
      tf.engine().runKernel('Conv2DBackpropFilter', { x: x!, dy: dy! }, {
        strides: c.strides,
        pad: c.pad,
        dataFormat: 'NHWC',
        filterShape: c.filterShape,
      } as unknown as tf.NamedAttrMap) as tf.Tensor,
    ],
  );
  assertParity(res, 1e-4, `conv2d backprop filter ${describeCase(c)}`);
}

test('Conv2DBackpropFilter matches tfjs cpu on random shapes (strides, same/valid/explicit padding)', () => {
  const r = rng(41);
  for (let i = 0; i < 50; i++) check(randomConvCase(r, { dilation: false }), r);
});

test('Conv2DBackpropFilter matches tfjs cpu on small maps with many channels (the shallow-depth GEMM)', () => {
  const r = rng(43);
  for (const c of SMALL_MAP_CASES) check(c, r);
});

test('Conv2DBackpropFilter matches tfjs cpu on the dcgan28 shapes (batch 1) and with many pixels', () => {
  const r = rng(42);
  // (tfjs cpu's filter gradient is slow on these: the kernel is called directly only.)
  for (const c of DCGAN_CASES) check({ ...c, xShape: [1, c.xShape[1], c.xShape[2], c.xShape[3]] }, r, false);
  // Enough output pixels that the depth is split over several tasks.
  check({ xShape: [5, 40, 40, 3], filterShape: [3, 3, 3, 7], strides: [1, 1], dilations: [1, 1], pad: 'same' }, r);
});

test('Conv2DBackpropFilter splits patch columns over 3 threads when the pixels are few (small batches)', () => {
  const r = rng(43);
  const addon = loadNativeAddon().addon!;
  const before = addon.info().threads;
  addon.setNumThreads(3);
  try {
    // 800 output pixels (too few for a depth split), 63 patch columns (4 column panels, the last partial).
    check({ xShape: [2, 20, 20, 7], filterShape: [3, 3, 7, 40], strides: [1, 1], dilations: [1, 1], pad: 'same' }, r);
    // The main job's D conv2 at batch 4: 196 pixels, 1,024 patch columns.
    check(
      { xShape: [4, 14, 14, 64], filterShape: [4, 4, 64, 128], strides: [2, 2], dilations: [1, 1], pad: 'same' },
      r,
      false,
    );
  } finally {
    addon.setNumThreads(before);
  }
});

test('Conv2DBackpropFilter is the native kernel and rejects bad shapes with a readable error', () => {
  assert.notEqual(
    tf.getKernel('Conv2DBackpropFilter', 'native')!.kernelFunc,
    tf.getKernel('Conv2DBackpropFilter', 'cpu')!.kernelFunc,
  );
  const backend = tf.findBackend('native') as NativeBackend;
  const x = new Float32Array(1 * 5 * 5 * 4);
  const dy = new Float32Array(1 * 3 * 3 * 2);
  const geom = [2, 2, 1, 1, 1, 1, 3, 3];
  assert.throws(
    () => backend.run('Conv2DBackpropFilter', x, dy, new Float32Array(10), [1, 5, 5, 4], [3, 3, 4, 2], geom),
    /Conv2DBackpropFilter: 'dw' has 10 elements, expected 72/,
  );
  assert.throws(
    () =>
      backend.run(
        'Conv2DBackpropFilter',
        x,
        new Float32Array(3),
        new Float32Array(72),
        [1, 5, 5, 4],
        [3, 3, 4, 2],
        geom,
      ),
    /Conv2DBackpropFilter: 'dy' has 3 elements.*\[1,5,5,4\]/,
  );
  assert.throws(
    () =>
      backend.run(
        'Conv2DBackpropFilter',
        x,
        dy,
        new Float32Array(72),
        [1, 5, 5, 4],
        [3, 3, 4, 2],
        [2, 2, 1, 1, 1, 1, 3],
      ),
    /Conv2DBackpropFilter: geom must have 8 entries/,
  );
});
