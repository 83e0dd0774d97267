// tsgan augment-eval (src/augment/eval.ts): a tiny version of the whole protocol (a 20-image
// subset, a 2-step narrow cGAN, 5-step classifiers, 2 seeds) writes one result per cell and a
// table; a rerun resumes without recomputing, a removed cell is recomputed alone; other settings,
// a file as -o, sizes that are not multiples of 10 or larger than the data, and unlabelled data are
// one sentence each. Also: the subsets are class-balanced and seeded; the classic augmentation's
// flips and shifts move pixels where they should.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { placeImage } from '../../src/augment/classifier.js';
import { augmentEval, augmentTable, balancedSubset, parseAugmentEvalOptions } from '../../src/augment/eval.js';
import type { ImageDataset } from '../../src/data/types.js';
import { loadFashionMnist } from '../../src/index.js';
import { runCli } from '../helpers/cli.js';

function slice(ds: ImageDataset, from: number, to: number, name: string): ImageDataset {
  return {
    ...ds,
    name,
    n: to - from,
    images: ds.images.slice(from * 784, to * 784),
    labels: ds.labels!.slice(from, to),
  };
}

test('augment-eval: a tiny protocol end to end, resumed, and its bad inputs', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tsgan-augment-eval-'));
  try {
    const all = loadFashionMnist({ limit: 700 });
    const hooks = {
      train: slice(all, 0, 500, 'train-part'),
      test: slice(all, 500, 700, 'test-part'),
      ganConfig: { model: { width: 4, latentDim: 8 }, batchSize: 4 },
    };
    const opts = { sizes: [20], seeds: 2, ganSteps: 2, classifierSteps: 5 };
    const out = path.join(dir, 'ae');
    const logs: string[] = [];
    const r = await augmentEval(out, opts, { ...hooks, log: (m) => logs.push(m) });
    const lines = readFileSync(path.join(out, 'results.jsonl'), 'utf8').trim().split('\n');
    assert.equal(lines.length, 2 * 5, 'per seed: one cGAN line and four cells');
    const cells = r.cells.filter((c) => c.row !== 'cgan');
    assert.equal(cells.length, 8);
    for (const c of cells) {
      assert.ok(c.accuracy! >= 0 && c.accuracy! <= 1, `accuracy ${c.accuracy}`);
      assert.equal(c.trainImages, c.row === 'real+gan' ? 40 : 20);
    }
    // The cGAN's samples: 2 per class in 10 class folders, read back with their labels.
    const synth = path.join(out, 'synthetic-20-seed1');
    assert.equal(readdirSync(synth).length, 10);
    assert.equal(readdirSync(path.join(synth, '9-Ankle_boot')).length, 2);
    assert.ok(existsSync(path.join(out, 'gan-20-seed2', 'checkpoints')));
    const table = readFileSync(path.join(out, 'table.md'), 'utf8');
    assert.match(table, /\(d\) GAN samples only/);
    assert.match(table, /±/);
    assert.ok(logs.some((l) => l.includes('cGAN')));

    // A rerun does nothing new; a removed cell is computed again, and only it.
    const again = await augmentEval(out, opts, hooks);
    assert.equal(again.cells.length, 10);
    writeFileSync(
      path.join(out, 'results.jsonl'),
      `${lines.filter((l) => !/"seed":2,"row":"gan"/.test(l)).join('\n')}\n`,
    );
    const log2: string[] = [];
    await augmentEval(out, opts, { ...hooks, log: (m) => log2.push(m) });
    assert.equal(log2.filter((l) => l.includes('test accuracy')).length, 1);
    assert.equal(readFileSync(path.join(out, 'results.jsonl'), 'utf8').trim().split('\n').length, 10);

    // Other settings in the same folder, a file as -o, impossible sizes, unlabelled data.
    await assert.rejects(augmentEval(out, { ...opts, ganSteps: 3 }, hooks), /other settings \(ganSteps was 2\)/);
    const file = path.join(dir, 'file');
    writeFileSync(file, 'x');
    await assert.rejects(augmentEval(file, opts, hooks), /is a file; give a folder/);
    await assert.rejects(augmentEval(path.join(dir, 'b'), { ...opts, sizes: [25] }, hooks), /not a multiple of 10/);
    await assert.rejects(augmentEval(path.join(dir, 'c'), { ...opts, sizes: [1000] }, hooks), /larger than the 500/);
    await assert.rejects(
      augmentEval(path.join(dir, 'd'), opts, { ...hooks, train: { ...hooks.train, labels: null, numClasses: 0 } }),
      /needs labelled 28x28 grayscale images of 10 classes/,
    );
    await assert.rejects(
      augmentEval(path.join(dir, 'e'), { ...opts, sizes: [20], dataPath: path.join(dir, 'none') }),
      /--data-path .* does not exist/,
    );
    assert.ok(!existsSync(path.join(dir, 'b')) && !existsSync(path.join(dir, 'c')), 'refused runs write nothing');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('augment-eval: option sentences, balanced seeded subsets, flips and shifts, the table', () => {
  assert.throws(() => parseAugmentEvalOptions({ seeds: 0 }), /--seeds must be a whole number/);
  assert.throws(() => parseAugmentEvalOptions({ firstSeed: 0 }), /--first-seed must be a whole number/);
  assert.throws(() => parseAugmentEvalOptions({ rows: ['real', 'x' as 'real'] }), /--rows must be a comma list/);
  assert.throws(() => parseAugmentEvalOptions({ sizes: [Number.NaN] }), /--sizes must be a comma list/);

  const ds = loadFashionMnist({ limit: 400 });
  const data = { images: ds.images, labels: ds.labels!, n: ds.n };
  const a = balancedSubset(data, 100, 1);
  const counts = new Array(10).fill(0);
  for (const l of a.labels) counts[l]++;
  assert.deepEqual(counts, new Array(10).fill(10));
  assert.deepEqual(balancedSubset(data, 100, 1).images, a.images, 'the same seed draws the same subset');
  assert.notDeepEqual(balancedSubset(data, 100, 2).images, a.images, 'another seed draws another subset');
  assert.throws(() => balancedSubset(data, 1000, 1), /needs 100 training images of class/);

  // One bright pixel at (y 3, x 5): flipped it lands at x 22; shifted by (2, -1) at (2, 7).
  const src = new Float32Array(784).fill(-1);
  src[3 * 28 + 5] = 1;
  const dst = new Float32Array(784);
  placeImage(src, 0, dst, 0, true, 0, 0);
  assert.equal(dst[3 * 28 + 22], 1);
  assert.equal(dst.filter((v) => v === 1).length, 1);
  placeImage(src, 0, dst, 0, false, 2, -1);
  assert.equal(dst[2 * 28 + 7], 1);
  assert.equal(dst.filter((v) => v === 1).length, 1);

  const t = augmentTable(
    [
      { size: 600, seed: 1, row: 'real', accuracy: 0.8, seconds: 60 },
      { size: 600, seed: 2, row: 'real', accuracy: 0.9, seconds: 60 },
    ],
    [600, 6000],
  );
  assert.match(t, /\| \(a\) real only \| 85\.0 ± 7\.1 \(2 seeds\) \| not run \|/);
  assert.match(t, /classifiers \(all rows, seeds\) \| 2\.0 min \| 0 s \|/);
});

test('tsgan augment-eval: bad command-line values are one sentence each, before any work', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tsgan-augment-eval-cli-'));
  try {
    const out = path.join(dir, 'ae');
    const run = (...a: string[]) => runCli(['augment-eval', '-o', out, ...a], { quiet: true });
    await assert.rejects(run('--seeds', 'abc'), /--seeds must be a whole number of at least 1/);
    await assert.rejects(run('--sizes', '600,x'), /--sizes must be a comma list of whole numbers/);
    await assert.rejects(run('--gan-steps', '0'), /--gan-steps must be a whole number of at least 1/);
    await assert.rejects(run('--synthetic-ratio', '-1'), /--synthetic-ratio must be a number above 0/);
    await assert.rejects(run('--rows', 'real,fake'), /--rows must be a comma list of real, real\+classic/);
    await assert.rejects(run('--data-path', path.join(dir, 'none')), /--data-path .* does not exist/);
    assert.ok(!existsSync(out), 'nothing written');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
