// The text-to-image model (GAN-INT-CLS): networks and options, prompt errors, the sentence's weight
// in G's input at initialization, a short run where the contrastive and D losses fall, no tensor
// leak per step, and exact resume from a checkpoint.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { captionedShapes } from '../../src/data/captioned.js';
import { tf } from '../../src/index.js';
import { Text2Image, type Text2ImageOptions } from '../../src/models/text2image.js';
import { decodeCheckpoint, encodeCheckpoint } from '../../src/train/checkpoint.js';
import { parseConfig } from '../../src/train/config.js';
import { Trainer } from '../../src/train/trainer.js';

const data = captionedShapes({ n: 256, resolution: 32, seed: 3 });
const base = (o: Partial<Text2ImageOptions> = {}) =>
  new Text2Image({
    vocab: data.train.tokenizer.vocab,
    maxLen: data.train.tokenizer.maxLen,
    width: 8,
    latentDim: 8,
    condDim: 8,
    ...o,
  });

const trainer = (m: Text2Image, seed = 5) =>
  new Trainer({
    config: parseConfig({ batchSize: 16, seed, lr: 2e-4, beta1: 0.5, ema: 0 }),
    dataset: data.train,
    model: m,
  });

test('text2image networks: G draws [N, 32, 32, 3] from prompts, D scores (image, sentence); every variant builds', () => {
  for (const o of [{}, { condAugment: true }, { discriminator: 'projection' as const }, { spectralNorm: true }]) {
    const m = base(o);
    const z = m.sampleLatent(3, { normals: (k: number) => new Float32Array(k).fill(0.1) } as never);
    const img = m.generateFromIds(
      z,
      m.encodePrompts(['a large blue square', 'a tiny red star', 'a big cyan cross on the left']),
    );
    assert.deepEqual(img.shape, [3, 32, 32, 3]);
    const e = m.embedText(m.encodePrompts(['a large blue square']));
    const d = m.networks.D!.apply([tf.zeros([1, 32, 32, 3]), e]) as tf.Tensor;
    assert.deepEqual(d.shape, [1, 1]);
    m.dispose();
  }
  assert.throws(() => new Text2Image({}), /needs a vocabulary/);
  assert.throws(() => base({ resolution: 48 as never }), /resolution/);
  assert.throws(() => base({ colour: 1 } as never), /colour|Unrecognized/);
  const m = base();
  assert.throws(() => m.generate(tf.zeros([1, 8]) as tf.Tensor2D), /draws from prompts/);
  assert.throws(() => m.encodePrompts(['']), /the prompt is empty/);
  assert.throws(() => m.encodePrompts(['zebra']), /none of the words/);
  assert.throws(() => m.encodePrompts(['a large blue square at the top left a small red circle']), /reads at most/);
  m.dispose();
});

test("text2image: the sentence reaches G at z's scale (embedScale sqrt(embedDim)), not ~10x under it", () => {
  // Swapping the sentences of two images changes G's output, at initialization, by a fair fraction
  // of what swapping their latents does; at unit length (embedScale 1) the text was ~1% of G's
  // input variance and G learned to ignore it.
  const effect = (embedScale: number) => {
    const m = base({ latentDim: 100, condDim: 64, embedScale });
    const r = tf.tidy(() => {
      const e = m.embedText(m.encodePrompts(['a large blue square', 'a tiny red star at the top left']));
      const z = tf.randomNormal([2, 100], 0, 1, 'float32', 11) as tf.Tensor2D;
      const a = m.generateFromEmbedding(z, e);
      const swap = (x: tf.Tensor2D) => tf.reverse(x, 0) as tf.Tensor2D;
      const bySentence = tf.mean(tf.abs(tf.sub(a, m.generateFromEmbedding(z, swap(e))))).dataSync()[0]!;
      const byLatent = tf.mean(tf.abs(tf.sub(a, m.generateFromEmbedding(swap(z), e)))).dataSync()[0]!;
      return bySentence / byLatent;
    });
    m.dispose();
    return r;
  };
  const scaled = effect(0);
  const unit = effect(1);
  assert.ok(scaled > 0.3, `sentence / latent effect on G at init: ${scaled}`);
  assert.ok(scaled > 2.5 * unit, `scaled ${scaled} vs unit-length ${unit}`);
});

test('text2image trains: the contrastive and D losses fall, the matching-aware term is logged, no tensor leaks', () => {
  const m = base();
  const t = trainer(m);
  const clip: number[] = [];
  const d: number[] = [];
  let tensors = 0;
  for (let i = 0; i < 40; i++) {
    const r = t.trainStep();
    for (const v of Object.values(r.losses)) assert.ok(Number.isFinite(v));
    assert.ok(r.logs.dWrong !== undefined && r.logs.gInt !== undefined);
    clip.push(r.losses.CLIP!);
    d.push(r.losses.D!);
    if (i === 2) tensors = tf.memory().numTensors;
  }
  assert.equal(tf.memory().numTensors, tensors, 'tensors leak per step');
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b) / xs.length;
  assert.ok(
    mean(clip.slice(-8)) < 0.8 * mean(clip.slice(0, 8)),
    `CLIP ${mean(clip.slice(0, 8))} -> ${mean(clip.slice(-8))}`,
  );
  assert.ok(mean(d.slice(-8)) < mean(d.slice(0, 8)), `D ${mean(d.slice(0, 8))} -> ${mean(d.slice(-8))}`);
  t.dispose();
});

test('text2image: N steps, checkpoint, N more == 2N uninterrupted, bit for bit (with conditioning augmentation)', () => {
  const o = { condAugment: true };
  const full = trainer(base(o), 9);
  for (let i = 0; i < 4; i++) full.trainStep();
  const half = trainer(base(o), 9);
  for (let i = 0; i < 2; i++) half.trainStep();
  const bytes = encodeCheckpoint(half.toCheckpoint());
  half.dispose();
  const resumed = trainer(base(o), 123);
  resumed.restore(decodeCheckpoint(bytes));
  for (let i = 0; i < 2; i++) resumed.trainStep();
  const a = full.toCheckpoint();
  const b = resumed.toCheckpoint();
  assert.equal(a.header.step, b.header.step);
  assert.deepEqual(a.header.state.rng, b.header.state.rng);
  assert.deepEqual(a.header.state.sampler, b.header.state.sampler);
  assert.equal(a.tensors.length, b.tensors.length);
  for (let i = 0; i < a.tensors.length; i++)
    assert.deepEqual(Array.from(b.tensors[i]!.data), Array.from(a.tensors[i]!.data), a.tensors[i]!.name);
  full.dispose();
  resumed.dispose();
});
