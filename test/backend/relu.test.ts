import { test } from 'node:test';

import { tf } from '../../src/index.js';
import { assertParity, onBothBackends, randInt, randValues, rng } from '../helpers/parity.js';

test('Relu matches tfjs cpu on random shapes, forward and gradient', () => {
  const r = rng(1);
  for (let c = 0; c < 20; c++) {
    const shape = Array.from({ length: randInt(r, 0, 4) }, () => randInt(r, 1, 9));
    const n = shape.reduce((a, b) => a * b, 1);
    const res = onBothBackends([{ values: randValues(r, n), shape }], (x) => [
      tf.relu(x),
      tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.relu(a), a)))(x),
    ]);
    assertParity(res, 1e-6, `relu ${JSON.stringify(shape)}`);
  }
});

test('Relu on the native backend actually runs the C++ kernel', () => {
  const kernel = tf.getKernel('Relu', 'native');
  if (!kernel) throw new Error('no native Relu kernel registered');
  // The native config is not the cpu one.
  if (kernel.kernelFunc === tf.getKernel('Relu', 'cpu')!.kernelFunc) throw new Error('native Relu is the cpu kernel');
});
