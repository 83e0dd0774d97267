import assert from 'node:assert/strict';
import { test } from 'node:test';

import { tf, tfl } from '../../src/index.js';
import { assertClose, randValues, rng } from '../helpers/parity.js';

function countKernels(info: { kernels: { name: string }[] }, name: string): number {
  return info.kernels.filter((k) => k.name === name).length;
}

test('fused ops under gradients compute only the gradients the tape needs', async () => {
  const r = rng(7);
  const x = tf.tensor(randValues(r, 2 * 9 * 9 * 3), [2, 9, 9, 3]);
  const f = tf.tidy(() => tf.variable(tf.tensor(randValues(r, 3 * 3 * 3 * 5), [3, 3, 3, 5])));
  const bias = tf.tidy(() => tf.variable(tf.tensor(randValues(r, 5), [5])));
  const loss = (input: tf.Tensor) =>
    tf.sum(tf.fused.conv2d({ x: input as tf.Tensor4D, filter: f, strides: 2, pad: 'same', bias }));
  // Gradient with respect to the input only: no filter gradient may run.
  const onlyInput = await tf.profile(() => tf.grad(loss)(x));
  assert.equal(countKernels(onlyInput, 'Conv2DBackpropFilter'), 0, 'filter gradient computed though not needed');
  assert.ok(countKernels(onlyInput, 'Conv2DBackpropInput') >= 1);
  // Gradient with respect to the weights only: no input gradient.
  const onlyWeights = await tf.profile(() => tf.variableGrads(() => loss(x) as tf.Scalar, [f, bias]).grads);
  assert.equal(countKernels(onlyWeights, 'Conv2DBackpropInput'), 0, 'input gradient computed though not needed');
  assert.ok(countKernels(onlyWeights, 'Conv2DBackpropFilter') >= 1);
  tf.dispose([x, f, bias]);
});

test('tfjs-layers conv2d + dense gradients equal an explicit unfused formulation', () => {
  const r = rng(11);
  tf.setBackend('cpu');
  (tf.backend() as unknown as { firstUse: boolean }).firstUse = false;
  const build = () => {
    const m = tfl.sequential();
    m.add(
      tfl.layers.conv2d({
        inputShape: [8, 8, 2],
        filters: 4,
        kernelSize: 3,
        strides: 2,
        padding: 'same',
        kernelInitializer: 'ones',
        biasInitializer: 'ones',
      }),
    );
    m.add(tfl.layers.flatten());
    m.add(tfl.layers.dense({ units: 3, kernelInitializer: 'ones', biasInitializer: 'zeros' }));
    return m;
  };
  const m = build();
  const x = tf.tensor(randValues(r, 3 * 8 * 8 * 2), [3, 8, 8, 2]);
  const grads = (model: tfl.Sequential) =>
    tf.variableGrads(
      () => tf.sum(tf.square(model.apply(x, { training: true }) as tf.Tensor)) as tf.Scalar,
      model.trainableWeights.map((w) => w.read() as tf.Variable),
    );
  // Reference: the same network written by hand with plain conv2d, matMul and add.
  const patched = grads(m);
  const w = m.trainableWeights.map((v) => v.read());
  const manual = tf.variableGrads(() => {
    const h = tf.add(tf.conv2d(x as tf.Tensor4D, w[0] as tf.Tensor4D, 2, 'same'), w[1]!);
    const flat = tf.reshape(h, [3, -1]);
    const out = tf.add(tf.matMul(flat, w[2]!), w[3]!);
    return tf.sum(tf.square(out)) as tf.Scalar;
  }, w as tf.Variable[]);
  for (const k of Object.keys(manual.grads))
    assertClose(patched.grads[k]!.dataSync(), manual.grads[k]!.dataSync(), 1e-6, k);
  assertClose(patched.value.dataSync(), manual.value.dataSync(), 1e-6, 'loss');
  tf.setBackend('native');
});
