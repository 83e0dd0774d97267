// MoCoGAN (src/models/mocogan.ts): network shapes at 32 and 64 pixels, the latent's content and
// motion parts, option errors, the video discriminator's signal at initialization and its learning
// moving from still clips, a short run on moving shapes where the discriminators' loss falls (and no
// tensor leaks), and exact resume through the trainer's checkpoint.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { FieldDataset } from '../../src/data/fields.js';
import { makeMovingShapes } from '../../src/data/moving.js';
import { tf } from '../../src/index.js';
import { discriminatorLoss } from '../../src/losses/adversarial.js';
import { MoCoGAN, type MoCoGANOptions } from '../../src/models/mocogan.js';
import { parseConfig } from '../../src/train/config.js';
import { Trainer } from '../../src/train/trainer.js';

const tiny: Partial<MoCoGANOptions> = {
  frames: 8,
  contentDim: 6,
  motionDim: 3,
  noiseDim: 2,
  widthG: 4,
  widthDI: 4,
  widthDV: 4,
};

test('mocogan networks: G makes clips [N, T, H, W, C], D_I scores frames, D_V scores clips; options checked', () => {
  for (const [res, channels] of [
    [32, 3],
    [64, 1],
  ] as const) {
    const m = new MoCoGAN({ ...tiny, resolution: res, channels });
    assert.equal(m.latentDim, 6 + 3 + 8 * 2);
    const z = tf.randomNormal([2, m.latentDim]) as tf.Tensor2D;
    const clips = m.generate(z);
    assert.deepEqual(clips.shape, [2, 8, res, res, channels]);
    const v = clips.dataSync();
    assert.ok(
      v.every((x) => x >= -1 && x <= 1),
      'tanh range',
    );
    assert.deepEqual((m.networks.DV!.apply(clips) as tf.Tensor).shape, [2, 1]);
    assert.deepEqual((m.networks.DI!.apply(tf.zeros([3, res, res, channels])) as tf.Tensor).shape, [3, 1]);
    m.dispose();
  }
  // Clips shorter than the reference's unpadded temporal kernels keep their length ('same' padding).
  const short = new MoCoGAN({ ...tiny, frames: 3 });
  assert.deepEqual((short.networks.DV!.apply(tf.zeros([1, 3, 32, 32, 3])) as tf.Tensor).shape, [1, 1]);
  assert.throws(() => new MoCoGAN({ resolution: 28 }), /resolution must be 32 or 64/);
  assert.throws(() => new MoCoGAN({ frames: 1 }), /frames/);
  assert.throws(() => new MoCoGAN({ depth: 3 } as never), /depth/);
  assert.throws(() => short.generate(tf.zeros([1, 5]) as tf.Tensor2D), /5 components, the model takes/);
});

test('mocogan latents: the content seed fixes the object, the motion seed the motion; frames of a clip differ by motion only', () => {
  const m = new MoCoGAN(tiny);
  const { content } = m.latentParts;
  const a = m.videoLatent(3, 1, 2).arraySync();
  const b = m.videoLatent(3, 1, 3).arraySync(); // same objects, new motion
  const c = m.videoLatent(3, 4, 2).arraySync(); // new objects, same motion
  for (let i = 0; i < 3; i++) {
    assert.deepEqual(a[i]!.slice(0, content), b[i]!.slice(0, content));
    assert.notDeepEqual(a[i]!.slice(content), b[i]!.slice(content));
    assert.deepEqual(a[i]!.slice(content), c[i]!.slice(content));
    assert.notDeepEqual(a[i]!.slice(0, content), c[i]!.slice(0, content));
  }
  // With no motion noise and h(0) = 0, the GRU still moves (biases), but two clips with the same
  // motion part and different content codes share their motion codes: G's per-frame input differs by z_C only.
  const codes = (z: number[][]) =>
    (
      m.networks.G!.layers.find((l) => l.getClassName() === 'TsganMotionGRU')!.apply(tf.tensor2d(z)) as tf.Tensor
    ).arraySync() as number[][];
  const ca = codes(a);
  const cc = codes(c);
  for (let r = 0; r < ca.length; r++) assert.deepEqual(ca[r]!.slice(content), cc[r]!.slice(content));
  m.dispose();
});

