// InfoGAN's categorical code on DCGAN (src/nn/info_code.ts): G's fixed code layers one-hot encode
// argmax z[:K] exactly as the training phases label the fakes, the trainer's seeded init keeps them,
// and G and Q together drive the mutual-information term below its chance level ln K.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { DCGAN, Trainer, parseConfig, tf, tfl } from '../../src/index.js';
import { loadFashionMnist } from '../../src/data/fashion_mnist.js';
import { infoCodes } from '../../src/nn/info_code.js';

/** G's code layer (the frozen softmax dense) as a model from z. */
function codeModel(g: tfl.LayersModel): tfl.LayersModel {
  const layer = g.layers.find((l) => !l.trainable && l.getClassName() === 'Dense');
  assert.ok(layer, 'G has a frozen code layer');
  return tfl.model({ inputs: g.inputs, outputs: layer.output as tfl.SymbolicTensor });
}

test('the code G computes is one-hot(argmax z[:K]), the category the training phases use', () => {
  const m = new DCGAN({ width: 8, latentDim: 12, infoCategories: 5 });
  const z = tf.randomNormal([64, 12], 0, 1, 'float32', 3);
  const c = (codeModel(m.networks.G).predict(z) as tf.Tensor).arraySync() as number[][];
  const want = infoCodes(z.dataSync() as Float32Array, 12, 5);
  c.forEach((row, i) => {
    assert.equal(row.length, 5);
    assert.ok(row[want[i]!]! > 0.99, `row ${i}: category ${want[i]} has ${row[want[i]!]}`);
  });
  assert.deepEqual(
    (m.networks.D.outputs as tfl.SymbolicTensor[]).map((o) => o.shape),
    [
      [null, 1],
      [null, 5],
    ],
    'D has the Q head',
  );
  assert.throws(
    () => new DCGAN({ latentDim: 4, infoCategories: 5 }),
    /infoCategories must be an integer in 2..latentDim \(4\), got 5/,
  );
  z.dispose();
});

test('InfoGAN training: the seeded init keeps the code layer, and the information term falls below ln K', async () => {
  const ds = await loadFashionMnist({ split: 'test', limit: 512 });
  const t = new Trainer({
    config: parseConfig({
      model: { family: 'dcgan', width: 8, latentDim: 16, infoCategories: 4 },
      batchSize: 16,
      lr: 1e-3,
      beta1: 0.5,
      seed: 2,
    }),
    dataset: ds,
  });
  const z = tf.randomNormal([32, 16], 0, 1, 'float32', 9);
  const c = (codeModel(t.model.networks.G).predict(z) as tf.Tensor).argMax(1).dataSync();
  assert.deepEqual(
    Array.from(c),
    Array.from(infoCodes(z.dataSync() as Float32Array, 16, 4)),
    'code layer intact after init',
  );
  const first: number[] = [];
  const last: number[] = [];
  for (let i = 0; i < 150; i++) {
    const r = t.trainStep();
    assert.ok(Number.isFinite(r.logs.infoG) && Number.isFinite(r.logs.infoD), `step ${i}: info terms logged`);
    if (i < 10) first.push(r.logs.infoG!);
    if (i >= 130) last.push(r.logs.infoG!);
  }
  const mean = (a: number[]) => a.reduce((s, x) => s + x, 0) / a.length;
  assert.ok(mean(first) > 0.8 * Math.log(4), `starts near chance: ${mean(first)}`);
  assert.ok(mean(last) < 0.5 * Math.log(4), `Q recovers the code from G's images: ${mean(first)} -> ${mean(last)}`);
  z.dispose();
  t.dispose();
});
