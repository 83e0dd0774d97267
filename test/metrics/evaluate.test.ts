// The evaluation pipeline (classifier features -> metrics) with an untrained, seeded classifier
// (the committed weights have their own test): real data against itself scores perfectly, noise
// scores badly, metric names parse with aliases, and the reference statistics are cached.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import '../../src/index.js';
import { loadFashionMnist } from '../../src/data/fashion_mnist.js';
import { FmnistEvaluator, formatResults, parseMetricList } from '../../src/metrics/evaluate.js';
import { buildFmnistClassifier, FmnistClassifier } from '../../src/metrics/fmnist_classifier.js';
import { mulberry32 } from '../../src/metrics/rng.js';

test('metric names: aliases, duplicates, unknown names', () => {
  assert.deepEqual(parseMetricList('fid-fmnist, kid-fmnist,is-fmnist,pr'), [
    'fid-fmnist',
    'kid-fmnist',
    'is-fmnist',
    'pr-fmnist',
  ]);
  assert.deepEqual(parseMetricList('fid,fid-fmnist,dc'), ['fid-fmnist', 'dc-fmnist']);
  assert.throws(() => parseMetricList('fid-inception'), /unknown metric 'fid-inception'/);
  assert.throws(() => parseMetricList(' , '), /no metric/);
});

test('evaluator: real images against themselves score perfectly, noise badly; stats cached on disk', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tsgan-eval-'));
  const prev = process.env.TSGAN_CACHE_DIR;
  process.env.TSGAN_CACHE_DIR = dir;
  try {
    const classifier = FmnistClassifier.fromNets(buildFmnistClassifier(0), {
      name: 'untrained',
      sha256: 'untrained0000',
      weights: [],
    });
    const ev = FmnistEvaluator.create({ classifier, realLimit: 1000 });
    const real = loadFashionMnist({ split: 'test', limit: 1000 });
    const all = ['fid-fmnist', 'kid-fmnist', 'is-fmnist', 'pr-fmnist', 'dc-fmnist', 'classes'] as const;
    const same = await ev.evaluate(real.images, real.n, [...all]);
    assert.ok(Math.abs(same['fid-fmnist']!) < 1e-6, `FID ${same['fid-fmnist']}`);
    assert.equal(same['pr-fmnist']!.precision, 1);
    assert.equal(same['pr-fmnist']!.recall, 1);
    assert.equal(same['dc-fmnist']!.coverage, 1);
    assert.ok(same['kid-fmnist']!.mean < 1e-3);
    assert.ok(same['is-fmnist']!.mean >= 1);
    assert.equal(
      same.classes!.classHistogram.reduce((a, b) => a + b, 0),
      1000,
    );
    assert.equal(readdirSync(dir).filter((f) => f.endsWith('.stats')).length, 1);
    const r = mulberry32(1);
    const noise = Float32Array.from({ length: 1000 * 784 }, () => r() * 2 - 1);
    const bad = await ev.evaluate(noise, 1000, ['fid-fmnist', 'pr-fmnist']);
    assert.ok(bad['fid-fmnist']! > 100 * Math.max(same['fid-fmnist']!, 1e-3), `noise FID ${bad['fid-fmnist']}`);
    assert.ok(bad['pr-fmnist']!.precision < 0.1, JSON.stringify(bad['pr-fmnist']));
    assert.match(formatResults(bad), /fid-fmnist/);
    assert.throws(() => classifier.extract(noise, 999), /expected 999 images/);
  } finally {
    if (prev === undefined) delete process.env.TSGAN_CACHE_DIR;
    else process.env.TSGAN_CACHE_DIR = prev;
    rmSync(dir, { recursive: true, force: true });
  }
});
