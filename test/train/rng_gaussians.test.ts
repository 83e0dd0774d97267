// Rng.gaussians (Marsaglia's polar method, StyleGAN2's noise inputs): standard normal moments, the
// same values from the same state (resume), and the stream continuing where it stopped.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { Rng } from '../../src/train/rng.js';

test('gaussians: mean 0, variance 1, normal tails; reproducible from a saved state', () => {
  const r = new Rng(7);
  const x = r.gaussians(200_001); // odd: the last pair's second value is dropped
  assert.equal(x.length, 200_001);
  let m = 0;
  for (const v of x) m += v;
  m /= x.length;
  let v2 = 0;
  let v4 = 0;
  let beyond2 = 0;
  for (const v of x) {
    const d = (v - m) ** 2;
    v2 += d;
    v4 += d * d;
    if (Math.abs(v) > 2) beyond2++;
  }
  v2 /= x.length;
  v4 /= x.length;
  assert.ok(Math.abs(m) < 0.01, `mean ${m}`);
  assert.ok(Math.abs(v2 - 1) < 0.01, `variance ${v2}`);
  assert.ok(Math.abs(v4 / (v2 * v2) - 3) < 0.06, `kurtosis ${v4 / (v2 * v2)}`);
  assert.ok(Math.abs(beyond2 / x.length - 0.0455) < 0.002, `share beyond 2 sigma ${beyond2 / x.length}`);
  // The same state gives the same values; drawing in two parts continues the stream.
  const state = r.getState();
  const a = r.gaussians(1000);
  const b = new Rng(state);
  const b1 = b.gaussians(600);
  const b2 = b.gaussians(400);
  assert.deepEqual(Array.from(a), [...b1, ...b2]);
  assert.deepEqual(r.getState(), b.getState());
});
