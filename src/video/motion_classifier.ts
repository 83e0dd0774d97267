// A small motion classifier the project trains on real clips, to ask of generated clips whether
// they move like the data: K motion types (linear, bounce, ...) plus one class, "incoherent", for
// real clips whose frames were put in a random order or held on one frame (the right content, no
// real motion). A clip of real motion is one the classifier assigns to a motion type. Network: (2+1)-D blocks
// (src/nn/video_layers.ts: a 4x4 stride-2 convolution of every frame, then a temporal convolution
// of kernel 3) of widths 16, 32, 32, then a dense layer to K + 1 logits. Adam lr 1e-3, batches of
// 32 (half real clips, a quarter shuffled in time, a quarter still); weights from a fixed seed.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import type { ClipDataset } from '../data/moving.js';
import { mulberry32 } from '../data/types.js';
import { FrameConv2D, TimeConv } from '../nn/video_layers.js';
import { Adam } from '../train/adam.js';

export interface MotionClassifier {
  /** Motion type names; class index K (= names.length) is 'incoherent'. */
  names: string[];
  net: tfl.LayersModel;
  /** Held-out accuracy on real clips (true motion labels) and on time-shuffled ones (label 'incoherent'). */
  heldOut: { accuracy: number; shuffledAccuracy: number };
}

const apply = (layer: tfl.layers.Layer, x: tfl.SymbolicTensor) => layer.apply(x) as tfl.SymbolicTensor;

function buildNet(shape: number[], classes: number): tfl.LayersModel {
  const x = tfl.input({ shape }); // [N, T, H, W, C]
  let h = x;
  let t = shape[0]!;
  for (const c of [16, 32, 32]) {
    h = apply(new FrameConv2D({ filters: c, kernelSize: 4, strides: 2 }), h);
    h = apply(tfl.layers.leakyReLU({ alpha: 0.2 }), h);
    const valid = t >= 5;
    h = apply(new TimeConv({ filters: c, kernelSize: 3, padding: valid ? 'valid' : 'same' }), h);
    if (valid) t -= 2;
    h = apply(tfl.layers.leakyReLU({ alpha: 0.2 }), h);
  }
  const logits = apply(tfl.layers.dense({ units: classes }), apply(tfl.layers.flatten(), h)); // [N, K + 1]
  return tfl.model({ inputs: x, outputs: logits, name: 'motion_classifier' });
}

/** Clip i of a flat [N, T, ...] array with its frames in the order `perm` (a copy). */
function permutedClip(data: Float32Array, i: number, t: number, frame: number, perm: number[] | null): Float32Array {
  const out = new Float32Array(t * frame);
  for (let f = 0; f < t; f++) {
    const src = (i * t + (perm ? perm[f]! : f)) * frame;
    out.set(data.subarray(src, src + frame), f * frame);
  }
  return out;
}

/** A random order of 0..t-1 that is neither the identity nor its reverse. */
function shuffledOrder(t: number, rng: () => number): number[] {
  for (;;) {
    const p = Array.from({ length: t }, (_, i) => i);
    for (let i = t - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1));
      [p[i], p[j]] = [p[j]!, p[i]!];
    }
    if (p.some((v, i) => v !== i) && p.some((v, i) => v !== t - 1 - i)) return p;
  }
}

/** Logits of clips [n, T, H, W, C] (flat) in batches. */
export function motionLogits(net: tfl.LayersModel, data: Float32Array, n: number, shape: number[]): Float32Array {
  const per = shape.reduce((a, b) => a * b, 1);
  const k = (net.outputs[0]!.shape[1] as number) ?? 0;
  const out = new Float32Array(n * k);
  for (let b = 0; b < n; b += 32) {
    const m = Math.min(32, n - b);
    const y = tf.tidy(() => net.predict(tf.tensor(data.subarray(b * per, (b + m) * per), [m, ...shape])) as tf.Tensor);
    out.set(y.dataSync() as Float32Array, b * k);
    y.dispose();
  }
  return out;
}

const argmax = (v: Float32Array, i: number, k: number) => {
  let best = 0;
  for (let c = 1; c < k; c++) if (v[i * k + c]! > v[i * k + best]!) best = c;
  return best;
};

