// Video measures (src/video/measure.ts): the average content distance is 0 for a clip of one
// repeated frame and grows with change; the object colour ignores the background and the object's
// position (a moving shape of one colour has ACD near 0, a shape changing colour does not); per-frame
// FID of real clips against other real clips is far below that of noise; the content distance of
// a moving item is below that of a clip whose item is swapped halfway.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { makeMovingItems, makeMovingShapes } from '../../src/data/moving.js';
import { loadFashionMnist } from '../../src/index.js';
import { FmnistClassifier } from '../../src/metrics/fmnist_classifier.js';
import type { ClipBatch } from '../../src/video/clips.js';
import { clipsOf, framesAs28, measureClips, meanPairwiseDistance, objectColours } from '../../src/video/measure.js';

test('meanPairwiseDistance: 0 for identical frames, the mean L2 distance over frame pairs otherwise', () => {
  assert.equal(meanPairwiseDistance([1, 2, 1, 2, 1, 2], 1, 3, 2), 0);
  // frames (0), (3), (4) in 1-D: pairs 3, 4, 1 -> mean 8/3; a second clip of (0), (0), (0) -> 0.
  assert.ok(Math.abs(meanPairwiseDistance([0, 3, 4, 0, 0, 0], 2, 3, 1) - 4 / 3) < 1e-12);
});

test('objectColours and ACD: a moving shape keeps its colour (ACD near 0), a colour change is measured', () => {
  const clips = clipsOf(makeMovingShapes({ n: 4, seed: 2 }));
  const m = measureClips(clips);
  assert.ok(m.acd < 0.05, `moving shapes of one colour: ACD ${m.acd}`);
  // Second half of each clip: the object's channels rotated (a red shape turns green...).
  const v = Float32Array.from(clips.values);
  const [n, t, h, w] = clips.shape;
  for (let i = 0; i < n; i++)
    for (let f = t / 2; f < t; f++)
      for (let p = 0; p < h * w; p++) {
        const o = ((i * t + f) * h * w + p) * 3;
        [v[o], v[o + 1], v[o + 2]] = [v[o + 1]!, v[o + 2]!, v[o]!];
      }
  const changed = measureClips({ values: v, shape: clips.shape }).acd;
  assert.ok(changed > 3 * m.acd && changed > 0.1, `a colour change raises ACD: ${m.acd} -> ${changed}`);
  assert.ok(objectColours(clips).every((x) => x >= 0 && x <= 1));
});

test('fid-frames: real clips against other real clips score far below noise', () => {
  const items = loadFashionMnist({ limit: 400 });
  const a = clipsOf(makeMovingItems(items, { n: 16, seed: 1, frames: 4 }));
  const b = clipsOf(makeMovingItems(items, { n: 16, seed: 2, frames: 4 }));
  const noise: ClipBatch = { values: a.values.map((_, i) => Math.sin(i * 12.9898) * 0.9), shape: a.shape };
  const classifier = FmnistClassifier.load();
  const realFeatures = classifier.extract(framesAs28(b), 16 * 4).features;
  const real = measureClips(a, { classifier, realFeatures });
  const fake = measureClips(noise, { classifier, realFeatures });
  assert.ok(real.fidFrames! * 3 < fake.fidFrames!, `real ${real.fidFrames} vs noise ${fake.fidFrames}`);
  // Content distance: one item moving vs the item swapped for another halfway through each clip.
  const per = 32 * 32;
  const swapped = Float32Array.from(a.values);
  for (let i = 0; i < 16; i++) swapped.set(b.values.subarray((i * 4 + 2) * per, (i * 4 + 4) * per), (i * 4 + 2) * per);
  const other = measureClips({ values: swapped, shape: a.shape }, { classifier });
  assert.ok(other.acd > 1.5 * real.acd, `content distance: one item ${real.acd}, two items ${other.acd}`);
});
