// Inception-v3 as used by FID and IS: Szegedy, Vanhoucke, Ioffe, Shlens, Wojna, "Rethinking the
// Inception Architecture for Computer Vision", CVPR 2016; in the variant of the FID reference
// graph (TensorFlow's 2015-12-05 Inception, as ported by pytorch-fid): 1008 logits, average pools
// that exclude padding, and a max pool in the pooling branch of the last block (Mixed_7c).
// Outputs: pool3 (the 2048-d global average pool, FID/KID/PR features) and the logits (IS).
//
// Every convolution is conv (no bias) + batch norm (eps 1e-3) + ReLU. Input [N, 299, 299, 3] with
// values 0..255 (see resize.ts `cleanResize`), normalized inside as (x - 128) / 128.
//
// Weights are user-supplied (they are not redistributed with tsgan): `loadInceptionWeights` reads a
// JSON manifest + float32 .bin whose tensor names and layouts are those of a PyTorch state_dict of
// pytorch-fid's FIDInceptionV3 (or torchvision's inception_v3, with numClasses 1000):
//   "<Block>.<branch>.conv.weight" [out, in, kh, kw], "<...>.bn.weight|bias|running_mean|running_var",
//   "fc.weight" [classes, 2048], "fc.bias" [classes]
// Conversion (Python, once, with torch and pytorch-fid installed):
//   import json, numpy as np, torch
//   from pytorch_fid.inception import fid_inception_v3
//   sd = {k: v for k, v in fid_inception_v3().state_dict().items() if not k.endswith('num_batches_tracked')}
//   json.dump({'weights': [{'name': k, 'shape': list(v.shape)} for k, v in sd.items()]}, open('inception.json', 'w'))
//   np.concatenate([v.numpy().astype('<f4').ravel() for v in sd.values()]).tofile('inception.bin')
// The loader transposes conv kernels to [kh, kw, in, out] and fc to [2048, classes]; it ignores
// names it does not use (AuxLogits.*) and fails on a missing or mis-shaped tensor.
import { readFileSync } from 'node:fs';

import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

export interface InceptionOptions {
  /** Number of logits: 1008 for the FID graph (default), 1000 for torchvision's weights. */
  numClasses?: number;
  /** Max pool (FID graph) or average pool (torchvision) in the pooling branch of Mixed_7c. */
  lastPool?: 'max' | 'avg';
  /** Divides every channel count (tests build a narrow copy with 16); 1 for the real network. */
  widthDivisor?: number;
  /** Input side (299). */
  inputSize?: number;
}

type T = tfl.SymbolicTensor;

