// SRResNet / SRGAN / ESRGAN (src/models/srgan.ts): shapes at x2 and x4, the receptive radius
// bounds what an output pixel reads, and short runs on Fashion-MNIST super-resolution pairs where
// the content loss falls (SRResNet mode: one phase; SRGAN mode: G and D phases with finite losses).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { fmnistSR } from '../../src/data/super_resolution.js';
import { loadFashionMnist, tf } from '../../src/index.js';
import { SRGAN, srReceptiveRadius } from '../../src/models/srgan.js';
import { parseConfig } from '../../src/train/config.js';
import { Trainer } from '../../src/train/trainer.js';

test('SRResNet and ESRGAN generators: x2 and x4 shapes, any-size generator, D gives one logit per image', () => {
  for (const scale of [2, 4] as const)
    for (const arch of ['srresnet', 'rrdb'] as const) {
      const m = new SRGAN({
        scale,
        arch,
        inputSize: 6,
        channels: 3,
        blocks: 1,
        width: 8,
        growth: 4,
        widthD: 4,
        dStages: 2,
        denseD: 8,
      });
      assert.deepEqual(m.outputShape, [6 * scale, 6 * scale, 3]);
      const y = m.translate(tf.zeros([2, 6, 6, 3]) as tf.Tensor4D);
      assert.deepEqual(y.shape, [2, 6 * scale, 6 * scale, 3]);
      const any = m.generatorForAnySize('G');
      any.setWeights(m.networks.G!.getWeights());
      const x = tf.randomNormal([1, 5, 9, 3], 0, 1, 'float32', 1);
      assert.deepEqual((any.predict(x) as tf.Tensor).shape, [1, 5 * scale, 9 * scale, 3]);
      assert.deepEqual((m.networks.D!.predict(y) as tf.Tensor).shape, [2, 1]);
      if (arch === 'rrdb') assert.equal(m.options.batchNorm, false);
      tf.dispose([x, y]);
      any.dispose();
      m.dispose();
    }
  assert.equal(new SRGAN({ adversarial: false, blocks: 1, width: 4 }).networks.D, undefined);
});

test('the receptive radius bounds the influence: an input pixel farther than it changes no output pixel', () => {
  const m = new SRGAN({ scale: 2, blocks: 2, width: 4, adversarial: false, batchNorm: false });
  const g = m.generatorForAnySize('G');
  const r = srReceptiveRadius(m.options);
  const side = 2 * r + 8;
  const grad = tf.grad((x: tf.Tensor) => {
    const y = g.apply(x) as tf.Tensor4D; // [1, 2*side, 2*side, 3]
    return tf.sum(tf.slice(y, [0, side, side, 0], [1, 1, 1, 3])); // the output pixel at the input's centre
  })(tf.randomNormal([1, side, side, 3], 0, 1, 'float32', 2));
  const gv = grad.dataSync();
  let far = 0;
  let near = 0;
  for (let y = 0; y < side; y++)
    for (let x = 0; x < side; x++) {
      const d = Math.max(Math.abs(y - side / 2), Math.abs(x - side / 2));
      const v = Math.abs(gv[(y * side + x) * 3]!);
      if (d > r) far = Math.max(far, v);
      else near = Math.max(near, v);
    }
  assert.equal(far, 0, 'influence beyond the radius');
  assert.ok(near > 0);
  m.dispose();
});

const fmnist = () => {
  const ds = loadFashionMnist({ limit: 64 });
  return fmnistSR(ds.images, ds.n, 4);
};

test('SRResNet mode trains on Fashion-MNIST 7->28: one G phase, L1 falls', () => {
  const t = new Trainer({
    config: parseConfig({ batchSize: 8, seed: 1, lr: 1e-3, beta1: 0.9, ema: 0 }),
    dataset: fmnist(),
    model: new SRGAN({ scale: 4, inputSize: 7, channels: 1, blocks: 2, width: 16, adversarial: false }),
  });
  const l1: number[] = [];
  for (let i = 0; i < 40; i++) {
    const r = t.trainStep();
    assert.equal(r.losses.D, undefined);
    l1.push(r.logs.L1!);
  }
  const mean = (a: number[]) => a.reduce((x, y) => x + y) / a.length;
  assert.ok(mean(l1.slice(-5)) < 0.7 * mean(l1.slice(0, 5)), `L1 ${mean(l1.slice(0, 5))} -> ${mean(l1.slice(-5))}`);
  t.dispose();
});

test('SRGAN mode (feature loss, relativistic D) trains: finite G and D losses, L1 falls', () => {
  const t = new Trainer({
    config: parseConfig({ batchSize: 8, seed: 2, lr: 1e-3, beta1: 0.9, ema: 0 }),
    dataset: fmnist(),
    model: new SRGAN({
      scale: 4,
      inputSize: 7,
      channels: 1,
      blocks: 2,
      width: 16,
      widthD: 8,
      dStages: 2,
      denseD: 16,
      featureWeight: 0.1,
      relativistic: true,
    }),
  });
  const l1: number[] = [];
  for (let i = 0; i < 30; i++) {
    const r = t.trainStep();
    assert.ok(Number.isFinite(r.losses.D!) && Number.isFinite(r.losses.G!) && Number.isFinite(r.logs.feat!));
    l1.push(r.logs.L1!);
  }
  const mean = (a: number[]) => a.reduce((x, y) => x + y) / a.length;
  assert.ok(mean(l1.slice(-5)) < 0.8 * mean(l1.slice(0, 5)), `L1 ${mean(l1.slice(0, 5))} -> ${mean(l1.slice(-5))}`);
  t.dispose();
});
