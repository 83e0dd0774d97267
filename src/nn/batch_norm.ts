// BatchNorm (Ioffe & Szegedy 2015, "Batch Normalization: Accelerating Deep Network Training by
// Reducing Internal Covariate Shift") with a fused training path.
// The layer is tfjs-layers' own BatchNormalization (same weights, config and serialization: an
// exported model loads in a browser as the stock layer); only its training-mode call changes. There
// tfjs-layers composes ~25 kernels per forward and backward (tf.moments, the normalization, their
// gradients, two moving-average updates); on the native backend this path runs one C++ kernel
// forward and one backward (native/kernels/batch_norm_train.cc) and updates the moving statistics
// in place. Everything else (inference, other backends, axis other than the last, center or scale
// off) is the stock call, which is also the reference the parity test compares against.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import { lerpInPlace, valuesF32 } from '../backend/in_place.js';
import { activeNativeBackend } from '../backend/active_native.js';

export type BatchNormArgs = NonNullable<Parameters<typeof tfl.layers.batchNormalization>[0]>;

/** The fields of tfjs-layers' BatchNormalization the fused path reads (private in its typings). */
interface BatchNormFields {
  axis: number;
  momentum: number;
  epsilon: number;
  center: boolean;
  scale: boolean;
  gamma: tfl.LayerVariable;
  beta: tfl.LayerVariable;
  movingMean: tfl.LayerVariable;
  movingVariance: tfl.LayerVariable;
}

type CallFn = (inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>) => tf.Tensor | tf.Tensor[];

/**
 * A tfjs-layers BatchNormalization layer whose training-mode call is fused on the native backend.
 * `fused: false` keeps the stock call everywhere (the reference path).
 */
export function batchNormalization(args: BatchNormArgs = {}, opts: { fused?: boolean } = {}): tfl.layers.Layer {
  const layer = tfl.layers.batchNormalization(args);
  if (opts.fused === false) return layer;
  const stock = layer.call.bind(layer) as CallFn;
  const fusedCall: CallFn = (inputs, kwargs) => {
    // A model passes its single input as a one-element list.
    const x = Array.isArray(inputs) ? (inputs.length === 1 ? inputs[0] : undefined) : inputs;
    if (kwargs?.training === true && x != null) {
      const y = fusedTrainingCall(layer as unknown as BatchNormFields, x);
      if (y != null) return y;
    }
    return stock(inputs, kwargs);
  };
  (layer as unknown as { call: CallFn }).call = fusedCall;
  return layer;
}

/** The fused training-mode normalization, or null where it does not apply (the caller runs the stock call). */
function fusedTrainingCall(l: BatchNormFields, x: tf.Tensor): tf.Tensor | null {
  const backend = activeNativeBackend();
  if (backend == null || x.dtype !== 'float32' || x.rank < 2) return null;
  if (!(l.axis === -1 || l.axis === x.rank - 1) || !l.center || !l.scale) return null;
  const gamma = l.gamma.read(); // [C]
  const beta = l.beta.read(); // [C]
  const c = x.shape[x.rank - 1]!;
  if (gamma.size !== c || beta.size !== c || gamma.dtype !== 'float32' || beta.dtype !== 'float32') return null;
  const eps = l.epsilon;
  const decay = 1 - l.momentum;
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xIn, g, b, save] = args as [tf.Tensor, tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    const xv = valuesF32(backend, xIn)!;
    const y = backend.allocF32(xv.length, false); // [..., C]
    const mean = backend.allocF32(c, false); // [C]
    const variance = backend.allocF32(c, false); // [C]
    backend.run('BatchNormTrain', xv, valuesF32(backend, g)!, valuesF32(backend, b)!, eps, y, mean, variance);
    const meanT = tf.tensor1d(mean);
    const varT = tf.tensor1d(variance);
    // Moving statistics as tfjs-layers updates them: moving <- moving - (moving - batch) * (1 - momentum).
    for (const [mv, batch] of [
      [l.movingMean, meanT],
      [l.movingVariance, varT],
    ] as const) {
      const v = mv.read() as tf.Variable;
      if (!lerpInPlace(v, batch, decay)) mv.write(tf.sub(v, tf.mul(tf.sub(v, batch), decay)));
    }
    save([xIn, g, meanT, varT]);
    return {
      value: tf.tensor(y, xIn.shape, 'float32'),
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const [xs, gs, ms, vs] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
        const d = (Array.isArray(dy) ? dy[0] : dy)!;
        const dyv = valuesF32(backend, d) ?? (d.dataSync() as Float32Array);
        const dx = backend.allocF32(dyv.length, false);
        const dgamma = backend.allocF32(c, false);
        const dbeta = backend.allocF32(c, false);
        backend.run(
          'BatchNormTrainGrad',
          valuesF32(backend, xs)!,
          dyv,
          valuesF32(backend, ms)!,
          valuesF32(backend, vs)!,
          valuesF32(backend, gs)!,
          eps,
          dx,
          dgamma,
          dbeta,
        );
        return [tf.tensor(dx, xs.shape, 'float32'), tf.tensor1d(dgamma), tf.tensor1d(dbeta)];
      },
    };
  });
  return op(x, gamma, beta);
}