/** Builds the network; the returned model maps [N, S, S, 3] (0..255) to [pool3 [N, 2048], logits [N, classes]]. */
export function buildInceptionV3(opts: InceptionOptions = {}): tfl.LayersModel {
  const classes = opts.numClasses ?? 1008;
  const div = opts.widthDivisor ?? 1;
  const size = opts.inputSize ?? 299;
  const ch = (c: number) => Math.max(1, Math.round(c / div));
  const input = tfl.input({ shape: [size, size, 3], name: 'image' });

  // conv + BN + ReLU named like the PyTorch module path ('Mixed_5b.branch1x1').
  const conv = (
    x: T,
    name: string,
    filters: number,
    k: [number, number] | number,
    stride = 1,
    padding: 'same' | 'valid' = 'valid',
  ): T => {
    const kernelSize = typeof k === 'number' ? [k, k] : k;
    let y = tfl.layers
      .conv2d({ filters: ch(filters), kernelSize, strides: stride, padding, useBias: false, name: `${name}.conv` })
      .apply(x) as T;
    y = tfl.layers.batchNormalization({ epsilon: 1e-3, name: `${name}.bn` }).apply(y) as T;
    return tfl.layers.activation({ activation: 'relu', name: `${name}.relu` }).apply(y) as T;
  };
  const avgPool3 = (x: T, name: string) =>
    tfl.layers.averagePooling2d({ poolSize: 3, strides: 1, padding: 'same', name }).apply(x) as T;
  const maxPool = (x: T, name: string, stride = 2, padding: 'same' | 'valid' = 'valid') =>
    tfl.layers.maxPooling2d({ poolSize: 3, strides: stride, padding, name }).apply(x) as T;
  const cat = (xs: T[], name: string) => tfl.layers.concatenate({ axis: -1, name }).apply(xs) as T;

  // (x - 128) / 128
  let x = tfl.layers.rescaling({ scale: 1 / 128, offset: -1, name: 'normalize' }).apply(input) as T;
  x = conv(x, 'Conv2d_1a_3x3', 32, 3, 2); // [N, 149, 149, 32]
  x = conv(x, 'Conv2d_2a_3x3', 32, 3); // [N, 147, 147, 32]
  x = conv(x, 'Conv2d_2b_3x3', 64, 3, 1, 'same'); // [N, 147, 147, 64]
  x = maxPool(x, 'maxpool1'); // [N, 73, 73, 64]
  x = conv(x, 'Conv2d_3b_1x1', 80, 1); // [N, 73, 73, 80]
  x = conv(x, 'Conv2d_4a_3x3', 192, 3); // [N, 71, 71, 192]
  x = maxPool(x, 'maxpool2'); // [N, 35, 35, 192]

  const blockA = (x: T, n: string, poolFeatures: number): T =>
    cat(
      [
        conv(x, `${n}.branch1x1`, 64, 1),
        conv(conv(x, `${n}.branch5x5_1`, 48, 1), `${n}.branch5x5_2`, 64, 5, 1, 'same'),
        conv(
          conv(conv(x, `${n}.branch3x3dbl_1`, 64, 1), `${n}.branch3x3dbl_2`, 96, 3, 1, 'same'),
          `${n}.branch3x3dbl_3`,
          96,
          3,
          1,
          'same',
        ),
        conv(avgPool3(x, `${n}.avgpool`), `${n}.branch_pool`, poolFeatures, 1),
      ],
      n,
    );
  x = blockA(x, 'Mixed_5b', 32); // [N, 35, 35, 256]
  x = blockA(x, 'Mixed_5c', 64); // [N, 35, 35, 288]
  x = blockA(x, 'Mixed_5d', 64); // [N, 35, 35, 288]

  x = cat(
    [
      conv(x, 'Mixed_6a.branch3x3', 384, 3, 2),
      conv(
        conv(conv(x, 'Mixed_6a.branch3x3dbl_1', 64, 1), 'Mixed_6a.branch3x3dbl_2', 96, 3, 1, 'same'),
        'Mixed_6a.branch3x3dbl_3',
        96,
        3,
        2,
      ),
      maxPool(x, 'Mixed_6a.maxpool'),
    ],
    'Mixed_6a',
  ); // [N, 17, 17, 768]

  const blockC = (x: T, n: string, c7: number): T => {
    const b7 = conv(
      conv(conv(x, `${n}.branch7x7_1`, c7, 1), `${n}.branch7x7_2`, c7, [1, 7], 1, 'same'),
      `${n}.branch7x7_3`,
      192,
      [7, 1],
      1,
      'same',
    );
    let d = conv(x, `${n}.branch7x7dbl_1`, c7, 1);
    d = conv(d, `${n}.branch7x7dbl_2`, c7, [7, 1], 1, 'same');
    d = conv(d, `${n}.branch7x7dbl_3`, c7, [1, 7], 1, 'same');
    d = conv(d, `${n}.branch7x7dbl_4`, c7, [7, 1], 1, 'same');
    d = conv(d, `${n}.branch7x7dbl_5`, 192, [1, 7], 1, 'same');
    return cat(
      [conv(x, `${n}.branch1x1`, 192, 1), b7, d, conv(avgPool3(x, `${n}.avgpool`), `${n}.branch_pool`, 192, 1)],
      n,
    );
  };
  x = blockC(x, 'Mixed_6b', 128); // [N, 17, 17, 768]
  x = blockC(x, 'Mixed_6c', 160);
  x = blockC(x, 'Mixed_6d', 160);
  x = blockC(x, 'Mixed_6e', 192);

  let b3 = conv(conv(x, 'Mixed_7a.branch3x3_1', 192, 1), 'Mixed_7a.branch3x3_2', 320, 3, 2);
  let b7 = conv(x, 'Mixed_7a.branch7x7x3_1', 192, 1);
  b7 = conv(b7, 'Mixed_7a.branch7x7x3_2', 192, [1, 7], 1, 'same');
  b7 = conv(b7, 'Mixed_7a.branch7x7x3_3', 192, [7, 1], 1, 'same');
  b7 = conv(b7, 'Mixed_7a.branch7x7x3_4', 192, 3, 2);
  x = cat([b3, b7, maxPool(x, 'Mixed_7a.maxpool')], 'Mixed_7a'); // [N, 8, 8, 1280]

  const blockE = (x: T, n: string, pool: 'max' | 'avg'): T => {
    const a = conv(x, `${n}.branch3x3_1`, 384, 1);
    const b3x3 = cat(
      [conv(a, `${n}.branch3x3_2a`, 384, [1, 3], 1, 'same'), conv(a, `${n}.branch3x3_2b`, 384, [3, 1], 1, 'same')],
      `${n}.branch3x3`,
    );
    const d = conv(conv(x, `${n}.branch3x3dbl_1`, 448, 1), `${n}.branch3x3dbl_2`, 384, 3, 1, 'same');
    const bdbl = cat(
      [
        conv(d, `${n}.branch3x3dbl_3a`, 384, [1, 3], 1, 'same'),
        conv(d, `${n}.branch3x3dbl_3b`, 384, [3, 1], 1, 'same'),
      ],
      `${n}.branch3x3dbl`,
    );
    const pooled = pool === 'max' ? maxPool(x, `${n}.maxpool`, 1, 'same') : avgPool3(x, `${n}.avgpool`);
    return cat([conv(x, `${n}.branch1x1`, 320, 1), b3x3, bdbl, conv(pooled, `${n}.branch_pool`, 192, 1)], n);
  };
  x = blockE(x, 'Mixed_7b', 'avg'); // [N, 8, 8, 2048]
  x = blockE(x, 'Mixed_7c', opts.lastPool ?? 'max'); // [N, 8, 8, 2048]
  b3 = x;

  const pool3 = tfl.layers.globalAveragePooling2d({ name: 'pool3' }).apply(b3) as T; // [N, 2048]
  const logits = tfl.layers.dense({ units: classes, name: 'fc' }).apply(pool3) as T; // [N, classes]
  return tfl.model({ inputs: input, outputs: [pool3, logits], name: 'inception_v3' });
}

