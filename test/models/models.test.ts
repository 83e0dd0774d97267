// Model construction: output shapes at every resolution, conditional inputs, phases declared,
// the dcgan28 networks equal to the benchmark's, option errors.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { CGAN, DCGAN, Rng, VanillaGAN, createModel, tf } from '../../src/index.js';

test('DCGAN generates [N, res, res, C] in [-1, 1] at 28, 32 and 64', () => {
  for (const resolution of [28, 32, 64] as const) {
    const m = new DCGAN({ resolution, width: 4, latentDim: 8, channels: 3 });
    const x = m.generate(m.sampleLatent(2, new Rng(1)));
    assert.deepEqual(x.shape, [2, resolution, resolution, 3]);
    const v = x.dataSync();
    assert.ok(
      v.every((a) => a >= -1 && a <= 1),
      'tanh range',
    );
    const d = m.discriminate(x, null, false);
    assert.deepEqual(d.logits.shape, [2, 1]);
    m.dispose();
  }
});

test('DCGAN at 28 with width 64 has the dcgan28 benchmark networks', () => {
  const m = new DCGAN();
  const g = m.networks.G;
  const d = m.networks.D;
  // G: dense 100 -> 7*7*128 (+bias), convT 128->64 4x4 (no bias, BN), convT 64->1 4x4 (+bias)
  const gParams = 100 * 6272 + 6272 + 4 * 4 * 128 * 64 + 4 * 64 + 4 * 4 * 64 * 1 + 1;
  assert.equal(g.countParams(), gParams);
  // D: conv 1->64, conv 64->128, dense 6272 -> 1
  assert.equal(d.countParams(), 16 * 64 + 64 + 16 * 64 * 128 + 128 + 6272 + 1);
  m.dispose();
});

test('cGAN: projection D takes labels, ACGAN D predicts classes; G needs labels', () => {
  const m = new CGAN({ width: 4, latentDim: 8, numClasses: 5 });
  const z = m.sampleLatent(3, new Rng(2));
  assert.throws(() => m.generate(z, null), /needs class labels/);
  const y = tf.tensor1d([0, 4, 2], 'int32');
  const x = m.generate(z, y);
  assert.deepEqual(x.shape, [3, 28, 28, 1]);
  assert.deepEqual(m.discriminate(x, y, false).logits.shape, [3, 1]);
  // Changing only the label changes the projection term, so D's output.
  const other = m.discriminate(x, tf.tensor1d([1, 1, 1], 'int32'), false).logits.dataSync();
  const same = m.discriminate(x, y, false).logits.dataSync();
  assert.notDeepEqual(Array.from(other), Array.from(same));
  const ac = new CGAN({ width: 4, latentDim: 8, numClasses: 5, acgan: true, spectralNorm: false });
  const out = ac.discriminate(ac.generate(z, y), null, false);
  assert.deepEqual(out.classLogits!.shape, [3, 5]);
  assert.deepEqual(
    ac
      .phases({
        loss: 'nonsaturating',
        gpWeight: 0,
        r1Gamma: 0,
        r1Every: 1,
        realTarget: 1,
        dSteps: 1,
        auxWeight: 1,
        topK: 1,
        infoWeight: 1,
      })
      .map((p) => p.name),
    ['D', 'G'],
  );
});

test('phases: R1 is a lazy phase, dSteps repeats D, all update declared networks', () => {
  const m = new VanillaGAN({ hidden: 8 });
  const phases = m.phases({
    loss: 'hinge',
    gpWeight: 0,
    r1Gamma: 1,
    r1Every: 16,
    realTarget: 1,
    dSteps: 3,
    auxWeight: 0,
    topK: 1,
    infoWeight: 1,
  });
  assert.deepEqual(
    phases.map((p) => [p.name, p.updates.join(), p.optimizer, p.every ?? 1, p.repeat ?? 1]),
    [
      ['D', 'D', 'D', 1, 3],
      ['R1', 'D', 'D', 16, 1],
      ['G', 'G', 'G', 1, 1],
    ],
  );
});

