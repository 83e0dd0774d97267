// The collapse detector's image features (src/health/image_features.ts): on 28x28x1 data the
// Fashion-MNIST classifier's features and classes, elsewhere 8x8-pooled pixels. Real images that
// are not the reference batch must look healthy to the monitor; one image repeated must be flagged
// within `patience` checks; nothing leaks tensors.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { loadFashionMnist, makeShapes, tf } from '../../src/index.js';
import { diversityStats } from '../../src/health/diversity.js';
import { createHealthFeatureSource, evenIndices, pooledEmbedding } from '../../src/health/image_features.js';
import { HealthMonitor } from '../../src/health/monitor.js';
import type { ImageDataset } from '../../src/data/types.js';
import type { HealthEvent, StepRecord } from '../../src/health/types.js';

/** Images [n, H, W, C] of a dataset as host values, from index `start` (or one image repeated n times). */
function imagesOf(ds: ImageDataset, start: number, n: number, repeat = false): Float32Array {
  const size = ds.height * ds.width * ds.channels;
  const out = new Float32Array(n * size);
  for (let i = 0; i < n; i++)
    out.set(ds.images.subarray((start + (repeat ? 0 : i)) * size, (start + (repeat ? 0 : i) + 1) * size), i * size);
  return out;
}

/** Feeds `checks` records (steps from, from + 10, ...) carrying `fields`; returns the collapse events. */
function feed(
  m: HealthMonitor,
  fields: Omit<StepRecord, 'step' | 'lossG' | 'lossD'>,
  from: number,
  checks: number,
): HealthEvent[] {
  const out: HealthEvent[] = [];
  for (let i = 0; i < checks; i++)
    out.push(
      ...m
        .observe({ step: from + 10 * i, lossG: 0.9, lossD: 1.2, ...fields })
        .filter((e) => e.kind === 'mode-collapse'),
    );
  return out;
}

test('fmnist features: other real images look healthy, one image repeated is collapse within 2 checks; no tensor leaks', () => {
  const ds = loadFashionMnist({ split: 'test' });
  const n = 64;
  const before = tf.memory().numTensors;
  const src = createHealthFeatureSource(ds, n);
  assert.equal(src.kind, 'fmnist-classifier');
  assert.ok(
    src.references.referenceDiversity > 0 && src.references.referenceNearest! > 0,
    JSON.stringify(src.references),
  );
  assert.ok(src.references.referenceNearest! < src.references.referenceDiversity);

  const diverse = imagesOf(ds, 5000, n);
  const one = imagesOf(ds, 5000, n, true);
  const withTensors = tf.memory().numTensors;
  const healthy = src.measure(diverse);
  const collapsed = src.measure(one);
  assert.equal(tf.memory().numTensors, withTensors, 'measure leaves no tensors behind');

  assert.equal(healthy.features!.dim, 128);
  assert.equal(healthy.features!.n, n);
  assert.equal(healthy.numClasses, 10, 'the real reference batch covers the 10 garment classes');
  assert.equal(new Set(healthy.classes).size, 10);
  const ratio = diversityStats(healthy.features!).meanPairwise / src.references.referenceDiversity;
  assert.ok(ratio > 0.8 && ratio < 1.25, `real vs real diversity ratio ${ratio}`);
  assert.equal(new Set(collapsed.classes).size, 1);

  // Armed from the start (armAfter 0): healthy real images raise nothing over 10 checks.
  const m = new HealthMonitor({ warmup: 0, collapse: { ...src.references, armAfter: 0 } });
  assert.deepEqual(feed(m, healthy, 0, 10), []);
  const ev = feed(m, collapsed, 100, 2);
  assert.equal(ev.length, 1, 'collapse raised on the 2nd collapsed check (patience 2)');
  assert.equal(ev[0].step, 110);
  assert.ok(ev[0].signals.diversity < 1e-3 * src.references.referenceDiversity, `diversity ${ev[0].signals.diversity}`);
  assert.equal(ev[0].signals.duplicateRate, 1);
  assert.equal(ev[0].signals.classCoverage, 0.1);
  assert.match(ev[0].message, /only 1 of 10 classes/);

  src.dispose();
  assert.equal(tf.memory().numTensors, before, 'the classifier is freed by dispose()');
});

