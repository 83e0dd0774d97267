// DiffAugment: each policy does what it says on a hand-made image, and gradients flow through it.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { Rng, diffAugment, parsePolicies, tf } from '../../src/index.js';

test('policies parse; unknown names are rejected', () => {
  assert.deepEqual(parsePolicies('color,translation,cutout'), ['color', 'translation', 'cutout']);
  assert.deepEqual(parsePolicies(''), []);
  assert.throws(() => parsePolicies('color,flip'), /unknown DiffAugment policy 'flip'/);
});

test('translation moves a single bright pixel by at most 1/8 of the size, zero padded', () => {
  const n = 16;
  const h = 16;
  const data = new Float32Array(n * h * h);
  for (let b = 0; b < n; b++) data[b * h * h + 8 * h + 8] = 1; // pixel (8, 8)
  const out = diffAugment(tf.tensor4d(data, [n, h, h, 1]), ['translation'], new Rng(1)).dataSync();
  const shifts = new Set<string>();
  for (let b = 0; b < n; b++) {
    const img = out.subarray(b * h * h, (b + 1) * h * h);
    const idx = img.indexOf(1);
    assert.ok(idx >= 0, 'pixel kept (shift within bounds)');
    assert.equal(
      img.reduce((s, v) => s + v, 0),
      1,
      'exactly one pixel',
    );
    const dy = Math.floor(idx / h) - 8;
    const dx = (idx % h) - 8;
    assert.ok(Math.abs(dy) <= 2 && Math.abs(dx) <= 2, `shift ${dy},${dx}`);
    shifts.add(`${dy},${dx}`);
  }
  assert.ok(shifts.size > 3, 'shifts differ per sample');
});

test('cutout zeroes one square of half the side (clipped at borders); color keeps the shape', () => {
  const n = 8;
  const h = 8;
  const x = tf.ones([n, h, h, 1]) as tf.Tensor4D;
  const out = diffAugment(x, ['cutout'], new Rng(2)).dataSync();
  for (let b = 0; b < n; b++) {
    const zeros = out.subarray(b * h * h, (b + 1) * h * h).filter((v) => v === 0).length;
    assert.ok(zeros > 0 && zeros <= 16, `zeroed ${zeros} pixels`);
  }
  const rgb = tf.randomUniform([4, 8, 8, 3], -1, 1) as tf.Tensor4D;
  const c = diffAugment(rgb, ['color'], new Rng(3));
  assert.deepEqual(c.shape, rgb.shape);
  assert.notDeepEqual(Array.from(c.dataSync()), Array.from(rgb.dataSync()));
});

test('gradients flow through all three policies', () => {
  const x = tf.randomUniform([2, 8, 8, 3], -1, 1) as tf.Tensor4D;
  const g = tf.grad((a: tf.Tensor) =>
    tf.sum(diffAugment(a as tf.Tensor4D, ['color', 'translation', 'cutout'], new Rng(4))),
  )(x);
  const v = g.dataSync();
  assert.ok(v.every(Number.isFinite));
  assert.ok(v.some((a) => a !== 0));
});