test('Vanilla GAN on points and on flattened images; describe() for info', () => {
  const pts = new VanillaGAN({ hidden: 8 });
  assert.deepEqual(pts.generate(pts.sampleLatent(4, new Rng(1))).shape, [4, 2]);
  const img = createModel('vanilla', { hidden: 8, dataShape: [28, 28, 1] });
  assert.deepEqual(img.generate(img.sampleLatent(2, new Rng(1))).shape, [2, 28, 28, 1]);
  const d = img.describe();
  assert.equal(d.family, 'vanilla');
  assert.match(d.paper, /Goodfellow/);
  assert.ok(d.networks.G.params > 0 && d.networks.D.params > 0);
});

test('DCGAN widthG and widthD size G and D separately; unset, they follow width', () => {
  const m = new DCGAN({ width: 8, widthG: 12, widthD: 4, latentDim: 10 });
  // G: dense 10 -> 7*7*24 (+bias), convT 24->12 (BN, no bias), convT 12->1 (+bias)
  assert.equal(m.networks.G.countParams(), 10 * 1176 + 1176 + 16 * 24 * 12 + 4 * 12 + 16 * 12 + 1);
  // D: conv 1->4, conv 4->8, dense 7*7*8 -> 1
  assert.equal(m.networks.D.countParams(), 16 * 4 + 4 + 16 * 4 * 8 + 8 + 392 + 1);
  assert.equal(m.options.widthG, 12);
  m.dispose();
  const same = new DCGAN({ width: 8, latentDim: 10 });
  assert.equal(same.options.widthG, 8);
  assert.equal(same.options.widthD, 8);
  same.dispose();
  assert.throws(() => new DCGAN({ widthD: 2.5 }), /widthD must be a positive integer/);
  // The conditional GAN shares the DCGAN bodies and resolves its widths the same way.
  const c = new CGAN({ width: 8, widthD: 4, latentDim: 10, numClasses: 3 });
  assert.equal(c.options.widthG, 8);
  assert.equal(c.options.widthD, 4);
  c.dispose();
  assert.throws(() => new CGAN({ width: 0, numClasses: 3 }), /cgan: width must be a positive integer/);
});

test('refineWidth ends G with a full-resolution 3x3 stage (DCGAN and cGAN)', () => {
  const m = new DCGAN({ width: 8, latentDim: 10, refineWidth: 6 });
  // G: dense 10 -> 7*7*16 (+bias), convT 16->8 (BN), convT 8->6 (BN), conv3x3 6->1 (+bias)
  assert.equal(m.networks.G.countParams(), 10 * 784 + 784 + 16 * 16 * 8 + 4 * 8 + 16 * 8 * 6 + 4 * 6 + 9 * 6 + 1);
  const x = m.generate(tf.randomNormal([3, 10]) as tf.Tensor2D);
  assert.deepEqual(x.shape, [3, 28, 28, 1]);
  const last = m.networks.G.layers[m.networks.G.layers.length - 1]!;
  assert.equal(last.getClassName(), 'Conv2D');
  const c = new CGAN({ width: 8, latentDim: 10, numClasses: 3, refineWidth: 4 });
  assert.deepEqual(
    c.generate(tf.randomNormal([2, 10]) as tf.Tensor2D, tf.tensor1d([0, 2], 'int32')).shape,
    [2, 28, 28, 1],
  );
  assert.throws(() => new DCGAN({ refineWidth: -1 }), /refineWidth must be a non-negative integer/);
  assert.throws(() => new CGAN({ numClasses: 3, refineWidth: -1 }), /cgan: refineWidth must be a non-negative integer/);
  assert.throws(() => new CGAN({ numClasses: 3, infoCategories: 4 }), /infoCategories is a dcgan option/);
  tf.dispose(x);
  m.dispose();
  c.dispose();
});

test('bad options are rejected with the valid names', () => {
  assert.throws(() => new DCGAN({ resolution: 48 as 28 }), /resolution must be 28, 32 or 64/);
  assert.throws(() => createModel('dcgan', { widht: 3 }), /unknown option 'widht'.*width/);
  assert.throws(() => createModel('stylegan9'), /unknown model family/);
});

test('truncated latents stay within the threshold', () => {
  const m = new VanillaGAN({ hidden: 8, latentDim: 32 });
  const z = m.sampleLatent(64, new Rng(5), 0.5).dataSync();
  assert.ok(z.every((x) => Math.abs(x) <= 0.5));
});
