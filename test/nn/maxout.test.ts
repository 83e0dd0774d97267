// Maxout (src/nn/maxout.ts): values against the slice-per-piece reference and a float64 loop, the
// gradient against central finite differences of the float64 function, the layer's shape and
// serialization, bad piece counts as sentences, and the vanilla D built from it (PacGAN's toy D).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { tf, tfl } from '../../src/index.js';
import { Maxout, maxout, maxoutReference } from '../../src/nn/maxout.js';
import { VanillaGAN } from '../../src/models/vanilla_gan.js';
import { maxAbs, numericGrad } from '../helpers/gradcheck.js';
import { randValues, rng } from '../helpers/parity.js';

/** Float64 maxout of [N, U*k]: unit u is the max of features u*k .. u*k+k-1. */
function maxout64(x: ArrayLike<number>, n: number, f: number, k: number): Float64Array {
  const u = f / k;
  const out = new Float64Array(n * u);
  for (let b = 0; b < n; b++)
    for (let i = 0; i < u; i++) {
      let m = -Infinity;
      for (let j = 0; j < k; j++) m = Math.max(m, x[b * f + i * k + j]!);
      out[b * u + i] = m;
    }
  return out;
}

for (const [n, units, k] of [
  [3, 4, 5],
  [2, 7, 2],
  [5, 3, 1],
] as [number, number, number][]) {
  test(`maxout [${n}, ${units}x${k}]: values and gradient match the reference and finite differences`, () => {
    const f = units * k;
    const xv = randValues(rng(31 + k), n * f);
    const x = tf.tensor2d(xv, [n, f]);
    const y = maxout(x, k);
    assert.deepEqual(y.shape, [n, units]);
    const ref = maxoutReference(x, k);
    assert.ok(maxAbs(y.dataSync(), ref.dataSync()) < 1e-7, 'fast path != reference');
    assert.ok(maxAbs(y.dataSync(), maxout64(xv, n, f, k)) < 1e-6, 'fast path != float64 loop');
    // Loss sum(w * maxout(x)) with fixed weights w: its gradient routes w to each unit's arg-max piece.
    const w = tf.tensor2d(randValues(rng(7), n * units), [n, units]);
    const wv = w.dataSync();
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(maxout(t as tf.Tensor2D, k), w)))(x);
    const num = numericGrad((x64) => {
      const m = maxout64(x64, n, f, k);
      let s = 0;
      for (let i = 0; i < m.length; i++) s += m[i]! * wv[i]!;
      return s;
    }, xv);
    const err = maxAbs(g.dataSync(), num);
    assert.ok(err < 1e-3, `gradient off by ${err}`);
    tf.dispose([x, y, ref, w, g]);
  });
}

test('maxout on [N, P, U*k] (a pack of samples) equals maxout of the rows flattened to [N*P, U*k]', () => {
  const x = tf.tensor3d(randValues(rng(5), 2 * 3 * 12), [2, 3, 12]);
  const y = maxout(x, 3);
  assert.deepEqual(y.shape, [2, 3, 4]);
  const flat = maxoutReference(tf.reshape(x, [6, 12]) as tf.Tensor2D, 3);
  assert.ok(maxAbs(y.dataSync(), flat.dataSync()) === 0);
  tf.dispose([x, y, flat]);
});

test('Maxout layer: dense(U*k) + Maxout gives [N, U], survives serialization; bad pieces are sentences', () => {
  const inp = tfl.input({ shape: [6] });
  const h = tfl.layers.dense({ units: 12 }).apply(inp) as tfl.SymbolicTensor;
  const out = new Maxout({ pieces: 4 }).apply(h) as tfl.SymbolicTensor;
  assert.deepEqual(out.shape, [null, 3]);
  const model = tfl.model({ inputs: inp, outputs: out });
  const again = tfl.models.modelFromJSON({ modelTopology: model.toJSON(null, false) } as never);
  return again.then((m) => {
    const layer = m.layers.find((l) => l.getClassName() === 'TsganMaxout') as Maxout | undefined;
    assert.equal(layer?.pieces, 4);
    assert.throws(() => new Maxout({ pieces: 0 }), /maxout: pieces must be an integer >= 1, got 0/);
    assert.throws(() => maxout(tf.zeros([2, 7]) as tf.Tensor2D, 2), /7 features are not a multiple of 2 pieces/);
    model.dispose();
    m.dispose();
  });
});

test("vanilla D of PacGAN's toy shape: maxout units, own width/depth, per-sample first layer under packing", () => {
  const gan = new VanillaGAN({
    hidden: 16,
    depth: 2,
    hiddenD: 8,
    depthD: 3,
    maxoutPieces: 5,
    pack: 2,
    packPerSample: true,
  });
  const d = gan.networks.D;
  assert.equal(d.layers.filter((l) => l.getClassName() === 'TsganMaxout').length, 3);
  // First dense layer: the same 2 -> 8*5 weights for each sample of the pack (not 4 -> 40).
  const firstKernel = d.layers.find((l) => l.getClassName() === 'Dense')!.getWeights()[0]!;
  assert.deepEqual(firstKernel.shape, [2, 40]);
  const x = tf.randomNormal([6, 2]);
  const { logits } = gan.discriminate(x, null, false);
  assert.deepEqual(logits.shape, [3, 1]);
  // The paper's packed D: its first layer sees the pack's 4 coordinates at once.
  const joint = new VanillaGAN({ hidden: 16, depth: 2, hiddenD: 8, depthD: 3, maxoutPieces: 5, pack: 2 });
  assert.deepEqual(joint.networks.D.layers.find((l) => l.getClassName() === 'Dense')!.getWeights()[0]!.shape, [4, 40]);
  tf.dispose([x, logits]);
  gan.dispose();
  joint.dispose();
});
