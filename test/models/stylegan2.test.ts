// StyleGAN2 (src/models/stylegan2.ts): network shapes, the mapping/synthesis halves and their ws,
// truncation in W (psi 0 gives the image of w_avg for every z), option and data errors, a short run
// where D learns (its loss falls) with no tensor leak and w_avg tracked, and exact resume with lazy
// R1, path-length regularization (its running mean is model state), style mixing, EMA and ADA (its
// p and interval counts are model state); ADA's p is logged and R1 differentiates through it.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { loadFashionMnist, tf } from '../../src/index.js';
import { makeShapes } from '../../src/data/shapes.js';
import { StyleGAN2, type StyleGAN2Options, styleganOptionsFor } from '../../src/models/stylegan2.js';
import { parseConfig } from '../../src/train/config.js';
import { Rng } from '../../src/train/rng.js';
import { Trainer } from '../../src/train/trainer.js';

const tiny: Partial<StyleGAN2Options> = {
  latentDim: 8,
  wDim: 8,
  mappingLayers: 2,
  channelBase: 64,
  channelMax: 8,
};

test('stylegan2 networks: shapes at 8 (RGB) and 32 (gray), ws per layer, D logits; options checked', () => {
  for (const [res, channels, numWs] of [
    [8, 3, 4],
    [32, 1, 8],
  ] as const) {
    const m = new StyleGAN2({ ...tiny, resolution: res, channels });
    assert.equal(m.numWs, numWs);
    assert.equal(m.noiseSides.length, numWs - 1);
    const z = m.sampleLatent(3, new Rng(1));
    const x = m.generate(z);
    assert.deepEqual(x.shape, [3, res, res, channels]);
    const w = m.mapLatents(z);
    assert.deepEqual(w.shape, [3, 8]);
    // G's own forward (one w for every layer, const noise) equals mapping + synthesis
    const direct = m.networks.G!.predict(z) as tf.Tensor; // G alone: z -> image with its fixed noise
    assert.ok(tf.max(tf.abs(tf.sub(direct, x))).dataSync()[0]! < 1e-5);
    assert.deepEqual((m.networks.D!.apply(x) as tf.Tensor).shape, [3, 1]);
    m.dispose();
  }
  assert.throws(() => new StyleGAN2({ resolution: 28 }), /power of two/);
  assert.throws(() => new StyleGAN2({ width: 3 } as never), /width/);
  const cfg = parseConfig({ model: { family: 'stylegan2' } });
  assert.throws(() => styleganOptionsFor(cfg, loadFashionMnist({ limit: 4 })), /data.size 32 to pad Fashion-MNIST/);
  assert.equal(styleganOptionsFor(cfg, loadFashionMnist({ limit: 4, size: 32 })).resolution, 32);
});

test('truncation: psi 0 gives the image of w_avg for every z; psi 1 leaves w unchanged', () => {
  const m = new StyleGAN2({ ...tiny, resolution: 8, channels: 3 });
  m.wAvg = Float32Array.from({ length: 8 }, (_, i) => (i - 4) / 4);
  const z = m.sampleLatent(4, new Rng(2));
  const w0 = m.mapLatents(z, null, { psi: 0 });
  const imgs = m.synthesize(w0).arraySync() as number[][][][];
  const mean = m.synthesize(tf.tensor2d(m.wAvg, [1, 8])).arraySync() as number[][][][];
  for (const img of imgs) assert.deepEqual(img, mean[0]);
  const w1 = m.mapLatents(z, null, { psi: 1 });
  assert.deepEqual(w1.arraySync(), m.mapLatents(z).arraySync());
  const half = m.mapLatents(z, null, { psi: 0.5 }).arraySync();
  const full = w1.arraySync();
  assert.ok(Math.abs(half[1]![3]! - (m.wAvg[3]! + 0.5 * (full[1]![3]! - m.wAvg[3]!))) < 1e-6);
  m.dispose();
});

function trainer(opts: Partial<StyleGAN2Options>, extra: Record<string, unknown> = {}) {
  const ds = makeShapes({ n: 32, resolution: 8, seed: 1 });
  return new Trainer({
    config: parseConfig({
      model: { family: 'stylegan2' },
      batchSize: 4,
      seed: 3,
      lr: 2e-3,
      beta1: 0,
      beta2: 0.99,
      ...extra,
    }),
    dataset: ds,
    model: new StyleGAN2({ ...opts, resolution: 8, channels: 3 }),
  });
}