test("mocogan motion codes: each clip's GRU states minus their mean over its frames (no clip-constant offset), the reference's states with centerMotion false", () => {
  const codesOf = (m: MoCoGAN, z: tf.Tensor2D) =>
    (
      m.networks.G!.layers.find((l) => l.getClassName() === 'TsganMotionGRU')!.apply(z) as tf.Tensor
    ).arraySync() as number[][]; // [N*T, C + M]
  const centred = new MoCoGAN(tiny);
  const raw = new MoCoGAN({ ...tiny, centerMotion: false });
  raw.networks.G!.setWeights(centred.networks.G!.getWeights());
  const z = centred.videoLatent(3, 1, 2);
  const a = codesOf(centred, z);
  const b = codesOf(raw, z);
  const { contentDim: c, motionDim: m, frames: t } = centred.options;
  for (let i = 0; i < 3; i++)
    for (let d = 0; d < m; d++) {
      const col = (x: number[][]) => Array.from({ length: t }, (_, f) => x[i * t + f]![c + d]!);
      const mean = (v: number[]) => v.reduce((p, q) => p + q, 0) / v.length;
      assert.ok(Math.abs(mean(col(a))) < 1e-5, `clip ${i} dim ${d}: mean ${mean(col(a))}`);
      const rawCol = col(b);
      const mu = mean(rawCol);
      const shifted = col(a);
      for (let f = 0; f < t; f++) assert.ok(Math.abs(shifted[f]! - (rawCol[f]! - mu)) < 1e-5, 'centred = raw - mean');
      for (let f = 0; f < t; f++) assert.equal(a[i * t + f]![0], b[i * t + f]![0], 'content untouched');
    }
  centred.dispose();
  raw.dispose();
});

test("mocogan's video discriminator starts with a signal: after the trainer's DCGAN init its logits are not ~1e-4", () => {
  // DCGAN's N(0, 0.02) for every kernel shrank the signal ~5-10x per convolution over D_V's six
  // (logits ~1e-4 at widths 8); its clip convolutions draw their own variance-preserving kernels.
  const t = trainer({ ...tiny, widthDV: 8 });
  const clips = tf.tensor((t.dataset as FieldDataset).fields.clip!.data, [16, 8, 32, 32, 3]); // [N, T, H, W, C]
  const logits = Array.from((t.model.networks.DV!.apply(clips) as tf.Tensor).dataSync());
  const rms = Math.sqrt(logits.reduce((a, b) => a + b * b, 0) / logits.length);
  assert.ok(rms > 0.02, `D_V's initial logits have rms ${rms.toExponential(2)}`);
  clips.dispose();
  t.dispose();
});