test('untrained-looking start (collapsed features, one class) raises nothing until a signal was healthy or armAfter', () => {
  const ds = loadFashionMnist({ split: 'test', limit: 2000 });
  const src = createHealthFeatureSource(ds, 32);
  const collapsed = src.measure(imagesOf(ds, 1500, 32, true));
  const m = new HealthMonitor({ collapse: { ...src.references, armAfter: 300 } });
  // Before step 300 and never healthy: no test is armed (an untrained DCGAN looks like this).
  assert.deepEqual(feed(m, collapsed, 0, 30), []);
  const ev = feed(m, collapsed, 300, 2);
  assert.equal(ev.length, 1);
  assert.equal(ev[0].step, 310);
  // Each reason is reported once armed.
  assert.match(ev[0].message, /diversity .*near-duplicates.*only 1 of 10 classes/);
  src.dispose();
});

test('generic embedding: 8x8 cell means per channel; sizes not divisible by 8 are resized first', () => {
  const x = tf.tensor4d(
    Float32Array.from({ length: 2 * 16 * 16 * 2 }, (_, i) => Math.sin(i)),
    [2, 16, 16, 2],
  );
  const e = pooledEmbedding(x);
  assert.deepEqual(e.shape, [2, 128]);
  const xv = x.dataSync();
  const ev = e.dataSync();
  // Cell (row 3, col 5), channel 1, image 1: mean of the 2x2 block at rows 6-7, cols 10-11.
  let s = 0;
  for (const r of [6, 7]) for (const c of [10, 11]) s += xv[((1 * 16 + r) * 16 + c) * 2 + 1];
  assert.ok(Math.abs(ev[128 + (3 * 8 + 5) * 2 + 1] - s / 4) < 1e-6);
  tf.dispose([x, e]);
  const odd = pooledEmbedding(tf.fill([3, 30, 30, 3], 0.25) as tf.Tensor4D);
  assert.deepEqual(odd.shape, [3, 192]);
  assert.ok(odd.dataSync().every((v) => Math.abs(v - 0.25) < 1e-6));
  odd.dispose();
});

test('32x32x3 data (shapes): pooled-pixel features catch one repeated image and pass other real images', () => {
  const ds = makeShapes({ n: 600, resolution: 32, seed: 1 });
  const before = tf.memory().numTensors;
  const src = createHealthFeatureSource(ds, 64);
  assert.equal(src.kind, 'avgpool8');
  const diverse = imagesOf(ds, 300, 64);
  const one = imagesOf(ds, 300, 64, true);
  const healthy = src.measure(diverse);
  const collapsed = src.measure(one);
  assert.equal(healthy.features!.dim, 192);
  assert.equal(healthy.classes, undefined, 'no classifier, no class coverage');
  const m = new HealthMonitor({ warmup: 0, collapse: { ...src.references, armAfter: 0 } });
  assert.deepEqual(feed(m, healthy, 0, 10), []);
  const ev = feed(m, collapsed, 100, 2);
  assert.equal(ev.length, 1);
  assert.equal(ev[0].signals.duplicateRate, 1);
  src.dispose();
  assert.equal(tf.memory().numTensors, before);
});

test('real references come from samples spread over the whole dataset', () => {
  assert.deepEqual(evenIndices(10, 4), [0, 2, 5, 7]);
  assert.throws(() => evenIndices(3, 4), /need 4 real samples, the dataset has 3/);
  assert.throws(
    () => createHealthFeatureSource(loadFashionMnist({ split: 'test', limit: 10 }), 1),
    /at least 2 samples/,
  );
});
