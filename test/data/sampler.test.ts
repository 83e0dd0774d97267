import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  EpochSampler,
  gatherBatch,
  mulberry32,
  permutation,
  sampleIndices,
  type ImageDataset,
} from '../../src/data/types.js';

test('EpochSampler: each epoch is a permutation, state restores the exact sequence', () => {
  const s = new EpochSampler(10, 3, 42);
  const seen: number[] = [];
  for (let i = 0; i < 3; i++) seen.push(...s.next()); // 9 of 10 in epoch 0, the tail is dropped
  assert.equal(new Set(seen).size, 9);
  assert.equal(s.epoch, 0);
  const state = s.getState();
  const a = [s.next(), s.next(), s.next()].map((b) => [...b]);
  assert.equal(s.epoch, 1);
  const r = new EpochSampler(10, 3, state);
  const b = [r.next(), r.next(), r.next()].map((x) => [...x]);
  assert.deepEqual(b, a);
  // A different seed gives a different order.
  const s42 = new EpochSampler(10, 3, 42);
  const s43 = new EpochSampler(10, 3, 43);
  assert.notDeepEqual([...s43.next(), ...s43.next()], [...s42.next(), ...s42.next()]);
  assert.throws(() => new EpochSampler(0, 3, 1), /positive integer/);
  const tiny = new EpochSampler(3, 7, 1);
  assert.equal(tiny.next().length, 7);
});

test('permutation, sampleIndices and gatherBatch', () => {
  const p = permutation(100, mulberry32(5));
  assert.deepEqual(
    [...p].sort((x, y) => x - y),
    Array.from({ length: 100 }, (_, i) => i),
  );
  assert.notDeepEqual(
    [...p],
    Array.from({ length: 100 }, (_, i) => i),
  );
  const idx = sampleIndices(5, 1000, mulberry32(9));
  assert.ok(idx.every((i) => i >= 0 && i < 5));
  assert.equal(new Set(idx).size, 5);
  const ds: ImageDataset = {
    kind: 'image',
    name: 't',
    n: 3,
    height: 1,
    width: 2,
    channels: 1,
    images: Float32Array.from([0, 1, 2, 3, 4, 5]),
    labels: Int32Array.from([7, 8, 9]),
    numClasses: 10,
    classNames: [],
  };
  const b = gatherBatch(ds, [2, 0]);
  assert.deepEqual([...b.data], [4, 5, 0, 1]);
  assert.deepEqual([...b.labels!], [9, 7]);
  assert.deepEqual(b.shape, [2, 1, 2, 1]);
  assert.throws(() => gatherBatch(ds, [3]), /outside the dataset t/);
});
