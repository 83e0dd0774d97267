// The fused StyleGAN2 ops (src/nn/stylegan_fused.ts, stylegan_fused_batch.ts) against
// their reference paths: on the tfjs cpu backend the same functions run the reference (tfjs ops,
// autograd), on the native backend the fused kernels. Values and the gradients of every input are
// compared, for each variant a layer uses (modulated conv with and without demodulation, noise and
// activation; equalized-lr dense and conv (whose filter gradient runs only when needed); minibatch stddev; the repeated constant; bias + leaky ReLU + gain on 4-D and 2-D tensors; 2x up- and downsampling); and with
// two levels of gradients recorded (R1, path length) the fused ops step aside for the reference.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { tf } from '../../src/index.js';
import {
  biasAct,
  eqConvAct,
  eqDenseAct,
  fusedBackend,
  modConv,
  type ModConvOptions,
} from '../../src/nn/stylegan_fused.js';
import { down2x, mbStd, repeatBatch, untaped, up2x } from '../../src/nn/stylegan_fused_batch.js';
import { assertParity, onBothBackends, randValues, rng } from '../helpers/parity.js';

const native = tf.findBackend('native') != null;

/** Values and the gradient of sum(f(...xs) * r) with respect to each input, r a fixed random cotangent. */
function withGrads(f: (...xs: tf.Tensor[]) => tf.Tensor, outShape: number[], seed: number) {
  return (...xs: tf.Tensor[]) => {
    const size = outShape.reduce((a, b) => a * b, 1);
    const r = tf.tensor(randValues(rng(seed), size), outShape);
    const y = f(...xs);
    const grads = tf.grads((...ins: tf.Tensor[]) => tf.sum(tf.mul(f(...ins), r)))(xs);
    return [y, ...grads];
  };
}

test('modConv: fused values and gradients match the reference (tfjs cpu)', { skip: !native }, () => {
  const cases: { k: number; cin: number; cout: number; noise: boolean; o: ModConvOptions }[] = [
    { k: 3, cin: 5, cout: 6, noise: true, o: { demodulate: true, lrelu: true, gain: Math.SQRT2 } },
    { k: 3, cin: 4, cout: 3, noise: false, o: { demodulate: true, lrelu: true, gain: Math.SQRT2 } },
    { k: 1, cin: 6, cout: 1, noise: false, o: { demodulate: false, lrelu: false, gain: 1 } },
  ];
  cases.forEach(({ k, cin, cout, noise, o }, i) => {
    const r = rng(100 + i);
    const [n, h, w, wd] = [3, 6, 5, 4];
    const inputs = [
      { values: randValues(r, n * h * w * cin), shape: [n, h, w, cin] }, // x
      { values: randValues(r, n * wd), shape: [n, wd] }, // w
      { values: randValues(r, wd * cin), shape: [wd, cin] }, // affine kernel
      { values: randValues(r, cin).map((v) => v * 0.2 + 1), shape: [cin] }, // affine bias (near its init 1)
      { values: randValues(r, k * k * cin * cout), shape: [k, k, cin, cout] }, // kernel
      { values: randValues(r, cout), shape: [cout] }, // bias
      ...(noise
        ? [
            { values: randValues(r, n * h * w), shape: [n, h, w, 1] },
            { values: [0.3], shape: [1] },
          ]
        : []),
    ];
    const f = (...xs: tf.Tensor[]) =>
      modConv(
        xs[0] as tf.Tensor4D,
        xs[1] as tf.Tensor2D,
        {
          affineKernel: xs[2] as tf.Tensor2D,
          affineBias: xs[3] as tf.Tensor1D,
          kernel: xs[4] as tf.Tensor4D,
          bias: xs[5] as tf.Tensor1D,
          noiseStrength: noise ? xs[7]! : null,
        },
        noise ? (xs[6] as tf.Tensor4D) : null,
        o,
      );
    const res = onBothBackends(inputs, withGrads(f, [n, h, w, cout], 7 + i));
    assert.equal(res.native.length, inputs.length + 1);
    assertParity(res, 2e-4, `modConv case ${i}`);
  });
});

test('biasAct: fused values and gradients match the reference on 4-D and 2-D tensors', { skip: !native }, () => {
  const r = rng(5);
  for (const [shape, lrelu, gain, withBias] of [
    [[2, 4, 3, 7], true, Math.SQRT2 * Math.SQRT1_2, true],
    [[5, 9], true, Math.SQRT2, true],
    [[5, 9], false, 1, true],
    [[2, 3, 3, 4], false, Math.SQRT1_2, false],
  ] as [number[], boolean, number, boolean][]) {
    const c = shape[shape.length - 1]!;
    const size = shape.reduce((a, b) => a * b, 1);
    const inputs = [
      { values: randValues(r, size), shape },
      ...(withBias ? [{ values: randValues(r, c), shape: [c] }] : []),
    ];
    const f = (...xs: tf.Tensor[]) => biasAct(xs[0]!, withBias ? xs[1]! : null, lrelu, gain);
    assertParity(onBothBackends(inputs, withGrads(f, shape, 3)), 1e-5, `biasAct ${shape} lrelu=${lrelu}`);
  }
});

