// The studio's 2-D view of a GAN on toy points (as GAN Lab shows it, for any tsgan loss and
// stabilizer): real points, generated points from fixed latents, D's decision surface sigmoid(D(x))
// on a grid, and the gradient of D's logit at each generated point (the direction G's loss pushes it:
// every G loss tsgan has raises D's logit on fakes). With PacGAN packing, D judges `pack` copies of
// the same point. Works for any model whose discriminate() takes [N, 2] points.
import * as tf from '@tensorflow/tfjs-core';

import type { PointDataset } from '../data/types.js';
import { Rng } from '../train/rng.js';
import type { Trainer } from '../train/trainer.js';
import type { ToyFrame } from './protocol.js';

type Discriminate = (x: tf.Tensor, labels: tf.Tensor1D | null, training: boolean) => { logits: tf.Tensor };

export interface ToyViewOptions {
  /** Side of the decision-surface grid. */
  gridSize?: number;
  /** Generated points per frame. */
  points?: number;
  /** Real points sent with the first frame. */
  realPoints?: number;
}

/** A frame source for one trainer, or null when the run is not on 2-D points. */
export function toyView(trainer: Trainer, opts: ToyViewOptions = {}): { frame(first: boolean): ToyFrame } | null {
  const ds = trainer.dataset;
  const model = trainer.model as unknown as { discriminate?: Discriminate; options: Record<string, unknown> };
  if (!ds || ds.kind !== 'points' || typeof model.discriminate !== 'function') return null;
  if (trainer.model.outputShape.length !== 1 || trainer.model.outputShape[0] !== 2) return null;
  const points = ds as PointDataset;
  const n = opts.gridSize ?? 48;
  const count = opts.points ?? 256;
  const pack = Number(model.options.pack ?? 1);
  const discriminate = model.discriminate.bind(model);
  const bounds = viewBounds(points);
  const z = trainer.model.sampleLatent(count, new Rng((trainer.config.seed ^ 0x2d2d) >>> 0)); // [count, latent]
  const realCount = Math.min(opts.realPoints ?? 1000, points.n);
  const stride = Math.max(1, Math.floor(points.n / realCount));
  const real: number[] = [];
  for (let i = 0; i < realCount; i++) real.push(points.points[2 * i * stride]!, points.points[2 * i * stride + 1]!);
  const grid: number[] = [];
  const [x0, x1, y0, y1] = bounds;
  for (let r = 0; r < n; r++)
    for (let c = 0; c < n; c++) grid.push(x0 + ((c + 0.5) / n) * (x1 - x0), y1 - ((r + 0.5) / n) * (y1 - y0));
  const gridT = tf.tensor2d(grid, [n * n, 2]); // [n*n, 2]
  /** D's logits of single points [M, 2] -> [M]: each point repeated `pack` times. */
  const logitsOf = (x: tf.Tensor2D): tf.Tensor1D => {
    const m = x.shape[0];
    const rep = pack > 1 ? tf.reshape(tf.tile(tf.reshape(x, [m, 1, 2]), [1, pack, 1]), [m * pack, 2]) : x; // [M*pack, 2]
    return tf.reshape(discriminate(rep, null, false).logits, [m]) as tf.Tensor1D; // [M]
  };
  return {
    frame(first: boolean): ToyFrame {
      return tf.tidy(() => {
        const fake = trainer.generate(z) as tf.Tensor2D; // [count, 2]
        const surface = tf.sigmoid(logitsOf(gridT)); // [n*n]
        const arrows = tf.grad((x: tf.Tensor) => tf.sum(logitsOf(x as tf.Tensor2D)))(fake); // [count, 2]
        return {
          step: trainer.step,
          bounds,
          n,
          surface: Array.from(surface.dataSync(), (v) => Math.round(v * 1000) / 1000),
          fake: Array.from(fake.dataSync()),
          arrows: Array.from(arrows.dataSync()),
          ...(first ? { real } : {}),
        };
      });
    },
  };
}

/** The data's bounding box, padded by a quarter of its size on every side and made square. */
export function viewBounds(ds: PointDataset): [number, number, number, number] {
  let x0 = Infinity;
  let x1 = -Infinity;
  let y0 = Infinity;
  let y1 = -Infinity;
  const step = Math.max(1, Math.floor(ds.n / 4000));
  for (let i = 0; i < ds.n; i += step) {
    const x = ds.points[2 * i]!;
    const y = ds.points[2 * i + 1]!;
    x0 = Math.min(x0, x);
    x1 = Math.max(x1, x);
    y0 = Math.min(y0, y);
    y1 = Math.max(y1, y);
  }
  const cx = (x0 + x1) / 2;
  const cy = (y0 + y1) / 2;
  const half = (Math.max(x1 - x0, y1 - y0) / 2) * 1.5 || 1;
  return [cx - half, cx + half, cy - half, cy + half];
}
