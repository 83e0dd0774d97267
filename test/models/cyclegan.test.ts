// CycleGAN (src/models/cyclegan.ts): shapes of the four networks, the history pool's rule, a short
// unpaired run where the cycle loss falls, and exact resume with the pools in the checkpoint.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { FieldDataset } from '../../src/data/fields.js';
import { tf } from '../../src/index.js';
import { CycleGAN, ImagePool } from '../../src/models/cyclegan.js';
import { parseConfig } from '../../src/train/config.js';
import { Rng } from '../../src/train/rng.js';
import { Trainer } from '../../src/train/trainer.js';

/** Unpaired toy domains: A blocky colour images, B (a different set) their channel-rotated mirror images. */
function toyDomains(nA: number, nB: number, size: number): FieldDataset {
  const make = (n: number, seed: number) =>
    tf.tidy(() =>
      tf.image.resizeNearestNeighbor(
        tf.randomUniform([n, size / 4, size / 4, 3], -1, 1, 'float32', seed) as tf.Tensor4D,
        [size, size],
      ),
    );
  const a = make(nA, 1);
  const b = tf.tidy(() => tf.reverse(tf.gather(make(nB, 2), [2, 0, 1], 3), 2));
  const ds: FieldDataset = {
    kind: 'fields',
    name: 'toy-unpaired',
    paired: false,
    fields: {
      A: { shape: [size, size, 3], n: nA, data: a.dataSync() as Float32Array },
      B: { shape: [size, size, 3], n: nB, data: b.dataSync() as Float32Array },
    },
  };
  tf.dispose([a, b]);
  return ds;
}

test('cyclegan networks: generators keep the size both ways, PatchGANs give patch maps; options checked', () => {
  const m = new CycleGAN({ resolution: 16, widthG: 4, widthD: 4, blocks: 2, channelsA: 1, channelsB: 3 });
  assert.deepEqual(Object.keys(m.networks).sort(), ['D_A', 'D_B', 'G_AB', 'G_BA']);
  const a = tf.zeros([2, 16, 16, 1]) as tf.Tensor4D;
  const b = m.translate(a);
  assert.deepEqual(b.shape, [2, 16, 16, 3]);
  assert.deepEqual(m.translate(b, { direction: 'BtoA' }).shape, [2, 16, 16, 1]);
  assert.deepEqual((m.networks.D_B!.apply(b) as tf.Tensor).shape, [2, 8, 8, 1]);
  assert.throws(() => new CycleGAN({ resolution: 18 }), /multiple of 4/);
  assert.throws(() => new CycleGAN({ blocks: -1 }), /blocks/);
  m.dispose();
});

test('ImagePool: fills to its size, then swaps an old fake in about half the time', () => {
  const pool = new ImagePool(4, [1]);
  const rng = new Rng(1);
  const first = pool.query(tf.tensor([[1], [2], [3], [4]]), rng);
  assert.deepEqual(Array.from(first.dataSync()), [1, 2, 3, 4], 'while filling, the new fakes');
  let swapped = 0;
  for (let i = 0; i < 200; i++) {
    const out = pool.query(tf.tensor([[100 + i]]), rng).dataSync()[0]!;
    if (out !== 100 + i) swapped++;
  }
  assert.ok(swapped > 70 && swapped < 130, `${swapped} of 200 swapped`);
  assert.equal(pool.images.length, 4);
});

function trainer(ds: FieldDataset, seed = 3) {
  return new Trainer({
    config: parseConfig({ batchSize: 2, seed, lr: 2e-3, beta1: 0.5, ema: 0 }),
    dataset: ds,
    model: new CycleGAN({ resolution: 16, widthG: 4, widthD: 4, blocks: 1, poolSize: 3 }),
  });
}

test('cyclegan trains on tiny unpaired data: the cycle loss falls; losses per phase', () => {
  const t = trainer(toyDomains(6, 5, 16));
  const cyc: number[] = [];
  for (let i = 0; i < 40; i++) {
    const r = t.trainStep();
    for (const k of ['G', 'D_A', 'D_B']) assert.ok(Number.isFinite(r.losses[k]!), `${k} logged`);
    cyc.push(r.logs.G_cycle!);
  }
  const first = cyc.slice(0, 4).reduce((a, b) => a + b) / 4;
  const last = cyc.slice(-4).reduce((a, b) => a + b) / 4;
  assert.ok(last < 0.85 * first, `cycle ${first.toFixed(3)} -> ${last.toFixed(3)}`);
  t.dispose();
});