test('eqDenseAct: fused values and gradients match the reference (lr multiplier 1 and 0.01)', { skip: !native }, () => {
  const r = rng(11);
  for (const [lrMul, lrelu, gain] of [
    [0.01, true, Math.SQRT2],
    [1, false, 1],
  ] as [number, boolean, number][]) {
    const [n, inDim, out] = [5, 7, 6];
    const inputs = [
      { values: randValues(r, n * inDim), shape: [n, inDim] },
      { values: randValues(r, inDim * out).map((v) => v / lrMul), shape: [inDim, out] },
      { values: randValues(r, out), shape: [out] },
    ];
    const f = (...xs: tf.Tensor[]) =>
      eqDenseAct(xs[0] as tf.Tensor2D, xs[1] as tf.Tensor2D, xs[2] as tf.Tensor1D, lrMul, lrelu, gain);
    assertParity(onBothBackends(inputs, withGrads(f, [n, out], 4)), 2e-5, `eqDenseAct lrMul=${lrMul}`);
  }
});

test('eqConvAct: fused values and gradients match the reference; only needed gradients are computed', {
  skip: !native,
}, async () => {
  const r = rng(21);
  for (const [k, withBias, lrelu, gain] of [
    [3, true, true, Math.SQRT2],
    [1, false, false, Math.SQRT1_2],
  ] as [number, boolean, boolean, number][]) {
    const [n, h, w, cin, cout] = [2, 5, 4, 3, 4];
    const inputs = [
      { values: randValues(r, n * h * w * cin), shape: [n, h, w, cin] },
      { values: randValues(r, k * k * cin * cout), shape: [k, k, cin, cout] },
      ...(withBias ? [{ values: randValues(r, cout), shape: [cout] }] : []),
    ];
    const f = (...xs: tf.Tensor[]) =>
      eqConvAct(xs[0] as tf.Tensor4D, xs[1] as tf.Tensor4D, withBias ? (xs[2] as tf.Tensor1D) : null, lrelu, gain);
    assertParity(onBothBackends(inputs, withGrads(f, [n, h, w, cout], 5)), 2e-5, `eqConvAct k=${k}`);
  }
  // The gradient in x alone (G's step through D) runs no filter-gradient kernel.
  tf.setBackend('native');
  const x = tf.tensor4d(randValues(r, 2 * 4 * 4 * 3), [2, 4, 4, 3]);
  const kernel = tf.variable(tf.tensor4d(randValues(r, 27 * 2), [3, 3, 3, 2]));
  const info = await tf.profile(() => {
    tf.dispose(tf.grad((t: tf.Tensor) => tf.sum(eqConvAct(t as tf.Tensor4D, kernel, null, true, Math.SQRT2)))(x));
  });
  const names = info.kernels.map((kk) => kk.name);
  assert.ok(names.includes('Conv2DBackpropInput'), 'the input gradient ran');
  assert.ok(!names.includes('Conv2DBackpropFilter'), `no filter gradient: ${names.join(', ')}`);
  tf.dispose([x, kernel]);
});

test('up2x and down2x: fused values and gradients match the reference', { skip: !native }, () => {
  const r = rng(9);
  const x = { values: randValues(r, 2 * 4 * 6 * 3), shape: [2, 4, 6, 3] };
  assertParity(
    onBothBackends(
      [x],
      withGrads((t) => up2x(t as tf.Tensor4D), [2, 8, 12, 3], 1),
    ),
    1e-6,
    'up2x',
  );
  assertParity(
    onBothBackends(
      [x],
      withGrads((t) => down2x(t as tf.Tensor4D), [2, 2, 3, 3], 2),
    ),
    1e-6,
    'down2x',
  );
});

test('repeatBatch: fused values and gradient match the reference', { skip: !native }, () => {
  const x = { values: randValues(rng(4), 3 * 2 * 5), shape: [1, 3, 2, 5] };
  assertParity(
    onBothBackends(
      [x],
      withGrads((t) => repeatBatch(t, 4), [4, 3, 2, 5], 6),
    ),
    1e-6,
    'repeatBatch',
  );
});

test('mbStd: fused values and gradient match the reference (groups of 4 and 2)', { skip: !native }, () => {
  for (const [n, group] of [
    [8, 4],
    [6, 4],
  ]) {
    const x = { values: randValues(rng(n), n * 3 * 2 * 5), shape: [n, 3, 2, 5] };
    const f = (t: tf.Tensor) => mbStd(t as tf.Tensor4D, group);
    assertParity(onBothBackends([x], withGrads(f, [n, 3, 2, 6], 8)), 1e-5, `mbStd n=${n}`);
  }
});

test('untaped: the value of fn, and no gradient through it (D step fakes)', () => {
  tf.tidy(() => {
    const v = tf.variable(tf.tensor1d([1, -2, 3]));
    const { value, grads } = tf.variableGrads(() => {
      const u = untaped(() => tf.mul(v, tf.scalar(5)));
      assert.deepEqual(Array.from(u.dataSync()), [5, -10, 15]);
      return tf.add(tf.sum(tf.mul(u, v)), tf.sum(v)) as tf.Scalar; // d/dv = u (u held constant) + 1
    }, [v]);
    assert.equal(value.dataSync()[0], 5 + 20 + 45 + 2);
    assert.deepEqual(Array.from(grads[v.name]!.dataSync()), [6, -9, 16]);
    v.dispose();
  });
});