test("mocogan's video discriminator alone learns moving clips from still ones (the same frame repeated) in 150 steps", () => {
  const m = new MoCoGAN({ ...tiny, widthDV: 8 });
  const t = new Trainer({
    config: parseConfig({ model: { family: 'dcgan' }, batchSize: 8, seed: 5 }),
    dataset: null,
    model: m,
  });
  const ds = makeMovingShapes({ n: 64, frames: 8, seed: 2 });
  const data = ds.fields.clip!.data as Float32Array;
  const f = 32 * 32 * 3;
  const DV = m.networks.DV!;
  const opt = tf.train.adam(2e-4, 0.5, 0.999);
  const losses: number[] = [];
  for (let s = 0; s < 150; s++) {
    const real = new Float32Array(8 * 8 * f);
    const still = new Float32Array(8 * 8 * f);
    for (let b = 0; b < 8; b++) {
      const i = (s * 8 + b) % 64;
      const j = (s * 8 + b + 32) % 64;
      real.set(data.subarray(i * 8 * f, (i + 1) * 8 * f), b * 8 * f);
      const k = (s + b) % 8; // a still clip: frame k of clip j, 8 times
      for (let fr = 0; fr < 8; fr++) still.set(data.subarray((j * 8 + k) * f, (j * 8 + k + 1) * f), (b * 8 + fr) * f);
    }
    const r = tf.tensor(real, [8, 8, 32, 32, 3]);
    const st = tf.tensor(still, [8, 8, 32, 32, 3]);
    const cost = opt.minimize(
      () =>
        discriminatorLoss(
          'nonsaturating',
          DV.apply(r, { training: true }) as tf.Tensor,
          DV.apply(st, { training: true }) as tf.Tensor,
        ),
      true,
      DV.trainableWeights.map((w) => w.read() as tf.Variable),
    )!;
    losses.push(cost.dataSync()[0]!);
    tf.dispose([r, st, cost]);
  }
  const last = losses.slice(-10).reduce((a, b) => a + b) / 10;
  assert.ok(
    last < 0.8 * Math.log(4),
    `D_V's loss over its last 10 steps: ${last.toFixed(3)} (chance ${Math.log(4).toFixed(3)})`,
  );
  opt.dispose();
  t.dispose();
});

function trainer(opts: Partial<MoCoGANOptions>, extra: Record<string, unknown> = {}) {
  const ds = makeMovingShapes({ n: 16, frames: opts.frames ?? 8, seed: 1 });
  return new Trainer({
    config: parseConfig({ model: { family: 'dcgan' }, batchSize: 4, seed: 3, lr: 1e-3, beta1: 0.5, ...extra }),
    dataset: ds,
    model: new MoCoGAN(opts),
  });
}

test('mocogan trains on moving shapes: the discriminators learn (their loss falls), losses per phase, no tensor leak', () => {
  const t = trainer({ ...tiny, widthDI: 8, widthDV: 8 });
  const d: number[] = [];
  let tensors = 0;
  for (let i = 0; i < 30; i++) {
    const r = t.trainStep();
    for (const k of ['G', 'D']) assert.ok(Number.isFinite(r.losses[k]!), `${k} loss`);
    for (const k of ['G_image', 'G_video', 'D_image', 'D_video']) assert.ok(Number.isFinite(r.logs[k]!), k);
    d.push(r.losses.D!);
    if (i === 2) tensors = tf.memory().numTensors;
  }
  assert.equal(tf.memory().numTensors, tensors, 'tensors after step 3 and step 30');
  const first = d.slice(0, 5).reduce((a, b) => a + b) / 5;
  const last = d.slice(-5).reduce((a, b) => a + b) / 5;
  assert.ok(last < 0.9 * first, `D loss ${first.toFixed(3)} -> ${last.toFixed(3)}`);
  t.dispose();
});

test('mocogan resumes exactly: N steps + checkpoint + N steps == 2N steps (EMA of G included)', () => {
  const extra = { ema: 0.9 };
  const a = trainer(tiny, extra);
  for (let i = 0; i < 4; i++) a.trainStep();
  const b = trainer(tiny, extra);
  for (let i = 0; i < 2; i++) b.trainStep();
  const ck = b.toCheckpoint();
  b.dispose();
  const c = trainer(tiny, extra);
  c.restore(ck);
  for (let i = 0; i < 2; i++) c.trainStep();
  const x = a.toCheckpoint();
  const y = c.toCheckpoint();
  assert.deepEqual(y.header.state.sampler, x.header.state.sampler);
  assert.deepEqual(y.header.state.rng, x.header.state.rng);
  assert.ok(
    x.tensors.some((t) => t.name.startsWith('ema')),
    'the checkpoint holds the EMA copy',
  );
  assert.deepEqual(
    y.tensors.map((t) => t.name),
    x.tensors.map((t) => t.name),
  );
  for (let i = 0; i < x.tensors.length; i++)
    assert.deepEqual(Array.from(y.tensors[i]!.data), Array.from(x.tensors[i]!.data), x.tensors[i]!.name);
  a.dispose();
  c.dispose();
});
