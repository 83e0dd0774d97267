// Fused StyleGAN2 ops across pixels and samples, for the native backend (the layer ops and the shared
// helpers are in stylegan_fused.ts; the same rules: a tf.customGrad op calling native kernels, its
// tfjs reference path beside it for every other backend and for gradients of gradients):
//   up2x, down2x  2x nearest upsampling and 2x2 box downsampling (native/kernels/resample2x.cc);
//   repeatBatch   the learned constant repeated over the batch (n copies; backward a native Sum);
//   mbStd         minibatch standard deviation (native/kernels/minibatch_std.cc);
//   untaped       runs a computation whose gradient no one needs (D's fakes) without recording it.
import * as tf from '@tensorflow/tfjs-core';

import type { NativeBackend } from '../backend/native_backend.js';
import { custom, first, fusedBackend, tensorOf, vals } from './stylegan_fused_core.js';
import { downsample2x, mbstdGroup, minibatchStd, upsample2x } from './stylegan_ops.js';

/** Runs a native resampling kernel as a customGrad op: `fwd` maps x to `outShape`, `bwd` maps back. */
function resample(
  backend: NativeBackend,
  x: tf.Tensor4D,
  outShape: number[],
  fwd: string,
  bwd: string,
  dims: number[],
): tf.Tensor4D {
  const op = custom((...args: unknown[]) => {
    args.pop();
    const xi = args[0] as tf.Tensor;
    const out = backend.allocF32(
      outShape.reduce((a, b) => a * b, 1),
      false,
    );
    backend.run(fwd, out, vals(backend, xi), ...dims);
    return {
      value: tensorOf(backend, out, outShape),
      gradFunc: (dy) => {
        const dx = backend.allocF32(x.size, false);
        backend.run(bwd, dx, vals(backend, first(dy)), ...dims);
        return tensorOf(backend, dx, x.shape);
      },
    };
  });
  return op(x) as tf.Tensor4D;
}

/** 2x nearest-neighbour upsampling, [N, H, W, C] -> [N, 2H, 2W, C] (reference: upsample2x). */
export function up2x(x: tf.Tensor4D): tf.Tensor4D {
  const backend = fusedBackend(x);
  if (backend == null) return upsample2x(x);
  const [n, h, w, c] = x.shape;
  return resample(backend, x, [n, 2 * h, 2 * w, c], 'Up2x', 'Up2xGrad', [n, h, w, c]);
}

/** 2x2 box downsampling, [N, H, W, C] -> [N, H/2, W/2, C] (reference: downsample2x). */
export function down2x(x: tf.Tensor4D): tf.Tensor4D {
  const backend = fusedBackend(x);
  const [n, h, w, c] = x.shape;
  if (backend == null || h % 2 !== 0 || w % 2 !== 0) return downsample2x(x);
  return resample(backend, x, [n, h / 2, w / 2, c], 'Down2x', 'Down2xGrad', [n, h, w, c]);
}

/** The reference of repeatBatch: value [1, ...] times ones [n, 1, ...] (a broadcast multiply). */
export function repeatBatchReference(value: tf.Tensor, n: number): tf.Tensor {
  return tf.tidy(() => tf.mul(value, tf.ones([n, ...value.shape.slice(1).map(() => 1)])));
}

/** value [1, ...] repeated n times along the first axis -> [n, ...]; its gradient sums over that axis. */
export function repeatBatch(value: tf.Tensor, n: number): tf.Tensor {
  const backend = fusedBackend(value);
  if (backend == null || value.shape[0] !== 1) return repeatBatchReference(value, n);
  const op = custom((...args: unknown[]) => {
    args.pop();
    const v = vals(backend, args[0] as tf.Tensor);
    const out = backend.allocF32(n * v.length, false);
    for (let i = 0; i < n; i++) out.set(v, i * v.length); // n copies of the value
    return {
      value: tensorOf(backend, out, [n, ...value.shape.slice(1)]),
      gradFunc: (dy) => tf.sum(first(dy), 0, true),
    };
  });
  return op(value);
}

/** Minibatch standard deviation, fused on the native backend: [N, H, W, C] -> [N, H, W, C+1] (reference: minibatchStd). */
export function mbStd(x: tf.Tensor4D, groupSize = 4): tf.Tensor4D {
  const backend = fusedBackend(x);
  if (backend == null) return minibatchStd(x, groupSize);
  const [n, h, w, c] = x.shape;
  const g = mbstdGroup(n, groupSize);
  const dims = [n, h * w, c, g];
  const op = custom((...args: unknown[]) => {
    const save = args.pop() as tf.GradSaveFunc;
    const xi = args[0] as tf.Tensor4D;
    const out = backend.allocF32(n * h * w * (c + 1), false);
    backend.run('MinibatchStd', out, vals(backend, xi), ...dims);
    save([xi]);
    return {
      value: tensorOf(backend, out, [n, h, w, c + 1]),
      gradFunc: (dy, saved) => {
        const dx = backend.allocF32(n * h * w * c, false);
        backend.run('MinibatchStdGrad', dx, vals(backend, first(dy)), vals(backend, saved[0]!), ...dims);
        return tensorOf(backend, dx, [n, h, w, c]);
      },
    };
  });
  return op(x) as tf.Tensor4D;
}

/**
 * fn's result, computed without recording its ops for gradients (they run inside a custom op's
 * forward, where tfjs records nothing): for tensors no gradient flows back through, such as the
 * fakes of D's step (PyTorch's torch.no_grad()). The values are those of fn() itself; a gradient
 * that reaches the result stops there.
 */
export function untaped(fn: () => tf.Tensor): tf.Tensor {
  if ((tf.engine().state as unknown as { gradientDepth: number }).gradientDepth === 0) return fn();
  const op = custom((...args: unknown[]) => {
    args.pop();
    const anchor = args[0] as tf.Tensor;
    return { value: fn(), gradFunc: () => tf.zerosLike(anchor) };
  });
  return op(tf.scalar(0));
}
