// What the tests of the native convolution paths (Winograd, few output channels) share: the four
// convolution kernels of one case run on both backends, and a child process that prints JSON under
// an environment switch (to prove a path is taken: its low bits differ from the reference path's).
import { execFileSync } from 'node:child_process';

import { tf } from '../../src/index.js';
import { onBothBackends, randValues, type rng } from './parity.js';

export type Pad = 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];

const size = (s: number[]) => s.reduce((a, b) => a * b, 1);

/**
 * Conv2D, FusedConv2D (bias + `activation`), the input gradient (conv2dTranspose) and the filter
 * gradient (Conv2DBackpropFilter) of x [N, H, W, Cin] and a [k, k, Cin, co] filter at stride 1, on
 * tfjs cpu and on native, with random inputs from `r`.
 */
export function convKernelsOnBothBackends(
  r: ReturnType<typeof rng>,
  c: { x: [number, number, number, number]; k: number; co: number; pad: Pad },
  activation: { activation: 'relu' } | { activation: 'leakyrelu'; leakyreluAlpha: number },
): ReturnType<typeof onBothBackends> {
  const fShape = [c.k, c.k, c.x[3], c.co];
  const yShape = tf.tidy(
    () => tf.conv2d(tf.zeros(c.x) as tf.Tensor4D, tf.zeros(fShape) as tf.Tensor4D, 1, c.pad).shape,
  );
  return onBothBackends(
    [
      { values: randValues(r, size(c.x)), shape: c.x },
      { values: randValues(r, size(fShape)), shape: fShape },
      { values: randValues(r, size(yShape)), shape: yShape },
      { values: randValues(r, c.co), shape: [c.co] },
    ],
    (x, f, dy, b) => [
      tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, 1, c.pad),
      tf.fused.conv2d({
        x: x as tf.Tensor4D,
        filter: f as tf.Tensor4D,
        strides: 1,
        pad: c.pad,
        bias: b,
        ...activation,
      }),
      tf.conv2dTranspose(dy as tf.Tensor4D, f as tf.Tensor4D, c.x, 1, c.pad),
      tf.engine().runKernel('Conv2DBackpropFilter', { x: x!, dy: dy! }, {
        strides: 1,
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
