// pix2pix (src/models/pix2pix.ts): network shapes at several sizes, the U-Net's skips, the
// PatchGAN's patch map, option errors, a short run on tiny paired data where the L1 error falls,
// and exact resume through the trainer's checkpoint (multi-field sampler state included).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { FieldDataset } from '../../src/data/fields.js';
import { tf } from '../../src/index.js';
import { Pix2Pix } from '../../src/models/pix2pix.js';
import { parseConfig } from '../../src/train/config.js';
import { Trainer } from '../../src/train/trainer.js';

/** Paired toy data: targets are inputs mirrored left-right with the channels rotated (a translation G must learn). */
function toyPairs(n: number, size: number, seed = 1): FieldDataset {
  const r = tf.randomUniform([n, size / 4, size / 4, 3], -1, 1, 'float32', seed);
  const input = tf.image.resizeNearestNeighbor(r as tf.Tensor4D, [size, size]); // blocky images
  const target = tf.reverse(tf.gather(input, [2, 0, 1], 3), 2);
  const ds: FieldDataset = {
    kind: 'fields',
    name: 'toy-pairs',
    paired: true,
    fields: {
      input: { shape: [size, size, 3], n, data: input.dataSync() as Float32Array },
      target: { shape: [size, size, 3], n, data: target.dataSync() as Float32Array },
    },
  };
  tf.dispose([r, input, target]);
  return ds;
}

test('pix2pix networks: U-Net keeps the size, PatchGAN gives a patch map; options checked', () => {
  for (const [res, patches] of [
    [16, 8],
    [32, 16],
    [64, 16],
  ] as const) {
    const m = new Pix2Pix({ resolution: res, widthG: 4, widthD: 4 });
    const x = tf.zeros([2, res, res, 3]);
    const y = m.translate(x as tf.Tensor4D);
    assert.deepEqual(y.shape, [2, res, res, 3]);
    const d = m.networks.D!.apply([x, y]) as tf.Tensor;
    assert.deepEqual(d.shape, [2, patches, patches, 1], `PatchGAN at ${res}`);
    m.dispose();
  }
  const gray = new Pix2Pix({ resolution: 32, inputChannels: 1, outputChannels: 3, widthG: 2, widthD: 2 });
  assert.deepEqual(gray.translate(tf.zeros([1, 32, 32, 1]) as tf.Tensor4D).shape, [1, 32, 32, 3]);
  assert.throws(() => new Pix2Pix({ resolution: 48 }), /power of two/);
  assert.throws(() => new Pix2Pix({ widthG: 0 }), /widthG/);
  assert.throws(() => new Pix2Pix({ lambda: 3 } as never), /lambda/);
  assert.equal(new Pix2Pix({ resolution: 16, l1Only: true, widthG: 2 }).networks.D, undefined);
});

test('pix2pix: every input pixel reaches the output (U-Net skips and receptive field)', () => {
  const m = new Pix2Pix({ resolution: 16, widthG: 4, widthD: 4, dropoutBlocks: 0 });
  const g = tf.grad((x: tf.Tensor) => tf.sum(m.translate(x as tf.Tensor4D)))(
    tf.randomNormal([1, 16, 16, 3], 0, 1, 'float32', 3),
  );
  const zeros = Array.from(g.dataSync()).filter((v) => v === 0).length;
  assert.ok(zeros < 16 * 16 * 3 * 0.05, `${zeros} input values without influence`);
});

function trainer(ds: FieldDataset, opts: ConstructorParameters<typeof Pix2Pix>[0], seed = 3) {
  return new Trainer({
    config: parseConfig({ batchSize: 4, seed, lr: 2e-3, beta1: 0.5, ema: 0 }),
    dataset: ds,
    model: new Pix2Pix(opts),
  });
}

test('pix2pix trains on tiny paired data: L1 falls, losses are logged under their phases', () => {
  const ds = toyPairs(8, 16);
  const t = trainer(ds, { resolution: 16, widthG: 8, widthD: 8 });
  const l1: number[] = [];
  for (let i = 0; i < 60; i++) {
    const r = t.trainStep();
    assert.ok(Number.isFinite(r.losses.D!) && Number.isFinite(r.losses.G!));
    l1.push(r.logs.L1!);
  }
  const first = l1.slice(0, 5).reduce((a, b) => a + b) / 5;
  const last = l1.slice(-5).reduce((a, b) => a + b) / 5;
  assert.ok(last < 0.8 * first, `L1 ${first.toFixed(3)} -> ${last.toFixed(3)}`);
  t.dispose();
});

test('pix2pix resumes exactly: N steps + checkpoint + N steps == 2N steps', () => {
  const ds = toyPairs(6, 16, 5);
  const opts = { resolution: 16, widthG: 4, widthD: 4 } as const; // seeded dropout on: still exact
  const a = trainer(ds, opts);
  for (let i = 0; i < 6; i++) a.trainStep();
  const b = trainer(ds, opts);
  for (let i = 0; i < 3; i++) b.trainStep();
  const ck = b.toCheckpoint();
  b.dispose();
  const c = trainer(ds, opts);
  c.restore(ck);
  for (let i = 0; i < 3; i++) c.trainStep();
  const x = a.toCheckpoint();
  const y = c.toCheckpoint();
  assert.deepEqual(y.header.state.sampler, x.header.state.sampler);
  for (let i = 0; i < x.tensors.length; i++)
    assert.deepEqual(Array.from(y.tensors[i]!.data), Array.from(x.tensors[i]!.data), x.tensors[i]!.name);
  a.dispose();
  c.dispose();
});
