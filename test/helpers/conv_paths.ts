// What the tests of the native convolution paths (Winograd, few output channels) share: the four
// convolution kernels of one case run on both backends, and a child process that prints JSON under
// an environment switch (to prove a path is taken: its low bits differ from the reference path's).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';

import { tf } from '../../src/index.js';
import { onBothBackends, randValues, type rng } from './parity.js';

export type Pad = 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];

const size = (s: number[]) => s.reduce((a, b) => a * b, 1);

/**
 * Conv2D, FusedConv2D (bias + `activation`), the input gradient (conv2dTranspose) and the filter
 * gradient (Conv2DBackpropFilter) of x [N, H, W, Cin] and a [k, k, Cin, co] filter at `strides`
 * (default 1), on tfjs cpu and on native, with random inputs from `r`.
 */
export function convKernelsOnBothBackends(
  r: ReturnType<typeof rng>,
  c: { x: [number, number, number, number]; k: number; co: number; pad: Pad; strides?: number },
  activation: { activation: 'relu' } | { activation: 'leakyrelu'; leakyreluAlpha: number },
): ReturnType<typeof onBothBackends> {
  const strides = c.strides ?? 1;
  const fShape = [c.k, c.k, c.x[3], c.co];
  const yShape = tf.tidy(
    () => tf.conv2d(tf.zeros(c.x) as tf.Tensor4D, tf.zeros(fShape) as tf.Tensor4D, strides, c.pad).shape,
  );
  return onBothBackends(
    [
      { values: randValues(r, size(c.x)), shape: c.x },
      { values: randValues(r, size(fShape)), shape: fShape },
      { values: randValues(r, size(yShape)), shape: yShape },
      { values: randValues(r, c.co), shape: [c.co] },
    ],
    (x, f, dy, b) => [
      tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, strides, c.pad),
      tf.fused.conv2d({
        x: x as tf.Tensor4D,
        filter: f as tf.Tensor4D,
        strides,
        pad: c.pad,
        bias: b,
        ...activation,
      }),
      tf.conv2dTranspose(dy as tf.Tensor4D, f as tf.Tensor4D, c.x, strides, c.pad),
      tf.engine().runKernel('Conv2DBackpropFilter', { x: x!, dy: dy! }, {
        strides,
        pad: c.pad,
        dataFormat: 'NHWC',
        filterShape: fShape,
      } as unknown as tf.NamedAttrMap) as tf.Tensor,
    ],
  );
}

/** Runs an ES-module `script` (imports relative to the repository root) in a child with `env` added; returns its JSON line. */
export function childJson<T>(script: string, env: Record<string, string>): T {
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  return JSON.parse(out.trim()) as T;
}

/**
 * Winograd's F(4, 3) in float32 rounds a little more than a direct sum (its transforms scale by up to
 * 5 and 1/24), so an output that cancels to near zero can be off by more than 1e-4 of itself: the
 * error is measured against the output's scale, max(1, its root mean square), as the rounding of a sum is.
 */
export function assertCloseToScale(res: ReturnType<typeof onBothBackends>, what: string, tol = 1e-4): void {
  res.cpu.forEach((c, i) => {
    const n = res.native[i]!;
    assert.deepEqual(n.shape, c.shape, `${what}: output ${i} shape`);
    let sq = 0;
    for (const v of c.values) sq += v * v;
    const scale = Math.max(1, Math.sqrt(sq / c.values.length));
    let worst = 0;
    for (let j = 0; j < c.values.length; j++) worst = Math.max(worst, Math.abs(n.values[j]! - c.values[j]!));
    assert.ok(
      worst <= tol * scale,
      `${what}: output ${i}: max error ${worst.toExponential(2)} > ${tol} x scale ${scale.toFixed(2)}`,
    );
  });
}
