// The emoji translation data (two npm packages, devDependencies) and the multi-field sampler:
// shapes and ranges, pairing by file name, grayscale inputs, a held-out split disjoint from
// training, unpaired halves that share no emoji, and exact sampler state round trips.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { emojiPackageDir, listEmoji, loadEmoji, splitEmoji } from '../../src/data/emoji.js';
import { type FieldDataset, FieldSampler, checkFieldDataset } from '../../src/data/fields.js';

const installed = (() => {
  try {
    emojiPackageDir('twitter');
    emojiPackageDir('google');
    return true;
  } catch {
    return false;
  }
})();
const skip = installed ? false : 'emoji-datasource-twitter/google are not installed';

test('emoji pairs: paired fields [N, 32, 32, 3] in [-1, 1], the same emoji in two styles', { skip }, async () => {
  const ds = await loadEmoji({ task: 'pairs', split: 'test', size: 32, limit: 12 });
  checkFieldDataset(ds);
  assert.equal(ds.paired, true);
  for (const f of ['input', 'target']) {
    assert.deepEqual(ds.fields[f]!.shape, [32, 32, 3]);
    assert.equal(ds.fields[f]!.n, 12);
    const d = ds.fields[f]!.data;
    assert.ok(d.every((v) => v >= -1 && v <= 1));
  }
  assert.equal(ds.names!.length, 12);
  assert.ok(ds.labels!.every((c) => c >= 0 && c < ds.classNames!.length));
  // Two styles of the same picture: closer to each other than to another emoji, on average.
  const size = 32 * 32 * 3;
  const dist = (a: Float32Array | Int32Array, i: number, b: Float32Array | Int32Array, j: number) => {
    let s = 0;
    for (let k = 0; k < size; k++) s += (a[i * size + k]! - b[j * size + k]!) ** 2;
    return s;
  };
  let same = 0;
  let other = 0;
  for (let i = 0; i < 12; i++) {
    same += dist(ds.fields.input!.data, i, ds.fields.target!.data, i);
    other += dist(ds.fields.input!.data, i, ds.fields.target!.data, (i + 1) % 12);
  }
  assert.ok(same < 0.7 * other, `paired ${same} vs shifted ${other}`);
});

test('emoji colorize: grayscale inputs (equal channels), colour targets', { skip }, async () => {
  const ds = await loadEmoji({ task: 'colorize', split: 'test', size: 16, limit: 6 });
  const x = ds.fields.input!.data;
  for (let i = 0; i < x.length; i += 3) assert.ok(x[i] === x[i + 1] && x[i] === x[i + 2]);
  const y = ds.fields.target!.data;
  let chroma = 0;
  for (let i = 0; i < y.length; i += 3) chroma += Math.abs(y[i]! - y[i + 1]!);
  assert.ok(chroma > 1, 'targets have colour');
});

test('emoji splits: held-out emoji never in training; unpaired halves share no emoji', { skip }, async () => {
  const all = listEmoji();
  assert.equal(all.length, 1911);
  const train = splitEmoji(all, 'train', 0.1, 0);
  const test = splitEmoji(all, 'test', 0.1, 0);
  assert.equal(train.length + test.length, all.length);
  const held = new Set(test.map((e) => e.file));
  assert.ok(train.every((e) => !held.has(e.file)));
  assert.deepEqual(
    splitEmoji(all, 'test', 0.1, 0).map((e) => e.file),
    test.map((e) => e.file),
    'fixed by seed',
  );
  const un = await loadEmoji({ task: 'unpaired', split: 'train', size: 8, limit: 40 });
  assert.equal(un.paired, false);
  assert.equal(un.fields.A!.n + un.fields.B!.n, 40);
});

test('emoji options: a clear sentence for a bad size', { skip }, async () => {
  await assert.rejects(loadEmoji({ task: 'pairs', split: 'train', size: 100 }), /emoji size must be a whole number/);
});

function toyFields(paired: boolean): FieldDataset {
  const a = Float32Array.from({ length: 10 * 2 }, (_, i) => i);
  const b = Float32Array.from({ length: (paired ? 10 : 7) * 2 }, (_, i) => 1000 + i);
  return {
    kind: 'fields',
    name: 'toy',
    paired,
    fields: { A: { shape: [2], n: 10, data: a }, B: { shape: [2], n: paired ? 10 : 7, data: b } },
  };
}

test('FieldSampler: paired fields share indices, unpaired draw their own; state resumes exactly', () => {
  const p = new FieldSampler(toyFields(true), 4, 3);
  const batch = p.next(['A', 'B']);
  for (let i = 0; i < 4; i++) assert.equal(batch.B!.data[i * 2]! - 1000, batch.A!.data[i * 2]);
  const u = new FieldSampler(toyFields(false), 4, 3);
  u.next(['A', 'B']);
  const state = u.getState();
  const after = u.next(['A', 'B']);
  const resumed = new FieldSampler(toyFields(false), 4, state).next(['A', 'B']);
  assert.deepEqual(resumed, after);
  assert.throws(() => u.next(['C']), /has no field 'C' \(it has A, B\)/);
  const bad = toyFields(true);
  bad.fields.B!.n = 9;
  assert.throws(() => new FieldSampler(bad, 2, 0), /field 'B' holds 20 values, expected 9/);
});
