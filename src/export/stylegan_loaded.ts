// A StyleGAN2 export loaded in Node (loadGenerator's `stylegan`): the mapping network (z -> w) and
// the synthesis network (w per layer -> image) from their folders, with the manifest's w_avg for
// truncation in W and its layer ranges for style mixing. It takes z or w: generate(z), synthesize(w)
// with one w for every layer [N, wDim] or one per layer [N, numWs, wDim].
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';

import type { StyleganManifest } from './manifest.js';

export type StyleRange = 'coarse' | 'middle' | 'fine';

export class ExportedStyleGAN {
  readonly numWs: number;
  readonly wDim: number;

  constructor(
    readonly mapping: tfl.LayersModel,
    readonly synthesis: tfl.LayersModel,
    readonly spec: StyleganManifest,
    readonly numClasses: number,
  ) {
    this.numWs = spec.numWs;
    this.wDim = spec.wDim;
  }

  /** z [N, Z] (and class labels [N] for a conditional model) -> w [N, wDim]; psi < 1 pulls w towards w_avg. */
  mapLatents(z: tf.Tensor2D, labels: tf.Tensor1D | number[] | null = null, psi = 1): tf.Tensor2D {
    return tf.tidy(() => {
      let inputs: tf.Tensor | tf.Tensor[] = z;
      if (this.numClasses > 0) {
        if (!labels) throw new Error('this StyleGAN2 export is class-conditional: give class labels');
        const l = Array.isArray(labels) ? tf.tensor1d(labels) : labels;
        if (l.shape[0] !== z.shape[0]) throw new Error(`${l.shape[0]} labels for ${z.shape[0]} latents`);
        inputs = [z, tf.reshape(tf.cast(l, 'float32'), [-1, 1])];
      }
      const w = this.mapping.predict(inputs) as tf.Tensor2D; // [N, wDim]
      return psi === 1 ? w : this.truncate(w, psi);
    });
  }

  /** w_avg + psi (w - w_avg): w [N, wDim] (psi 0: the mean image's w). */
  truncate(w: tf.Tensor2D, psi: number): tf.Tensor2D {
    if (!(Number.isFinite(psi) && psi >= 0 && psi <= 2))
      throw new Error(`truncation psi must be a number from 0 (the mean image) to 2 (1 = no truncation), got ${psi}`);
    return tf.tidy(() => {
      const avg = tf.tensor2d(this.spec.wAvg, [1, this.wDim]);
      return tf.add(avg, tf.mul(tf.sub(w, avg), psi)) as tf.Tensor2D; // [N, wDim]
    });
  }

  /** One w for every layer: [N, wDim] -> ws [N, numWs, wDim]. */
  broadcast(w: tf.Tensor2D): tf.Tensor3D {
    return tf.tidy(() => tf.tile(tf.expandDims(w, 1), [1, this.numWs, 1]) as tf.Tensor3D); // [N, numWs, wDim]
  }

  /** The inclusive layer range of 'coarse', 'middle' or 'fine' styles, or a range given as [from, to]. */
  range(r: StyleRange | [number, number]): [number, number] {
    const [a, b] = typeof r === 'string' ? this.spec.layers[r] : r;
    if (!(Number.isInteger(a) && Number.isInteger(b) && a >= 0 && a <= b && b < this.numWs))
      throw new Error(`layer range ${a}-${b} is outside the model's layers 0-${this.numWs - 1} (or reversed)`);
    return [a, b];
  }

  /** Style mixing: ws [N, numWs, wDim] taking `b`'s w on the layers of `range` and `a`'s elsewhere. */
  mix(a: tf.Tensor2D, b: tf.Tensor2D, range: StyleRange | [number, number]): tf.Tensor3D {
    const [lo, hi] = this.range(range);
    return tf.tidy(() => {
      const mask = tf.tensor3d(
        Array.from({ length: this.numWs }, (_, l) => (l >= lo && l <= hi ? 1 : 0)),
        [1, this.numWs, 1],
      ); // [1, numWs, 1]
      const wa = this.broadcast(a);
      return tf.add(wa, tf.mul(tf.sub(this.broadcast(b), wa), mask)) as tf.Tensor3D; // [N, numWs, wDim]
    });
  }

  /** Images [N, H, W, C] from one w per image [N, wDim] or one per layer [N, numWs, wDim]. */
  synthesize(w: tf.Tensor2D | tf.Tensor3D): tf.Tensor4D {
    return tf.tidy(() => {
      const ws = w.rank === 2 ? this.broadcast(w as tf.Tensor2D) : (w as tf.Tensor3D);
      if (ws.shape[1] !== this.numWs || ws.shape[2] !== this.wDim)
        throw new Error(`ws of shape [${ws.shape.join(', ')}]: the synthesis takes [N, ${this.numWs}, ${this.wDim}]`);
      return this.synthesis.predict(ws) as tf.Tensor4D; // [N, H, W, C]
    });
  }

  /** z [N, Z] -> images [N, H, W, C], truncated by psi (default 1: none). */
  generate(z: tf.Tensor2D, opts: { labels?: tf.Tensor1D | number[] | null; psi?: number } = {}): tf.Tensor4D {
    return tf.tidy(() => this.synthesize(this.mapLatents(z, opts.labels ?? null, opts.psi ?? 1)));
  }

  dispose(): void {
    this.mapping.dispose();
    this.synthesis.dispose();
  }
}
