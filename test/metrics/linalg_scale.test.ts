import assert from 'node:assert/strict';
import { test } from 'node:test';

import { symmetricEigen } from '../../src/metrics/linalg.js';
import { mulberry32 } from '../../src/metrics/rng.js';

// A block-diagonal symmetric matrix: a 6x6 block of O(1) entries and a 6x6 block of entries near
// 1e-155, whose squares underflow. A FID's S C2 S looks like this where a few samples make a
// rank-deficient covariance (a 2-step model's outputs); the Householder step must scale each column
// or its norm underflows to zero and the QL iteration runs on NaN.
function blockMatrix(tinyScale: number): { a: Float64Array; big: Float64Array; tiny: Float64Array } {
  const d = 12;
  const h = 6;
  const rnd = mulberry32(3);
  const a = new Float64Array(d * d);
  const big = new Float64Array(h * h);
  const tiny = new Float64Array(h * h);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      if (i >= h !== j >= h) continue;
      const inTiny = i >= h;
      const v = (rnd() - 0.5) * (inTiny ? tinyScale : 1);
      a[i * d + j] = v;
      a[j * d + i] = v;
      const blk = inTiny ? tiny : big;
      const [bi, bj] = inTiny ? [i - h, j - h] : [i, j];
      blk[bi * h + bj] = v;
      blk[bj * h + bi] = v;
    }
  }
  return { a, big, tiny };
}

test('symmetricEigen: a block of entries near 1e-155 (their squares underflow) converges to both blocks eigenvalues', () => {
  const { a, big, tiny } = blockMatrix(1e-155);
  const { values, vectors } = symmetricEigen(a, 12, { vectors: true });
  const bigValues = symmetricEigen(big, 6, { vectors: false }).values;
  // The tiny block's eigenvalues, computed at a representable scale and scaled back.
  const tinyValues = symmetricEigen(
    tiny.map((v) => v * 1e155),
    6,
    { vectors: false },
  ).values.map((v) => v * 1e-155);
  const expected = [...bigValues, ...tinyValues].sort((x, y) => x - y);
  values.forEach((v, i) => {
    assert.ok(Number.isFinite(v), `eigenvalue ${i} is ${v}`);
    assert.ok(
      Math.abs(v - expected[i]!) <= 1e-12 * Math.max(1, Math.abs(expected[i]!)),
      `eigenvalue ${i}: ${v} vs ${expected[i]}`,
    );
  });
  // Each of the O(1) eigenpairs satisfies A x = lambda x.
  for (let e = 0; e < 12; e++) {
    if (Math.abs(values[e]!) < 1e-100) continue;
    for (let i = 0; i < 12; i++) {
      let ax = 0;
      for (let j = 0; j < 12; j++) ax += a[i * 12 + j]! * vectors![e * 12 + j]!;
      assert.ok(Math.abs(ax - values[e]! * vectors![e * 12 + i]!) < 1e-12, `A x = lambda x, pair ${e}, row ${i}`);
    }
  }
});
