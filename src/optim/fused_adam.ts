// Adam (Kingma & Ba 2015) with the whole per-weight update fused into one native call.
// A drop-in tf.train.adam: same math, same order of float32 operations, same getWeights/setWeights
// layout (so checkpoints are interchangeable). On the native backend each weight costs one C++ call
// that updates w, m and v in place, instead of ~10 elementwise kernels with fresh allocations; on any
// webgpu three in-place WGSL dispatches per weight (src/backend/webgpu/kernels/AdamUpdate.ts), with
// the bias corrections from the host's step count (the GPU copy of tfjs's accumulators is not
// readable synchronously); on any other backend (cpu) it is exactly tf.train.adam.
import * as tf from '@tensorflow/tfjs-core';

import { writableF32 } from '../backend/in_place.js';
import { NativeBackend } from '../backend/native_backend.js';
import { adamUpdateWebGPU, type AdamStep } from '../backend/webgpu/kernels/AdamUpdate.js';
import type { WebGPUBackendLike } from '../backend/webgpu/kernels/program.js';

type NamedGrads = Parameters<tf.AdamOptimizer['applyGradients']>[0];

interface MomentSlot {
  originalName: string;
  variable: tf.Variable;
}

/** The fields of tfjs's AdamOptimizer this subclass works with (they are protected in its typings). */
interface AdamState {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: MomentSlot[];
  accumulatedSecondMoment: MomentSlot[];
  incrementIterations(): void;
}

export class FusedAdamOptimizer extends tf.AdamOptimizer {
  /** Same arguments as tf.train.adam (learningRate, beta1 = 0.9, beta2 = 0.999, epsilon = backend epsilon). */
  constructor(learningRate = 0.001, beta1 = 0.9, beta2 = 0.999, epsilon: number | null = null) {
    super(learningRate, beta1, beta2, epsilon as number);
  }

  override applyGradients(variableGradients: NamedGrads): void {
    const backend = tf.backend();
    const native = backend instanceof NativeBackend;
    if (!native && tf.getBackend() !== 'webgpu') {
      super.applyGradients(variableGradients);
      return;
    }
    const s = this as unknown as AdamState;
    const names = Array.isArray(variableGradients)
      ? variableGradients.map((v) => v.name)
      : Object.keys(variableGradients);
    // 1 - beta^t: tfjs's running products on native; on webgpu beta^t from the step count.
    const t = this.iterations + 1;
    const accB1 = native ? (backend.readSync(s.accBeta1.dataId) as Float32Array)[0]! : s.beta1 ** t;
    const accB2 = native ? (backend.readSync(s.accBeta2.dataId) as Float32Array)[0]! : s.beta2 ** t;
    const oneMinusAcc1 = Math.fround(1 - accB1);
    const oneMinusAcc2 = Math.fround(1 - accB2);
    names.forEach((name, i) => {
      const value = tf.engine().registeredVariables[name];
      if (value == null) throw new Error(`FusedAdam: no variable named '${name}'`);
      if (s.accumulatedFirstMoment[i] == null) {
        s.accumulatedFirstMoment[i] = {
          originalName: `${name}/m`,
          variable: tf.tidy(() => tf.variable(tf.zerosLike(value), false)),
        };
      }
      if (s.accumulatedSecondMoment[i] == null) {
        s.accumulatedSecondMoment[i] = {
          originalName: `${name}/v`,
          variable: tf.tidy(() => tf.variable(tf.zerosLike(value), false)),
        };
      }
      const grad = Array.isArray(variableGradients) ? variableGradients[i]!.tensor : variableGradients[name];
      if (grad == null) return;
      const m = s.accumulatedFirstMoment[i]!.variable;
      const v = s.accumulatedSecondMoment[i]!.variable;
      const params = {
        lr: s.learningRate,
        beta1: s.beta1,
        beta2: s.beta2,
        epsilon: s.epsilon,
        oneMinusAccBeta1: oneMinusAcc1,
        oneMinusAccBeta2: oneMinusAcc2,
      };
      // Shared or non-float32 storage: the plain tfjs update for this weight.
      if (!adamUpdateInPlace(value, grad, m, v, params))
        this.updateOne(s, value, grad, m, v, oneMinusAcc1, oneMinusAcc2);
    });
    tf.tidy(() => {
      s.accBeta1.assign(tf.mul(s.accBeta1, s.beta1));
      s.accBeta2.assign(tf.mul(s.accBeta2, s.beta2));
    });
    s.incrementIterations();
  }

  /** tf.train.adam's update of one weight, out of place (the reference path). */
  private updateOne(
    s: AdamState,
    value: tf.Variable,
    g: tf.Tensor,
    m: tf.Variable,
    v: tf.Variable,
    omA1: number,
    omA2: number,
  ): void {
    tf.tidy(() => {
      const newM = tf.add(tf.mul(m, s.beta1), tf.mul(g, 1 - s.beta1));
      const newV = tf.add(tf.mul(v, s.beta2), tf.mul(tf.square(g), 1 - s.beta2));
      const mh = tf.div(newM, omA1);
      const vh = tf.div(newV, omA2);
      m.assign(newM);
      v.assign(newV);
      value.assign(tf.add(tf.mul(tf.div(mh, tf.add(tf.sqrt(vh), s.epsilon)), -s.learningRate), value));
    });
  }
}

/** Hyper-parameters of one Adam update; oneMinusAccBeta* = 1 - beta*^t (the bias corrections). */
export type AdamUpdateParams = AdamStep;

/**
 * One fused Adam update of weight w (and its moments m, v) in place, by the native AdamUpdate kernel
 * (or on webgpu by tsgan's WGSL stages):
 *   m = b1*m + (1-b1)*g;  v = b2*v + (1-b2)*g^2;  w -= lr * (m/(1-b1^t)) / (sqrt(v/(1-b2^t)) + eps)
 * Returns false (nothing done) off the native and webgpu backends or when a storage is shared or not float32;
 * the caller then runs its reference path. Note: on cpu-family backends dataSync() of a weight is its
 * live storage, so an array read before the update shows the update; copy it to keep it.
 */
export function adamUpdateInPlace(
  w: tf.Variable,
  g: tf.Tensor,
  m: tf.Variable,
  v: tf.Variable,
  p: AdamUpdateParams,
): boolean {
  const backend = tf.backend();
  if (tf.getBackend() === 'webgpu') return adamUpdateWebGPU(backend as unknown as WebGPUBackendLike, w, g, m, v, p);
  if (!(backend instanceof NativeBackend)) return false;
  const wv = writableF32(backend, w);
  const mv = writableF32(backend, m);
  const vv = writableF32(backend, v);
  const gv = g.dtype === 'float32' ? backend.data.get(g.dataId).values : null;
  if (wv == null || mv == null || vv == null || !(gv instanceof Float32Array) || gv.length !== wv.length) return false;
  backend.run(
    'AdamUpdate',
    wv,
    gv,
    mv,
    vv,
    p.lr,
    p.beta1,
    p.beta2,
    1 - p.beta1,
    1 - p.beta2,
    p.epsilon,
    p.oneMinusAccBeta1,
    p.oneMinusAccBeta2,
  );
  return true;
}

/** Like tf.train.adam, fused on the native backend. */
export function adam(
  learningRate = 0.001,
  beta1 = 0.9,
  beta2 = 0.999,
  epsilon: number | null = null,
): FusedAdamOptimizer {
  return new FusedAdamOptimizer(learningRate, beta1, beta2, epsilon);
}