export interface InceptionWeightsManifest {
  weights: { name: string; shape: number[] }[];
}

/**
 * Sets the network's weights from a PyTorch-layout state dict given as a manifest and float32
 * little-endian bytes (see the header for the conversion).
 */
export function setInceptionWeights(
  model: tfl.LayersModel,
  manifest: InceptionWeightsManifest,
  bin: Uint8Array,
  source = 'inception weights',
): void {
  const copy = new Uint8Array(bin);
  const all = new Float32Array(copy.buffer, 0, Math.floor(copy.byteLength / 4));
  const byName = new Map<string, { shape: number[]; data: Float32Array }>();
  let off = 0;
  for (const w of manifest.weights) {
    const size = w.shape.reduce((a, b) => a * b, 1);
    if (off + size > all.length) throw new Error(`${source}: the .bin file ends inside tensor ${w.name}`);
    byName.set(w.name, { shape: w.shape, data: all.subarray(off, off + size) });
    off += size;
  }
  if (off !== all.length)
    throw new Error(`${source}: ${all.length - off} values in the .bin file are not described by the manifest`);
  const take = (name: string, shape: number[]) => {
    const t = byName.get(name);
    if (!t) throw new Error(`${source}: missing tensor ${name}`);
    if (t.shape.join(',') !== shape.join(','))
      throw new Error(`${source}: ${name} has shape [${t.shape}], expected [${shape}]`);
    return t.data;
  };
  // Per layer: tfjs-layers orders a model's weights trainable first, so set them layer by layer.
  const perLayer: [tfl.layers.Layer, tf.Tensor[]][] = [];
  try {
    for (const layer of model.layers) {
      const name = layer.name;
      const values: tf.Tensor[] = [];
      if (name.endsWith('.conv')) {
        const [kh, kw, cin, cout] = layer.getWeights()[0].shape;
        const src = take(`${name}.weight`, [cout, cin, kh, kw]);
        values.push(tf.tidy(() => tf.transpose(tf.tensor4d(src, [cout, cin, kh, kw]), [2, 3, 1, 0]))); // [kh, kw, in, out]
      } else if (name.endsWith('.bn')) {
        const c = layer.getWeights()[0].shape[0];
        // tfjs order: gamma, beta, moving mean, moving variance.
        for (const suffix of ['weight', 'bias', 'running_mean', 'running_var'])
          values.push(tf.tensor1d(take(`${name}.${suffix}`, [c])));
      } else if (name === 'fc') {
        const [inDim, classes] = layer.getWeights()[0].shape;
        values.push(tf.tidy(() => tf.transpose(tf.tensor2d(take('fc.weight', [classes, inDim]), [classes, inDim])))); // [2048, classes]
        values.push(tf.tensor1d(take('fc.bias', [classes])));
      }
      if (values.length) perLayer.push([layer, values]);
    }
    for (const [layer, values] of perLayer) layer.setWeights(values);
  } finally {
    for (const [, values] of perLayer)
      values.forEach((v) => {
        v.dispose();
      });
  }
}

