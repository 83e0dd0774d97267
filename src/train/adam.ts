// Adam (Kingma & Ba 2015) with an explicit, saveable state: the step count t and the first and
// second moments of every variable, in the order of the variable list given at construction.
// tsgan uses its own rather than tf.train.adam so that a checkpoint restores the optimizer exactly
// (tfjs recomputes its bias-correction accumulators with pow() on restore, which is not bit-equal
// to the running product) and so that variables are bound by position, not by tfjs's global names.
import * as tf from '@tensorflow/tfjs-core';

import { adamUpdateInPlace } from '../optim/fused_adam.js';

export interface AdamOptions {
  /** Learning rate. */
  lr: number;
  /** Decay of the first moment (DCGAN: 0.5). */
  beta1?: number;
  /** Decay of the second moment. */
  beta2?: number;
  /** Added to the denominator. */
  epsilon?: number;
}

/** Saved state: step count and moments as flat arrays (one per variable, same order). */
export interface AdamState {
  t: number;
  m: Float32Array[];
  v: Float32Array[];
}

export class Adam {
  /** Learning rate (mutable: health remedies lower it). */
  lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  /** Number of updates applied so far. */
  t = 0;
  private readonly m: tf.Variable[];
  private readonly v: tf.Variable[];

  constructor(
    readonly variables: tf.Variable[],
    opts: AdamOptions,
  ) {
    if (!(opts.lr > 0)) throw new Error(`Adam: lr must be > 0, got ${opts.lr}`);
    this.lr = opts.lr;
    this.beta1 = opts.beta1 ?? 0.9;
    this.beta2 = opts.beta2 ?? 0.999;
    this.epsilon = opts.epsilon ?? 1e-8;
    this.m = variables.map((x) => tf.tidy(() => tf.variable(tf.zerosLike(x), false)));
    this.v = variables.map((x) => tf.tidy(() => tf.variable(tf.zerosLike(x), false)));
  }

  /** Applies one update. grads[i] is the gradient of variables[i] (null: the variable is left as is). */
  apply(grads: (tf.Tensor | null)[]): void {
    if (grads.length !== this.variables.length) {
      throw new Error(`Adam.apply: ${grads.length} gradients for ${this.variables.length} variables`);
    }
    this.t += 1;
    // Bias corrections in float64 on the host: a = lr / (1 - b1^t), c = 1 / sqrt(1 - b2^t).
    const a = this.lr / (1 - this.beta1 ** this.t);
    const c = 1 / Math.sqrt(1 - this.beta2 ** this.t);
    // On the native backend each weight is one fused in-place call (src/optim/fused_adam.ts), same
    // math; elsewhere, or for shared storage, the reference path below.
    const fused = {
      lr: this.lr,
      beta1: this.beta1,
      beta2: this.beta2,
      epsilon: this.epsilon,
      oneMinusAccBeta1: 1 - this.beta1 ** this.t,
      oneMinusAccBeta2: 1 - this.beta2 ** this.t,
    };
    tf.tidy(() => {
      for (let i = 0; i < this.variables.length; i++) {
        const g = grads[i];
        if (g == null) continue;
        if (adamUpdateInPlace(this.variables[i]!, g, this.m[i]!, this.v[i]!, fused)) continue;
        const m = tf.add(tf.mul(this.m[i], this.beta1), tf.mul(g, 1 - this.beta1));
        const v = tf.add(tf.mul(this.v[i], this.beta2), tf.mul(tf.square(g), 1 - this.beta2));
        this.m[i].assign(m);
        this.v[i].assign(v);
        // p <- p - a * m / (sqrt(v) * c + eps)
        const step = tf.div(tf.mul(m, a), tf.add(tf.mul(tf.sqrt(v), c), this.epsilon));
        this.variables[i].assign(tf.sub(this.variables[i], step));
      }
    });
  }

  /** The moment tensors (m then v), e.g. to download them before getState() on a GPU backend. */
  stateTensors(): tf.Tensor[] {
    return [...this.m, ...this.v];
  }

  getState(): AdamState {
    return {
      t: this.t,
      m: this.m.map((x) => x.dataSync() as Float32Array).map((a) => Float32Array.from(a)),
      v: this.v.map((x) => x.dataSync() as Float32Array).map((a) => Float32Array.from(a)),
    };
  }

  setState(s: AdamState): void {
    if (s.m.length !== this.m.length || s.v.length !== this.v.length) {
      throw new Error(
        `Adam.setState: the state has ${s.m.length} moments, this optimizer has ${this.m.length} variables`,
      );
    }
    for (let i = 0; i < this.m.length; i++) {
      const n = this.m[i].size;
      if (s.m[i].length !== n || s.v[i].length !== n) {
        throw new Error(`Adam.setState: moment ${i} has ${s.m[i].length} values, variable has ${n}`);
      }
      tf.tidy(() => {
        this.m[i].assign(tf.tensor(s.m[i], this.m[i].shape));
        this.v[i].assign(tf.tensor(s.v[i], this.v[i].shape));
      });
    }
    this.t = s.t;
  }

  dispose(): void {
    for (const x of [...this.m, ...this.v]) x.dispose();
  }
}