/** Trains the classifier on `train`'s clips for `steps` steps; scores it on `test`. */
export function trainMotionClassifier(
  train: ClipDataset,
  test: ClipDataset,
  opts: { steps?: number; seed?: number; onStep?: (step: number, loss: number) => void } = {},
): MotionClassifier {
  const steps = opts.steps ?? 300;
  const rng = mulberry32(opts.seed ?? 7);
  const clip = train.fields.clip!;
  const shape = clip.shape;
  const t = shape[0]!;
  const frame = shape.slice(1).reduce((a, b) => a * b, 1);
  const k = train.classNames.length;
  const net = buildNet(shape, k + 1);
  // Fixed initial weights (tfjs initializers draw from a global RNG).
  for (const w of net.weights) {
    const n = w.shape.reduce((a, b) => (a ?? 1) * (b ?? 1), 1)!;
    const lim = Math.sqrt(3 / Math.max(1, n / (w.shape[w.shape.length - 1] ?? 1)));
    w.write(
      tf.tensor(
        Float32Array.from({ length: n }, () => (w.name.includes('bias') ? 0 : (rng() * 2 - 1) * lim)),
        w.shape as number[],
      ),
    );
  }
  const vars = net.trainableWeights.map((w) => w.read() as tf.Variable);
  const adam = new Adam(vars, { lr: 1e-3, beta1: 0.9, beta2: 0.999 });
  const data = clip.data as Float32Array;
  const bs = 32;
  for (let s = 0; s < steps; s++) {
    const x = new Float32Array(bs * t * frame);
    const y = new Int32Array(bs);
    for (let j = 0; j < bs; j++) {
      const i = Math.floor(rng() * clip.n);
      // Half real clips; a quarter shuffled in time; a quarter one frame held still: both 'incoherent'.
      const kind = j % 4 === 1 || j % 4 === 3 ? 'shuffled' : j % 4 === 2 ? 'still' : 'real';
      const still = Math.floor(rng() * t);
      const order =
        kind === 'shuffled' ? shuffledOrder(t, rng) : kind === 'still' ? new Array<number>(t).fill(still) : null;
      x.set(permutedClip(data, i, t, frame, order), j * t * frame);
      y[j] = kind === 'real' ? train.labels[i]! : k;
    }
    const xs = tf.tensor(x, [bs, ...shape]);
    const ys = tf.oneHot(tf.tensor1d(y, 'int32'), k + 1);
    const { value, grads } = tf.variableGrads(
      () => tf.losses.softmaxCrossEntropy(ys, net.apply(xs, { training: true }) as tf.Tensor) as tf.Scalar,
      vars,
    );
    adam.apply(vars.map((v) => grads[v.name] ?? null));
    opts.onStep?.(s + 1, value.dataSync()[0]!);
    tf.dispose([xs, ys, value, ...Object.values(grads)]);
  }
  adam.dispose?.();
  // Held-out scores.
  const tc = test.fields.clip!;
  const td = tc.data as Float32Array;
  const logits = motionLogits(net, td, tc.n, shape);
  let hits = 0;
  for (let i = 0; i < tc.n; i++) if (argmax(logits, i, k + 1) === test.labels[i]) hits++;
  const shuffled = new Float32Array(td.length);
  for (let i = 0; i < tc.n; i++) shuffled.set(permutedClip(td, i, t, frame, shuffledOrder(t, rng)), i * t * frame);
  const sl = motionLogits(net, shuffled, tc.n, shape);
  let sh = 0;
  for (let i = 0; i < tc.n; i++) if (argmax(sl, i, k + 1) === k) sh++;
  return { names: [...train.classNames], net, heldOut: { accuracy: hits / tc.n, shuffledAccuracy: sh / tc.n } };
}

/** What the classifier says of clips: the share it finds real motion in, and the share per motion type. */
export function classifyMotion(
  c: MotionClassifier,
  data: Float32Array,
  n: number,
  shape: number[],
): { realMotion: number; perType: Record<string, number> } {
  const k = c.names.length;
  const logits = motionLogits(c.net, data, n, shape);
  const counts = new Array<number>(k + 1).fill(0);
  for (let i = 0; i < n; i++) counts[argmax(logits, i, k + 1)]!++;
  return {
    realMotion: 1 - counts[k]! / n,
    perType: Object.fromEntries(c.names.map((name, j) => [name, counts[j]! / n])),
  };
}
