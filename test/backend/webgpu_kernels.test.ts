// Parity of tsgan's WGSL kernels (src/backend/webgpu/kernels/) with the native backend, on random
// small shapes (on CI the adapter is lavapipe, a CPU implementation: slow, so shapes stay small),
// and of the in-place Adam stages with the reference update.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import { tf } from '../../src/index.js';
import { adamUpdateWebGPU } from '../../src/backend/webgpu/kernels/AdamUpdate.js';
import { splitK } from '../../src/backend/webgpu/kernels/Conv2DBackpropFilter.js';
import { chooseTile } from '../../src/backend/webgpu/kernels/tiled_gemm.js';
import type { WebGPUBackendLike } from '../../src/backend/webgpu/kernels/program.js';
import { randInt, randValues, rng } from '../helpers/parity.js';
import { relError, runOn, webgpuForTests } from '../helpers/webgpu.js';

const SEED = Number(process.env.TSGAN_WEBGPU_SEED ?? 20261202);
const TOL = 2e-6;

interface ConvCase {
  x: [number, number, number, number];
  f: [number, number, number, number];
  strides: [number, number];
  pad: 'same' | 'valid';
}

function outShape(c: ConvCase): [number, number, number, number] {
  const info = tf.backend_util.computeConv2DInfo(c.x, c.f, c.strides, 1, c.pad);
  return info.outShape as [number, number, number, number];
}

/** Random cases plus the dcgan28 layers at a small batch and one with a K split. */
function convCases(): ConvCase[] {
  const r = rng(SEED);
  const cases: ConvCase[] = [
    { x: [2, 28, 28, 1], f: [4, 4, 1, 64], strides: [2, 2], pad: 'same' }, // D conv1 (K split)
    { x: [2, 14, 14, 64], f: [4, 4, 64, 128], strides: [2, 2], pad: 'same' }, // D conv2
    { x: [2, 14, 14, 64], f: [4, 4, 64, 8], strides: [2, 2], pad: 'same' },
    { x: [3, 5, 5, 3], f: [5, 5, 3, 4], strides: [1, 1], pad: 'valid' }, // filter covers the input
  ];
  while (cases.length < 16) {
    const kh = randInt(r, 1, 4);
    const kw = randInt(r, 1, 4);
    const c: ConvCase = {
      x: [randInt(r, 1, 3), randInt(r, kh, 11), randInt(r, kw, 11), randInt(r, 1, 9)],
      f: [kh, kw, 0, randInt(r, 1, 70)],
      strides: [randInt(r, 1, 3), randInt(r, 1, 3)],
      pad: r() < 0.5 ? 'same' : 'valid',
    };
    c.f[2] = c.x[3];
    cases.push(c);
  }
  return cases;
}

