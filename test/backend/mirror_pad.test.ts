// Parity of the native MirrorPad kernel with tfjs cpu (reflect and symmetric, ranks 1-4), and of the
// tsgan kernel TsganMirrorPadGrad with a brute-force scatter of dy onto the source positions; the
// reflection pad's gradient on native equals the composed path the cpu backend runs.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { MIRROR_PAD_GRAD } from '../../src/backend/kernels/MirrorPadGrad.js';
import { tf } from '../../src/index.js';
import { reflectionPad2d } from '../../src/nn/reflection_pad.js';
import { assertParity, onBothBackends, randInt, randValues, rng } from '../helpers/parity.js';

const size = (s: number[]) => s.reduce((a, b) => a * b, 1);

/** Source index of padded position o in a dimension of size n padded by `before`. */
function src(o: number, n: number, before: number, symmetric: boolean): number {
  let j = o - before;
  if (j < 0) j = symmetric ? -j - 1 : -j;
  else if (j >= n) j = symmetric ? 2 * n - 1 - j : 2 * n - 2 - j;
  return j;
}

function randomCase(r: () => number, rank: number, symmetric: boolean) {
  const shape = Array.from({ length: rank }, () => randInt(r, 2, 6));
  const paddings = shape.map((d) => {
    const limit = symmetric ? d : d - 1;
    return [randInt(r, 0, limit), randInt(r, 0, limit)] as [number, number];
  });
  return { shape, paddings };
}

test('MirrorPad matches cpu: reflect and symmetric, ranks 1-4', () => {
  const r = rng(71);
  for (const mode of ['reflect', 'symmetric'] as const)
    for (let rank = 1; rank <= 4; rank++)
      for (let k = 0; k < 6; k++) {
        const { shape, paddings } = randomCase(r, rank, mode === 'symmetric');
        const res = onBothBackends([{ values: randValues(r, size(shape)), shape }], (x) =>
          tf.mirrorPad(x, paddings, mode),
        );
        assertParity(res, 0, `mirrorPad ${JSON.stringify(shape)} ${JSON.stringify(paddings)} ${mode}`);
      }
});

test('TsganMirrorPadGrad sums dy over every copy of each source value (brute force), both modes', () => {
  assert.ok(tf.getKernel(MIRROR_PAD_GRAD, 'native'), 'registered on native');
  const r = rng(72);
  for (const mode of ['reflect', 'symmetric'] as const)
    for (let rank = 1; rank <= 4; rank++)
      for (let k = 0; k < 4; k++) {
        const { shape, paddings } = randomCase(r, rank, mode === 'symmetric');
        const outShape = shape.map((d, i) => d + paddings[i]![0] + paddings[i]![1]);
        const dy = randValues(r, size(outShape));
        const expect = new Float64Array(size(shape));
        const idx = new Array(rank).fill(0);
        for (let o = 0; o < dy.length; o++) {
          let rem = o;
          for (let d = rank - 1; d >= 0; d--) {
            idx[d] = rem % outShape[d]!;
            rem = Math.floor(rem / outShape[d]!);
          }
          let flat = 0;
          for (let d = 0; d < rank; d++)
            flat = flat * shape[d]! + src(idx[d], shape[d]!, paddings[d]![0], mode === 'symmetric');
          expect[flat]! += dy[o]!;
        }
        const got = tf.engine().runKernel(MIRROR_PAD_GRAD, { dy: tf.tensor(dy, outShape) }, {
          xShape: shape,
          paddings,
          mode,
        } as unknown as tf.NamedAttrMap) as tf.Tensor;
        const g = got.dataSync();
        for (let i = 0; i < g.length; i++)
          assert.ok(
            Math.abs(g[i]! - expect[i]!) < 1e-5,
            `${JSON.stringify(shape)} ${mode} [${i}]: ${g[i]} vs ${expect[i]}`,
          );
      }
});

test("reflectionPad2d's gradient: the native kernel equals the composed path on cpu", () => {
  const r = rng(73);
  const shape = [2, 9, 7, 5];
  const w = randValues(r, 2 * 15 * 13 * 5);
  const res = onBothBackends([{ values: randValues(r, size(shape)), shape }], (x) =>
    tf.grad((xi: tf.Tensor) => tf.sum(tf.mul(reflectionPad2d(xi as tf.Tensor4D, 3), tf.tensor(w, [2, 15, 13, 5]))))(x),
  );
  assertParity(res, 1e-5, 'reflection pad gradient');
});

test('MirrorPad and MirrorPadGrad on empty tensors return without touching memory (the fuzz test found a division by zero)', () => {
  const addon = (tf.backend() as unknown as { addon: Record<string, (...a: unknown[]) => unknown> }).addon;
  addon.MirrorPad!(new Float32Array(0), [0], [0, 0], true, new Float32Array(0));
  addon.MirrorPad!(new Float32Array(0), [2, 0], [1, 1, 0, 0], true, new Float32Array(0));
  addon.MirrorPadGrad!(new Float32Array(0), [2, 0], [1, 1, 0, 0], true, new Float32Array(0));
  assert.throws(() => addon.MirrorPad!(new Float32Array(1), [1], [1, 1], false, new Float32Array(3)), /too large/);
});