test('stylegan2 trains on shapes: D learns (its loss falls), lazy R1 runs on schedule, w_avg moves, no tensor leak', () => {
  const t = trainer({ ...tiny, channelMax: 16 }, { r1Gamma: 1, r1Every: 4 });
  const m = t.model as StyleGAN2;
  const d: number[] = [];
  let tensors = 0;
  for (let i = 0; i < 40; i++) {
    const r = t.trainStep();
    for (const k of ['G', 'D']) assert.ok(Number.isFinite(r.losses[k]!), `${k} loss`);
    assert.equal('R1' in r.losses, i % 4 === 0, `R1 at step ${i}`);
    d.push(r.losses.D!);
    if (i === 4) tensors = tf.memory().numTensors;
  }
  assert.equal(tf.memory().numTensors, tensors, 'tensors after step 5 and step 40');
  const first = d.slice(0, 5).reduce((a, b) => a + b) / 5;
  const last = d.slice(-5).reduce((a, b) => a + b) / 5;
  assert.ok(last < 0.9 * first, `D loss ${first.toFixed(3)} -> ${last.toFixed(3)}`);
  assert.ok(
    m.wAvg.some((v) => v !== 0),
    'w_avg tracked',
  );
  t.dispose();
});

test('stylegan2 resumes exactly: N steps + checkpoint + N steps == 2N (lazy R1, path length, style mixing, EMA, w_avg, ADA p)', () => {
  // ADA adjusts p every 3 D steps, so the checkpoint at step 2 holds a half-counted interval.
  const opts = { ...tiny, plWeight: 2, plEvery: 2, ada: true, adaP: 0.5, adaInterval: 3, adaKimg: 0.05 };
  const extra = { ema: 0.9, r1Gamma: 1, r1Every: 2 };
  const a = trainer(opts, extra);
  for (let i = 0; i < 4; i++) a.trainStep();
  const b = trainer(opts, extra);
  for (let i = 0; i < 2; i++) b.trainStep();
  const ck = b.toCheckpoint();
  b.dispose();
  const c = trainer(opts, extra);
  c.restore(ck);
  for (let i = 0; i < 2; i++) c.trainStep();
  const x = a.toCheckpoint();
  const y = c.toCheckpoint();
  assert.deepEqual(y.header.state.rng, x.header.state.rng);
  assert.deepEqual(y.header.state.model, x.header.state.model, 'path-length mean');
  assert.ok((x.header.state.model as { plMean: number }).plMean > 0, 'path length ran');
  const ada = (x.header.state.model as { ada: { p: number; batches: number } }).ada;
  assert.ok(ada.p !== 0.5 && ada.batches === 1, `ADA's p moved (${ada.p}) and its interval is mid-way`);
  assert.ok(x.tensors.some((t) => t.name === 'model/w_avg'));
  assert.deepEqual(
    y.tensors.map((t) => t.name),
    x.tensors.map((t) => t.name),
  );
  for (let i = 0; i < x.tensors.length; i++)
    assert.deepEqual(Array.from(y.tensors[i]!.data), Array.from(x.tensors[i]!.data), x.tensors[i]!.name);
  a.dispose();
  c.dispose();
});

test('stylegan2 with ADA: p and r_t are logged every D step, p moves, R1 runs through the augmentation, no tensor leak', () => {
  const t = trainer({ ...tiny, ada: true, adaInterval: 1, adaKimg: 0.02, adaP: 0.5 }, { r1Gamma: 1, r1Every: 2 });
  const ps: number[] = [];
  let tensors = 0;
  for (let i = 0; i < 6; i++) {
    const r = t.trainStep();
    assert.ok(Number.isFinite(r.losses.R1 ?? 0) && Number.isFinite(r.losses.D!), 'finite losses');
    assert.ok(typeof r.logs.adaP === 'number' && typeof r.logs.adaRt === 'number', 'adaP and adaRt logged');
    ps.push(r.logs.adaP!);
    if (i === 1) tensors = tf.memory().numTensors;
  }
  assert.equal(tf.memory().numTensors, tensors, 'tensors after step 2 and step 6');
  assert.ok(new Set(ps).size > 1, `p moved: ${ps.join(', ')}`);
  assert.ok(
    ps.every((p) => p >= 0 && p <= 1),
    'p in [0, 1]',
  );
  assert.throws(() => new StyleGAN2({ ...tiny, adaGroups: 'bq' }), /adaGroups/);
  t.dispose();
});