test('cyclegan resumes exactly, history pools included', () => {
  const ds = toyDomains(5, 4, 16);
  const a = trainer(ds);
  for (let i = 0; i < 6; i++) a.trainStep();
  const b = trainer(ds);
  for (let i = 0; i < 3; i++) b.trainStep();
  const ck = b.toCheckpoint();
  assert.ok(
    ck.tensors.some((t) => t.name === 'model/pool_A'),
    'the pool is in the checkpoint',
  );
  b.dispose();
  const c = trainer(ds);
  c.restore(ck);
  for (let i = 0; i < 3; i++) c.trainStep();
  const x = a.toCheckpoint();
  const y = c.toCheckpoint();
  assert.deepEqual(y.header.state.sampler, x.header.state.sampler);
  assert.deepEqual(
    y.tensors.map((t) => t.name),
    x.tensors.map((t) => t.name),
  );
  for (let i = 0; i < x.tensors.length; i++)
    assert.deepEqual(Array.from(y.tensors[i]!.data), Array.from(x.tensors[i]!.data), x.tensors[i]!.name);
  a.dispose();
  c.dispose();
});

test("cyclegan's G phase (three generator calls on concatenated inputs) gives the six calls' losses and gradients", () => {
  const m = new CycleGAN({ resolution: 16, widthG: 4, widthD: 4, blocks: 1, poolSize: 0 });
  const a = tf.randomUniform([2, 16, 16, 3], -1, 1, 'float32', 3) as tf.Tensor4D;
  const b = tf.randomUniform([2, 16, 16, 3], -1, 1, 'float32', 4) as tf.Tensor4D;
  const [g] = m.phases({} as never);
  const ctx = {
    step: 0,
    real: a,
    labels: null,
    batchSize: 2,
    batch: { A: a, B: b },
    stepCache: {} as Record<string, tf.Tensor>,
    rng: new Rng(1),
    augment: (x: tf.Tensor) => x,
  };
  const vars = m.networks.G_AB!.trainableWeights.map((w) => w.read() as tf.Variable);
  const grouped = tf.variableGrads(() => {
    const r = g!.loss(ctx);
    return r.loss;
  }, vars);
  const logs = tf.tidy(() => {
    const r = g!.loss(ctx);
    return Object.fromEntries(Object.entries(r.logs!).map(([k, v]) => [k, v.dataSync()[0]!]));
  });
  // The reference's six calls, one input each.
  const run = (n: string, x: tf.Tensor) => m.networks[n]!.apply(x, { training: true }) as tf.Tensor;
  const l1 = (x: tf.Tensor, y: tf.Tensor) => tf.mean(tf.abs(tf.sub(x, y)));
  const mse1 = (x: tf.Tensor) => tf.mean(tf.square(tf.sub(x, 1)));
  const parts = () => {
    const fakeB = run('G_AB', a);
    const fakeA = run('G_BA', b);
    const adv = tf.add(mse1(run('D_B', fakeB)), mse1(run('D_A', fakeA)));
    const cyc = tf.add(l1(run('G_BA', fakeB), a), l1(run('G_AB', fakeA), b));
    const idt = tf.add(l1(run('G_AB', b), b), l1(run('G_BA', a), a));
    return { adv, cyc, idt, loss: tf.addN([adv, tf.mul(10, cyc), tf.mul(5, idt)]) as tf.Scalar };
  };
  const separate = tf.variableGrads(() => parts().loss, vars);
  const ref = tf.tidy(() => {
    const p = parts();
    return { G_adv: p.adv.dataSync()[0]!, G_cycle: p.cyc.dataSync()[0]!, G_identity: p.idt.dataSync()[0]! };
  });
  for (const k of ['G_adv', 'G_cycle', 'G_identity'] as const)
    assert.ok(Math.abs(logs[k]! - ref[k]) < 1e-5 * Math.max(1, Math.abs(ref[k])), `${k}: ${logs[k]} vs ${ref[k]}`);
  assert.ok(Math.abs(grouped.value.dataSync()[0]! - separate.value.dataSync()[0]!) < 1e-4, 'the loss');
  let worst = 0;
  for (const [name, gr] of Object.entries(grouped.grads)) {
    const d = tf.tidy(() => tf.max(tf.abs(tf.sub(gr, separate.grads[name]!))).dataSync()[0]!);
    const s = tf.tidy(() => tf.max(tf.abs(separate.grads[name]!)).dataSync()[0]!);
    worst = Math.max(worst, d / Math.max(s, 1e-6));
  }
  assert.ok(worst < 1e-3, `gradients of G_AB agree to ${worst}`);
  for (const t of Object.values(ctx.stepCache)) t.dispose();
  assert.throws(
    () => new CycleGAN({ resolution: 16, widthG: 4, widthD: 4, blocks: 1, channelsA: 1 }).phases({} as never),
    /same channels \(A has 1, B has 3\); set the model option identityWeight to 0/,
  );
  m.dispose();
});