/** Builds Inception-v3 and loads user-supplied weights (`file.json` manifest + `file.bin`). */
export function loadInceptionV3(manifestFile: string, binFile: string, opts: InceptionOptions = {}): tfl.LayersModel {
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as InceptionWeightsManifest;
  const fc = manifest.weights.find((w) => w.name === 'fc.weight');
  const model = buildInceptionV3({ numClasses: fc?.shape[0] ?? opts.numClasses, ...opts });
  setInceptionWeights(model, manifest, readFileSync(binFile), binFile);
  return model;
}

/**
 * pool3 features [n, 2048] and logits [n, classes] of images [n, 299, 299, 3] in 0..255 (from
 * `cleanResize`), in batches.
 */
export function inceptionOutputs(
  model: tfl.LayersModel,
  images: Float32Array,
  n: number,
  batchSize = 16,
): { pool3: Float32Array; logits: Float32Array; dim: number; classes: number } {
  const size = (model.inputs[0].shape[1] as number) ?? 299;
  const per = size * size * 3;
  if (images.length !== n * per)
    throw new Error(`inception: expected ${n} images of ${size}x${size}x3, got ${images.length} values`);
  const dim = model.outputs[0].shape[1] as number;
  const classes = model.outputs[1].shape[1] as number;
  const pool3 = new Float32Array(n * dim);
  const logits = new Float32Array(n * classes);
  for (let b = 0; b < n; b += batchSize) {
    const m = Math.min(batchSize, n - b);
    const outs = tf.tidy(
      () => model.predict(tf.tensor4d(images.subarray(b * per, (b + m) * per), [m, size, size, 3])) as tf.Tensor[],
    );
    const p = outs[0].dataSync() as Float32Array; // [m, 2048]
    const l = outs[1].dataSync() as Float32Array; // [m, classes]
    tf.dispose(outs);
    pool3.set(p, b * dim);
    logits.set(l, b * classes);
  }
  return { pool3, logits, dim, classes };
}
