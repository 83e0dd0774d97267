import assert from 'node:assert/strict';
import { test } from 'node:test';

import { tf } from '../../src/index.js';

test('chained tensor methods exist and match the functional ops', () => {
  const x = tf.tensor([
    [1, -2, 3],
    [-4, 5, -6],
  ]);
  const y = tf.tensor([
    [2, 2, 2],
    [3, 3, 3],
  ]);
  const t = x as unknown as Record<string, (...a: unknown[]) => tf.Tensor>;
  assert.deepEqual(Array.from(t.sum!().dataSync()), Array.from(tf.sum(x).dataSync()));
  assert.deepEqual(Array.from(t.add!(y).dataSync()), [3, 0, 5, -1, 8, -3]);
  assert.deepEqual(t.transpose!().shape, [3, 2]);
  assert.deepEqual(t.flatten!().shape, [6]);
  assert.deepEqual(t.as2D!(3, 2).shape, [3, 2]);
  assert.equal(t.toInt!().dtype, 'int32');
  assert.deepEqual(Array.from(t.relu!().dataSync()), [1, 0, 3, 0, 5, 0]);
  assert.deepEqual(t.concat!(y, 0).shape, [4, 3]);
  const d = tf.tensor([1]);
  d.dispose();
  assert.throws(() => (d as unknown as Record<string, () => tf.Tensor>).sum!(), /disposed/);
});
