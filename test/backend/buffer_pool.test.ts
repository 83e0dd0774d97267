import assert from 'node:assert/strict';
import { test } from 'node:test';

import { tf, type NativeBackend } from '../../src/index.js';

const backend = () => tf.backend() as NativeBackend;

test('output buffers of disposed tensors are recycled for the next kernel of the same size', () => {
  const x = tf.randomNormal([64, 1000]);
  const y1 = tf.relu(x);
  const before = backend().pooledBufferBytes();
  y1.dispose();
  assert.equal(backend().pooledBufferBytes(), before + 64 * 1000 * 4, 'the disposed output went to the pool');
  const y2 = tf.tanh(x);
  assert.equal(backend().pooledBufferBytes(), before, 'the next output of that size took it back');
  // The recycled buffer holds the new result, not the old one.
  const expect = Float32Array.from(x.dataSync(), (v) => Math.tanh(v));
  const got = y2.dataSync();
  for (let i = 0; i < got.length; i += 997) assert.ok(Math.abs(got[i]! - expect[i]!) < 1e-6);
  tf.dispose([x, y2]);
});

test('an array handed to user code by dataSync is never recycled', () => {
  const x = tf.ones([4096]);
  const y = tf.mul(x, 3);
  const seen = y.dataSync(); // the stored array itself
  y.dispose();
  const z = tf.mul(x, 5); // same size: must not reuse `seen`
  assert.equal(seen[0], 3, 'what the user holds keeps its values');
  assert.equal(z.dataSync()[0], 5);
  tf.dispose([x, z]);
});

test('a subarray view (cpu Slice) keeps its values after the sliced tensor is disposed', () => {
  const x = tf.ones([8, 512]);
  const y = tf.mul(x, 2); // pooled output
  const s = tf.slice(y, [2, 0], [1, 512]); // cpu Slice: a view into y's buffer
  y.dispose();
  const w = tf.mul(x, 7); // same size as y
  assert.equal(s.dataSync()[0], 2);
  assert.equal(w.dataSync()[0], 7);
  tf.dispose([x, s, w]);
});

test('a buffer shared by two tensors is not recycled while one lives', () => {
  const x = tf.ones([2048]);
  const y = tf.mul(x, 4);
  const r = tf.reshape(y, [32, 64]); // shares y's data
  y.dispose();
  const w = tf.mul(x, 9);
  assert.equal(r.dataSync()[0], 4);
  assert.equal(w.dataSync()[0], 9);
  tf.dispose([x, r, w]);
});
