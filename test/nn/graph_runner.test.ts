// GraphRunner (src/nn/graph_runner.ts) against model.apply(): the same values and the same gradients
// of every trainable weight, bit for bit, on StyleGAN2's networks (a class-conditional one: two-input
// mapping and D; G nests the mapping and synthesis models) and on a small functional model with a
// branch and a merge; a wrong input is a sentence.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import * as tfl from '@tensorflow/tfjs-layers';

import { tf } from '../../src/index.js';
import { StyleGAN2 } from '../../src/models/stylegan2.js';
import { GraphRunner } from '../../src/nn/graph_runner.js';

/** Output values and the gradients of sum(out * r) for every trainable weight, by one way of applying. */
function run(net: tfl.LayersModel, inputs: tf.Tensor[], apply: (x: tf.Tensor[]) => tf.Tensor) {
  const out = apply(inputs);
  const r = tf.randomNormal(out.shape, 0, 1, 'float32', 5);
  const vars = net.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val);
  const { grads } = tf.variableGrads(() => tf.sum(tf.mul(apply(inputs), r)) as tf.Scalar, vars);
  const res = { out: Array.from(out.dataSync()), grads: vars.map((v) => Array.from(grads[v.name]!.dataSync())) };
  tf.dispose([out, r, ...Object.values(grads)]);
  return res;
}

function assertSame(net: tfl.LayersModel, inputs: tf.Tensor[], kwargs: Record<string, unknown>) {
  const runner = new GraphRunner();
  const viaApply = run(net, inputs, (x) => net.apply(x, kwargs) as tf.Tensor);
  const viaRunner = run(net, inputs, (x) => runner.apply(net, x, kwargs) as tf.Tensor);
  assert.ok(viaApply.grads.length > 0, `${net.name} has trainable weights`);
  assert.deepEqual(viaRunner.out, viaApply.out, `${net.name}: values`);
  viaApply.grads.forEach((g, i) => {
    assert.deepEqual(viaRunner.grads[i], g, `${net.name}: gradient of weight ${i}`);
  });
}

test('GraphRunner: StyleGAN2 mapping, synthesis, D and the nested G give model.apply values and gradients', () => {
  const m = new StyleGAN2({
    resolution: 8,
    channels: 3,
    latentDim: 8,
    wDim: 8,
    channelBase: 64,
    channelMax: 8,
    numClasses: 3,
    mappingLayers: 2,
  });
  const n = 3;
  const z = tf.randomNormal([n, 8], 0, 1, 'float32', 1);
  const labels = tf.tensor2d([[0], [2], [1]]);
  const { mapping, synthesis } = m.parts();
  assertSame(mapping, [z, labels], { training: true });
  const ws = Array.from({ length: m.numWs }, (_, i) => tf.randomNormal([n, 8], 0, 1, 'float32', 10 + i));
  const noise = m.noiseSides.map((s, i) => tf.randomNormal([n, s, s, 1], 0, 1, 'float32', 20 + i));
  assertSame(synthesis, [...ws, ...noise], { training: true });
  const x = tf.randomUniform([n, 8, 8, 3], -1, 1, 'float32', 3);
  assertSame(m.networks.D!, [x, labels], { training: true });
  assertSame(m.networks.G!, [z, labels], { training: false });
  tf.dispose([z, labels, x, ...ws, ...noise]);
  m.dispose();
});

test('GraphRunner: a branch and a merge; inputs are checked with a sentence', () => {
  const a = tfl.input({ shape: [4], name: 'a' });
  const b = tfl.input({ shape: [2], name: 'b' });
  const h = tfl.layers.dense({ units: 3, activation: 'relu' }).apply(a) as tfl.SymbolicTensor;
  const h2 = tfl.layers.dense({ units: 3 }).apply(h) as tfl.SymbolicTensor;
  const merged = tfl.layers.concatenate().apply([h, h2, b]) as tfl.SymbolicTensor;
  const y = tfl.layers.dense({ units: 1 }).apply(merged) as tfl.SymbolicTensor;
  const net = tfl.model({ inputs: [a, b], outputs: y, name: 'branchy' });
  const xa = tf.randomNormal([5, 4], 0, 1, 'float32', 7);
  const xb = tf.randomNormal([5, 2], 0, 1, 'float32', 8);
  assertSame(net, [xa, xb], {});
  const runner = new GraphRunner();
  assert.throws(() => runner.apply(net, [xa]), /branchy takes 2 inputs, got 1/);
  assert.throws(() => runner.apply(net, [xa, xa]), /branchy: input 1 has shape \[5, 4\], expected \[N, 2\]/);
  const before = tf.memory().numTensors;
  tf.dispose(runner.apply(net, [xa, xb]));
  assert.equal(tf.memory().numTensors, before, 'nothing but the output is left');
  // A model input that is also an output comes back as a copy (as model.apply gives it).
  const passes = tfl.model({ inputs: [a, b], outputs: [y, b], name: 'passes' });
  const [yOut, bOut] = runner.apply(passes, [xa, xb]) as tf.Tensor[];
  assert.notEqual(bOut, xb);
  assert.deepEqual(Array.from(bOut!.dataSync()), Array.from(xb.dataSync()));
  tf.dispose([yOut!, bOut!]);
  assert.equal(xb.isDisposed, false);
  tf.dispose([xa, xb]);
  net.dispose();
});
