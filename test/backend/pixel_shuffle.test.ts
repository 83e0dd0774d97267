// Pixel shuffle (DepthToSpace) and its gradient (the tsgan kernel TsganSpaceToDepth): native
// against tfjs cpu and against a brute-force index formula; the gradient against the reshape/
// transpose reference and a finite-difference-free check (the gradient of sum(w * shuffle(x)) is
// the unshuffled w); both are native kernels (no fallback).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { depthToSpaceConfig } from '../../src/backend/kernels/DepthToSpace.js';
import { SPACE_TO_DEPTH } from '../../src/backend/kernels/SpaceToDepth.js';
import { tf } from '../../src/index.js';
import { pixelShuffle, pixelShuffleReference, spaceToDepthReference } from '../../src/nn/pixel_shuffle.js';
import { assertParity, onBothBackends, randInt, randValues, rng } from '../helpers/parity.js';

const size = (s: number[]) => s.reduce((a, b) => a * b, 1);

test('DepthToSpace on native equals tfjs cpu and the index formula y[n,h*b+i,w*b+j,c] = x[n,h,w,(i*b+j)*C+c]', () => {
  const r = rng(141);
  for (let k = 0; k < 12; k++) {
    const b = randInt(r, 2, 4);
    const co = randInt(r, 1, 5);
    const shape = [randInt(r, 1, 3), randInt(r, 1, 6), randInt(r, 1, 6), co * b * b];
    const x = randValues(r, size(shape));
    const res = onBothBackends([{ values: x, shape }], (t) => tf.depthToSpace(t as tf.Tensor4D, b));
    assertParity(res, 0, `depthToSpace ${shape} b=${b}`);
    const [n, h, w] = shape as [number, number, number, number];
    const y = res.native[0]!.values;
    for (let nn = 0; nn < n; nn++)
      for (let hh = 0; hh < h * b; hh++)
        for (let ww = 0; ww < w * b; ww++)
          for (let c = 0; c < co; c++) {
            const src =
              x[
                ((nn * h + Math.floor(hh / b)) * w + Math.floor(ww / b)) * co * b * b +
                  ((hh % b) * b + (ww % b)) * co +
                  c
              ];
            assert.equal(y[((nn * h * b + hh) * w * b + ww) * co + c], src);
          }
  }
});

test('the reshape/transpose reference equals DepthToSpace; SpaceToDepth inverts it on both backends', () => {
  const r = rng(142);
  const shape = [2, 5, 3, 12];
  const x = randValues(r, size(shape));
  const res = onBothBackends([{ values: x, shape }], (t) => [
    tf.sub(pixelShuffle(t as tf.Tensor4D, 2), pixelShuffleReference(t as tf.Tensor4D, 2)),
    spaceToDepthReference(pixelShuffle(t as tf.Tensor4D, 2), 2),
  ]);
  for (const b of ['cpu', 'native'] as const) {
    assert.ok(
      res[b][0]!.values.every((v) => v === 0),
      `${b}: shuffle vs reference`,
    );
    assert.deepEqual(Array.from(res[b][1]!.values), Array.from(x), `${b}: spaceToDepth(shuffle(x)) = x`);
  }
  const y = tf.tensor(randValues(r, 2 * 6 * 9 * 3), [2, 6, 9, 3]) as tf.Tensor4D;
  const native = tf.engine().runKernel(SPACE_TO_DEPTH, { x: y }, { blockSize: 3 }) as tf.Tensor;
  assert.deepEqual(native.shape, [2, 2, 3, 27]);
  assert.deepEqual(Array.from(native.dataSync()), Array.from(spaceToDepthReference(y, 3).dataSync()));
});

test('the pixel shuffle gradient: native kernel = composed path on cpu = the unshuffled upstream gradient', () => {
  const r = rng(143);
  const shape = [2, 4, 3, 16]; // r = 2: out [2, 8, 6, 4]; r = 4: out [2, 16, 12, 1]
  for (const b of [2, 4]) {
    const outShape = [2, 4 * b, 3 * b, 16 / (b * b)];
    const w = randValues(r, size(outShape));
    const res = onBothBackends([{ values: randValues(r, size(shape)), shape }], (x) =>
      tf.grad((xi: tf.Tensor) => tf.sum(tf.mul(pixelShuffle(xi as tf.Tensor4D, b), tf.tensor(w, outShape))))(x),
    );
    assertParity(res, 0, `gradient b=${b}`);
    const expect = spaceToDepthReference(tf.tensor(w, outShape) as tf.Tensor4D, b).dataSync();
    assert.deepEqual(Array.from(res.native[0]!.values), Array.from(expect), `gradient b=${b} vs unshuffled w`);
  }
});

test('DepthToSpace and TsganSpaceToDepth run natively (the native kernels, no tfjs cpu fallback)', () => {
  const be = tf.backend() as unknown as { countFallbacks: (on: boolean) => Map<string, number> };
  assert.equal(tf.getKernel('DepthToSpace', 'native')?.kernelFunc, depthToSpaceConfig.kernelFunc);
  const x = tf.randomNormal([2, 8, 8, 16]) as tf.Tensor4D;
  be.countFallbacks(true);
  tf.grad((xi: tf.Tensor) => tf.sum(tf.square(pixelShuffle(xi as tf.Tensor4D, 2))))(x).dispose();
  const counts = be.countFallbacks(false);
  assert.equal(counts.get('DepthToSpace'), undefined);
  x.dispose();
});