test('the fused ops step aside for the reference under a gradient of a gradient', { skip: !native }, () => {
  tf.setBackend('native');
  assert.notEqual(fusedBackend(), null, 'the fused path runs at no gradient depth');
  let inner: ReturnType<typeof fusedBackend> | undefined;
  tf.tidy(() => {
    const x = tf.tensor4d(randValues(rng(2), 2 * 4 * 4 * 2), [2, 4, 4, 2]);
    // d/dx of sum(d/dx sum(down2x(x)^3)): second order through down2x, which only the reference gives.
    const g2 = tf.grad((t: tf.Tensor) =>
      tf.sum(
        tf.grad((u: tf.Tensor) => {
          inner = fusedBackend();
          return tf.sum(tf.pow(down2x(u as tf.Tensor4D), 3));
        })(t),
      ),
    )(x);
    // f = sum over blocks of m^3 (m a block's mean): df/dx = 3 m^2 / 4, so g = sum(df/dx) = sum of 3 m^2
    // and dg/dx = 6 m / 4 on each element of the block.
    const m = tf.mean(tf.reshape(x, [2, 2, 2, 2, 2, 2]), [2, 4]);
    const want = tf.reshape(
      tf.mul(tf.reshape(tf.mul(m, 6 / 4), [2, 2, 1, 2, 1, 2]), tf.ones([1, 1, 2, 1, 2, 1])),
      [2, 4, 4, 2],
    );
    const a = g2.dataSync();
    const b = want.dataSync();
    for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i]! - b[i]!) < 1e-4, `second-order gradient at ${i}`);
  });
  assert.equal(inner, null, 'two levels of gradients: the reference runs');
});

test('the fused ops keep their backward tensors without Identity kernels, and release them after the gradients', {
  skip: !native,
}, async () => {
  tf.setBackend('native');
  const r = rng(31);
  const [n, h, w, cin, cout, wd] = [2, 4, 4, 3, 4, 5];
  const x = tf.tensor4d(randValues(r, n * h * w * cin), [n, h, w, cin]);
  const vars = {
    wIn: tf.variable(tf.tensor2d(randValues(r, n * wd), [n, wd])),
    affineKernel: tf.variable(tf.tensor2d(randValues(r, wd * cin), [wd, cin])),
    affineBias: tf.variable(tf.ones([cin]) as tf.Tensor1D),
    kernel: tf.variable(tf.tensor4d(randValues(r, 9 * cin * cout), [3, 3, cin, cout])),
    bias: tf.variable(tf.zeros([cout]) as tf.Tensor1D),
    strength: tf.variable(tf.tensor1d([0.1])),
    dKernel: tf.variable(tf.tensor4d(randValues(r, 9 * cout * cout), [3, 3, cout, cout])),
    dense: tf.variable(tf.tensor2d(randValues(r, h * w * cout * 2), [h * w * cout, 2])),
    denseBias: tf.variable(tf.zeros([2]) as tf.Tensor1D),
  };
  const noise = tf.tensor4d(randValues(r, n * h * w), [n, h, w, 1]);
  const loss = () => {
    const y = modConv(x, vars.wIn, { ...vars, noiseStrength: vars.strength }, noise, {
      demodulate: true,
      lrelu: true,
      gain: Math.SQRT2,
    }); // [n, h, w, cout]
    const z = eqConvAct(mbStd(y, 2).slice([0, 0, 0, 0], [n, h, w, cout]), vars.dKernel, null, true, Math.SQRT2);
    return tf.sum(eqDenseAct(tf.reshape(z, [n, h * w * cout]), vars.dense, vars.denseBias, 1, true, 1)) as tf.Scalar;
  };
  const run = () => {
    const { value, grads } = tf.variableGrads(loss);
    const sums = tf.tidy(() => Object.values(grads).map((g) => g.sum().dataSync()[0]!));
    tf.dispose([value, ...Object.values(grads)]);
    return sums;
  };
  const first = run(); // warm-up: the same values every time
  const before = tf.memory().numTensors;
  const info = await tf.profile(() => {
    assert.deepEqual(run(), first);
  });
  assert.equal(tf.memory().numTensors, before, 'no tensor left behind by the saved tensors');
  const names = info.kernels.map((k) => k.name);
  assert.ok(names.includes('Conv2DBackpropFilter'), 'the backward pass ran');
  // tfjs's save() clones each saved tensor with an Identity kernel: here only the three tfjs ops around
  // the fused ones (slice, reshape, sum: one saved tensor each) make any; the fused ops' 19 would add 19.
  const identities = names.filter((k) => k === 'Identity').length;
  assert.equal(identities, 3, `Identity kernels (save's clones): ${names.join(', ')}`);
  tf.dispose([x, noise, ...Object.values(vars)]);
});
