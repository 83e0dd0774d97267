// Deterministic weight initialization from the trainer's seeded RNG. tfjs-layers initializers draw
// from tfjs's own global random state; re-initializing every weight here makes a run with a given
// `--seed` bit-for-bit reproducible. Weights are recognized by the last part of their name.
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';

import type { Rng } from '../train/rng.js';

/**
 * 'dcgan': the DCGAN paper's N(0, 0.02) for kernels and embeddings, BN gamma ~ N(1, 0.02).
 * 'glorot': Glorot-uniform kernels (good for small MLPs), BN gamma = 1, embeddings N(0, 1).
 */
export type InitScheme = 'dcgan' | 'glorot';

/** The role of a weight from its tfjs name, e.g. 'conv2d_Conv2D3/kernel' -> 'kernel'. */
export function weightRole(name: string): string {
  const last = name.split('/').pop() ?? name;
  return last.replace(/_\d+$/, '');
}

/** Fan-in and fan-out of a kernel shape (dense [in, out]; conv [kh, kw, cin, cout]). */
function fans(shape: number[]): [number, number] {
  if (shape.length === 2) return [shape[0], shape[1]];
  const rf = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  return [rf * shape[shape.length - 2], rf * shape[shape.length - 1]];
}

/**
 * A layer that draws its own initial weights (StyleGAN2's equalized-lr layers: N(0, 1/lrMul^2) kernels,
 * a modulation bias of 1): `initialValues` returns a weight's values from the RNG, or null for the scheme's.
 */
export interface SelfInitializingLayer {
  initialValues(weightName: string, shape: number[], rng: Rng): Float32Array | null;
}

/** Every layer of `model`, nested models' layers included. */
function allLayers(layers: tfl.layers.Layer[]): tfl.layers.Layer[] {
  return layers.flatMap((l) => {
    const inner = (l as unknown as { layers?: tfl.layers.Layer[] }).layers;
    return Array.isArray(inner) ? [l, ...allLayers(inner)] : [l];
  });
}

/** Sets every weight (trainable or not; frozen layers' excepted) of `model` from `rng`, following `scheme`. */
export function initializeWeights(model: tfl.LayersModel, rng: Rng, scheme: InitScheme): void {
  // Weights of a frozen layer are a fixed, designed map (e.g. InfoGAN's code selection): kept.
  const fixed = new Set(model.layers.filter((l) => !l.trainable).flatMap((l) => l.weights));
  const owner = new Map<unknown, SelfInitializingLayer>();
  for (const l of allLayers(model.layers))
    if (typeof (l as unknown as Partial<SelfInitializingLayer>).initialValues === 'function')
      for (const w of l.weights) owner.set(w, l as unknown as SelfInitializingLayer);
  for (const w of model.weights) {
    if (fixed.has(w)) continue;
    const shape = w.shape as number[];
    const n = shape.reduce((a, b) => a * b, 1);
    const role = weightRole(w.originalName ?? w.name);
    const own = owner.get(w)?.initialValues(role, shape, rng);
    if (own) {
      tf.tidy(() => {
        w.write(tf.tensor(own, shape));
      });
      continue;
    }
    let values: Float32Array;
    switch (role) {
      case 'kernel':
      case 'depthwise_kernel': {
        if (scheme === 'dcgan') {
          values = rng.normals(n).map((v) => v * 0.02);
        } else {
          const [fi, fo] = fans(shape);
          const lim = Math.sqrt(6 / (fi + fo));
          values = rng.uniforms(n, -lim, lim);
        }
        break;
      }
      case 'embeddings':
        values = scheme === 'dcgan' ? rng.normals(n).map((v) => v * 0.02) : rng.normals(n);
        break;
      case 'gamma':
        values = scheme === 'dcgan' ? rng.normals(n).map((v) => 1 + v * 0.02) : new Float32Array(n).fill(1);
        break;
      case 'moving_variance':
        values = new Float32Array(n).fill(1);
        break;
      case 'sn_u':
        values = rng.normals(n);
        break;
      case 'dropout_seed': // [seed, calls] of a SeededDropout layer: a seed below 2^24 (exact in float32), no calls yet
        values = Float32Array.from([Math.floor(rng.uniform() * 2 ** 24), 0]);
        break;
      default: // bias, beta, moving_mean, anything else
        values = new Float32Array(n);
    }
    tf.tidy(() => {
      w.write(tf.tensor(values, shape));
    });
  }
}