describe('webgpu kernels (parity with native)', () => {
  let skip: string | false = false;
  before(async () => {
    const reg = await webgpuForTests();
    if (typeof reg === 'string') skip = reg;
    else assert.deepEqual([...reg.kernels].sort(), ['AddN', 'Conv2DBackpropFilter', 'Conv2DBackpropInput']);
  });

  test('the K split really splits for a 1-channel first layer, and tiles fit thin outputs', () => {
    // M = 4*4*1 = 16 rows, N = 64, K = 2*14*14 = 392: the case above runs the partial-sum pass.
    const s = splitK(16, 64, 2 * 14 * 14, chooseTile(16, 64));
    assert.ok(s.slices > 1, `slices ${s.slices}`);
    assert.ok(s.slices * s.chunk >= 392 && (s.slices - 1) * s.chunk < 392);
    assert.equal(chooseTile(1000, 1).kind, 'direct');
    assert.equal(chooseTile(1000, 4).kind, 'direct');
    assert.notEqual(chooseTile(1000, 5).kind, 'direct');
  });

  for (const [i, c] of convCases().entries()) {
    const label = `case ${i}: x ${c.x.join('x')} f ${c.f.join('x')} s ${c.strides.join(',')} ${c.pad}`;
    test(`Conv2DBackpropFilter and Conv2DBackpropInput, ${label}`, async (t) => {
      if (skip) return t.skip(skip);
      const r = rng(SEED + i);
      const dyShape = outShape(c);
      const inputs = [
        {
          values: randValues(
            r,
            c.x.reduce((a, b) => a * b),
          ),
          shape: c.x,
        },
        {
          values: randValues(
            r,
            c.f.reduce((a, b) => a * b),
          ),
          shape: c.f,
        },
        {
          values: randValues(
            r,
            dyShape.reduce((a, b) => a * b),
          ),
          shape: dyShape,
        },
      ];
      const fn = (x: tf.Tensor, f: tf.Tensor, dy: tf.Tensor) => [
        tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, c.strides, c.pad).shape.length === 4
          ? tf.grad((ff: tf.Tensor) => tf.mul(tf.conv2d(x as tf.Tensor4D, ff as tf.Tensor4D, c.strides, c.pad), dy))(f)
          : f,
        tf.conv2dTranspose(dy as tf.Tensor4D, f as tf.Tensor4D, c.x, c.strides, c.pad),
      ];
      const [nf, ni] = await runOn('native', inputs, fn);
      const [wf, wi] = await runOn('webgpu', inputs, fn);
      assert.ok(relError(wf!, nf!) < TOL, `filter gradient: relative error ${relError(wf!, nf!)}`);
      assert.ok(relError(wi!, ni!) < TOL, `input gradient: relative error ${relError(wi!, ni!)}`);
    });
  }

  test('AddN of 1 to 40 inputs (the stock kernel breaks past 7)', async (t) => {
    if (skip) return t.skip(skip);
    const r = rng(SEED + 99);
    for (const n of [1, 2, 7, 8, 9, 15, 40]) {
      const inputs = Array.from({ length: n }, () => ({ values: randValues(r, 37), shape: [37] }));
      const fn = (...xs: tf.Tensor[]) => tf.addN(xs);
      const [want] = await runOn('native', inputs, fn);
      const [got] = await runOn('webgpu', inputs, fn);
      assert.ok(relError(got!, want!) < 1e-6, `${n} inputs: relative error ${relError(got!, want!)}`);
    }
  });

  test('Adam in place matches the reference update, and refuses shared buffers', async (t) => {
    if (skip) return t.skip(skip);
    const r = rng(SEED - 1);
    const n = 1000;
    const w0 = randValues(r, n);
    const g0 = randValues(r, n);
    const m0 = randValues(r, n).map((x) => x * 0.1);
    const v0 = randValues(r, n).map((x) => Math.abs(x) * 0.01);
    const p = {
      lr: 2e-3,
      beta1: 0.5,
      beta2: 0.999,
      epsilon: 1e-8,
      oneMinusAccBeta1: 1 - 0.5 ** 3,
      oneMinusAccBeta2: 1 - 0.999 ** 3,
    };
    await tf.setBackend('webgpu');
    try {
      // Made in tidy() so that each variable is its buffer's only holder (as a layer's weights are).
      const w = tf.tidy(() => tf.variable(tf.tensor1d(w0)));
      const m = tf.tidy(() => tf.variable(tf.tensor1d(m0)));
      const v = tf.tidy(() => tf.variable(tf.tensor1d(v0)));
      const g = tf.tensor1d(g0);
      // Upload w (an op reads it), then read it: the backend keeps that CPU copy, which must not
      // hide the in-place update.
      tf.dispose(tf.add(w, 0));
      await w.data();
      assert.equal(adamUpdateWebGPU(tf.backend() as unknown as WebGPUBackendLike, w, g, m, v, p), true);
      const [wd, md, vd] = await Promise.all([w.data(), m.data(), v.data()]);
      for (let i = 0; i < n; i++) {
        const mm = 0.5 * m0[i]! + 0.5 * g0[i]!;
        const vv = 0.999 * v0[i]! + 0.001 * g0[i]! * g0[i]!;
        const ww = w0[i]! - (p.lr * (mm / p.oneMinusAccBeta1)) / (Math.sqrt(vv / p.oneMinusAccBeta2) + p.epsilon);
        assert.ok(Math.abs(md[i]! - mm) <= 1e-6 * Math.max(1, Math.abs(mm)), `m[${i}] ${md[i]} vs ${mm}`);
        assert.ok(Math.abs(vd[i]! - vv) <= 1e-6 * Math.max(1e-3, Math.abs(vv)), `v[${i}] ${vd[i]} vs ${vv}`);
        assert.ok(Math.abs(wd[i]! - ww) <= 1e-6 * Math.max(1, Math.abs(ww)), `w[${i}] ${wd[i]} vs ${ww}`);
      }
      // A weight whose buffer another tensor also holds must not be written in place.
      const alias = tf.tidy(() => tf.variable(tf.tensor1d(w0)));
      const other = tf.reshape(alias, [n]); // shares alias's buffer
      assert.equal(adamUpdateWebGPU(tf.backend() as unknown as WebGPUBackendLike, alias, g, m, v, p), false);
      assert.deepEqual(Array.from(await other.data()).slice(0, 5), Array.from(w0).slice(0, 5));
      tf.dispose([w, m, v, g, alias, other]);
    } finally {
      await tf.setBackend('native');
    }
  });
});
