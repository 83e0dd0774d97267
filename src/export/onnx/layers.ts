// tfjs-layers layers as ONNX nodes (opset 13), in inference mode: BatchNormalization uses its moving
// statistics, dropout (tfjs's and tsgan's seeded one) is the identity, instance norm normalizes each
// image as at training. This table is the one place a model family adds its layers: a converter
// gets the graph, the layer and its input values and returns its output value (see graph.ts for the
// NCHW convention). A layer class missing here fails the export with its name.
import type * as tfl from '@tensorflow/tfjs-layers';

import { permute } from '../torch_layout.js';
import type { GraphBuilder, OnnxValue } from './graph.js';
import { TEXT_ONNX_LAYERS } from './text_layers.js';

export type LayerConverter = (g: GraphBuilder, layer: tfl.layers.Layer, inputs: OnnxValue[]) => OnnxValue;

type Config = Record<string, unknown>;

/** The weights of a layer by short name ('kernel', 'bias', 'gamma'...), as float32 arrays with shapes. */
export function layerWeights(layer: tfl.layers.Layer): Record<string, { shape: number[]; data: Float32Array }> {
  const out: Record<string, { shape: number[]; data: Float32Array }> = {};
  for (const w of layer.weights) {
    const short = w.name.slice(w.name.lastIndexOf('/') + 1).replace(/_\d+$/, '');
    const t = w.read();
    out[short] = { shape: t.shape.slice(), data: Float32Array.from(t.dataSync() as Float32Array) };
  }
  return out;
}

/** The tfjs output shape of a layer (its first output). */
function outShape(layer: tfl.layers.Layer): (number | null)[] {
  const s = layer.outputShape as (number | null)[] | (number | null)[][];
  return (Array.isArray(s[0]) ? s[0] : s) as (number | null)[];
}

const first = (v: number | number[]) => (Array.isArray(v) ? v[0]! : v);

/** Applies a Keras activation name to a value (in place of a fused activation). */
export function activation(g: GraphBuilder, v: OnnxValue, name: string, base: string): OnnxValue {
  const op: Record<string, string> = { relu: 'Relu', tanh: 'Tanh', sigmoid: 'Sigmoid', softplus: 'Softplus' };
  if (name === 'linear' || !name) return v;
  if (op[name]) return { ...v, name: g.node(op[name]!, [v.name], `${base}/${name}`) };
  if (name === 'softmax') {
    // Keras's softmax is over the last (channel) axis: axis 1 of an NCHW value.
    const axis = v.layout === 'nchw' ? 1 : -1;
    return { ...v, name: g.node('Softmax', [v.name], `${base}/softmax`, { axis }) };
  }
  if (name === 'elu') return { ...v, name: g.node('Elu', [v.name], `${base}/elu`, { alpha: { float: 1 } }) };
  if (name === 'selu') return { ...v, name: g.node('Selu', [v.name], `${base}/selu`) };
  throw new Error(`ONNX export: activation '${name}' is not supported`);
}

/** TensorFlow's 'same' padding of one spatial axis: [before, after]. */
export function samePads(size: number, k: number, s: number, d = 1): [number, number] {
  const ke = (k - 1) * d + 1;
  const out = Math.ceil(size / s);
  const total = Math.max((out - 1) * s + ke - size, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

function spatial(v: OnnxValue, layer: tfl.layers.Layer): [number, number] {
  const [, h, w] = v.shape;
  if (typeof h !== 'number' || typeof w !== 'number')
    throw new Error(`ONNX export: layer ${layer.name} needs a fixed image size (got [${v.shape}])`);
  return [h, w];
}

const dense: LayerConverter = (g, layer, [x]) => {
  const c = layer.getConfig() as Config;
  const w = layerWeights(layer);
  if (x!.shape.length !== 2)
    throw new Error(`ONNX export: Dense layer ${layer.name} on a rank-${x!.shape.length} input`);
  const inputs = [x!.name, g.floats(`${layer.name}/kernel`, w.kernel!.shape, w.kernel!.data)];
  if (w.bias) inputs.push(g.floats(`${layer.name}/bias`, w.bias.shape, w.bias.data));
  const y: OnnxValue = { name: g.node('Gemm', inputs, layer.name), shape: outShape(layer), layout: 'tfjs' };
  return activation(g, y, String(c.activation ?? 'linear'), layer.name);
};

const conv2d: LayerConverter = (g, layer, [input]) => {
  const c = layer.getConfig() as Config;
  const w = layerWeights(layer);
  const x = g.toNchw(input!, layer.name);
  const k = w.kernel!.shape; // [kh, kw, in, out]
  const s = first(c.strides as number | number[]);
  const d = first((c.dilationRate as number | number[] | undefined) ?? 1);
  const [h, wd] = spatial(x, layer);
  const [t, b] = c.padding === 'same' ? samePads(h, k[0]!, s, d) : [0, 0];
  const [l, r] = c.padding === 'same' ? samePads(wd, k[1]!, s, d) : [0, 0];
  const oihw = permute(w.kernel!.data, k, [3, 2, 0, 1]);
  const inputs = [x.name, g.floats(`${layer.name}/kernel`, oihw.shape, oihw.data)];
  if (w.bias) inputs.push(g.floats(`${layer.name}/bias`, w.bias.shape, w.bias.data));
  const name = g.node('Conv', inputs, layer.name, {
    kernel_shape: [k[0]!, k[1]!],
    strides: [s, s],
    dilations: [d, d],
    pads: [t, l, b, r],
  });
  return activation(g, { name, shape: outShape(layer), layout: 'nchw' }, String(c.activation ?? 'linear'), layer.name);
};

const conv2dTranspose: LayerConverter = (g, layer, [input]) => {
  const c = layer.getConfig() as Config;
  const w = layerWeights(layer);
  const x = g.toNchw(input!, layer.name);
  const k = w.kernel!.shape; // [kh, kw, out, in]
  const s = first(c.strides as number | number[]);
  // tfjs's output is in*s ('same') or in*s + max(k - s, 0) ('valid'): the full transposed
  // convolution cropped by max(k - s, 0), the smaller half before ('same'), or padded when k < s.
  const crop = (kk: number) => (c.padding === 'same' ? Math.max(kk - s, 0) : 0);
  const [ch, cw] = [crop(k[0]!), crop(k[1]!)];
  const outPad = [Math.max(s - k[0]!, 0), Math.max(s - k[1]!, 0)];
  const iohw = permute(w.kernel!.data, k, [3, 2, 0, 1]); // [in, out, kh, kw]
  const inputs = [x.name, g.floats(`${layer.name}/kernel`, iohw.shape, iohw.data)];
  if (w.bias) inputs.push(g.floats(`${layer.name}/bias`, w.bias.shape, w.bias.data));
  const name = g.node('ConvTranspose', inputs, layer.name, {
    kernel_shape: [k[0]!, k[1]!],
    strides: [s, s],
    pads: [Math.floor(ch / 2), Math.floor(cw / 2), ch - Math.floor(ch / 2), cw - Math.floor(cw / 2)],
    output_padding: outPad,
  });
  return activation(g, { name, shape: outShape(layer), layout: 'nchw' }, String(c.activation ?? 'linear'), layer.name);
};

const batchNorm: LayerConverter = (g, layer, [input]) => {
  const c = layer.getConfig() as Config;
  const axis = c.axis as number;
  if (!(axis === -1 || axis === input!.shape.length - 1))
    throw new Error(`ONNX export: BatchNormalization ${layer.name} on axis ${axis} (only the channel axis)`);
  const w = layerWeights(layer);
  const ch = w.moving_mean!.shape[0]!;
  const ones = new Float32Array(ch).fill(1);
  const x = input!.shape.length === 4 ? g.toNchw(input!, layer.name) : input!;
  const name = g.node(
    'BatchNormalization',
    [
      x.name,
      g.floats(`${layer.name}/gamma`, [ch], w.gamma?.data ?? ones),
      g.floats(`${layer.name}/beta`, [ch], w.beta?.data ?? new Float32Array(ch)),
      g.floats(`${layer.name}/moving_mean`, [ch], w.moving_mean!.data),
      g.floats(`${layer.name}/moving_variance`, [ch], w.moving_variance!.data),
    ],
    layer.name,
    { epsilon: { float: c.epsilon as number } },
  );
  return { name, shape: outShape(layer), layout: x.layout };
};

const instanceNorm: LayerConverter = (g, layer, [input]) => {
  const c = layer.getConfig() as Config;
  const x = g.toNchw(input!, layer.name);
  const ch = x.shape[3] as number;
  const w = layerWeights(layer);
  const name = g.node(
    'InstanceNormalization',
    [
      x.name,
      g.floats(`${layer.name}/gamma`, [ch], w.gamma?.data ?? new Float32Array(ch).fill(1)),
      g.floats(`${layer.name}/beta`, [ch], w.beta?.data ?? new Float32Array(ch)),
    ],
    layer.name,
    { epsilon: { float: (c.epsilon as number) ?? 1e-5 } },
  );
  return { name, shape: outShape(layer), layout: 'nchw' };
};

const reflectionPad: LayerConverter = (g, layer, [input]) => {
  const p = (layer.getConfig() as Config).padding as number;
  const x = g.toNchw(input!, layer.name);
  const pads = g.int64s(`${layer.name}/pads`, [0, 0, p, p, 0, 0, p, p]);
  return {
    name: g.node('Pad', [x.name, pads], layer.name, { mode: 'reflect' }),
    shape: outShape(layer),
    layout: 'nchw',
  };
};

const identity: LayerConverter = (_g, _layer, [x]) => x!;

const reshape: LayerConverter = (g, layer, [input]) => {
  const target = (layer.getConfig() as Config).targetShape as number[];
  const x = g.toTfjs(input!, layer.name);
  const shape = g.int64s(`${layer.name}/shape`, [-1, ...target]);
  return { name: g.node('Reshape', [x.name, shape], layer.name), shape: outShape(layer), layout: 'tfjs' };
};

const flatten: LayerConverter = (g, layer, [input]) => {
  const x = g.toTfjs(input!, layer.name);
  return { name: g.node('Flatten', [x.name], layer.name, { axis: 1 }), shape: outShape(layer), layout: 'tfjs' };
};

const concatenate: LayerConverter = (g, layer, inputs) => {
  const rank = inputs[0]!.shape.length;
  let axis = ((layer.getConfig() as Config).axis as number) ?? -1;
  if (axis < 0) axis += rank;
  // A 4-D concatenation happens in NCHW when every input is there (the usual case: skip connections).
  const nchw = rank === 4 && inputs.every((v) => v.layout === 'nchw');
  const xs = inputs.map((v, i) => (nchw ? v : g.toTfjs(v, `${layer.name}/${i}`)));
  const onnxAxis = nchw ? [0, 2, 3, 1][axis]! : axis;
  return {
    name: g.node(
      'Concat',
      xs.map((v) => v.name),
      layer.name,
      { axis: onnxAxis },
    ),
    shape: outShape(layer),
    layout: nchw ? 'nchw' : 'tfjs',
  };
};

const add: LayerConverter = (g, layer, inputs) => {
  const nchw = inputs.every((v) => v.layout === 'nchw');
  const xs = inputs.map((v, i) => (nchw ? v : g.toTfjs(v, `${layer.name}/${i}`)));
  return {
    name: g.node(
      'Sum',
      xs.map((v) => v.name),
      layer.name,
    ),
    shape: outShape(layer),
    layout: nchw ? 'nchw' : 'tfjs',
  };
};

const embedding: LayerConverter = (g, layer, [x]) => {
  const w = layerWeights(layer);
  const idx = g.node('Cast', [x!.name], `${layer.name}/index`, { to: 7 }); // float labels -> int64
  const table = g.floats(`${layer.name}/embeddings`, w.embeddings!.shape, w.embeddings!.data);
  return { name: g.node('Gather', [table, idx], layer.name, { axis: 0 }), shape: outShape(layer), layout: 'tfjs' };
};

const relu: LayerConverter = (g, layer, [x]) => {
  const c = layer.getConfig() as Config;
  if (c.maxValue != null) {
    const lo = g.floats(`${layer.name}/min`, [], new Float32Array([0]));
    const hi = g.floats(`${layer.name}/max`, [], new Float32Array([c.maxValue as number]));
    return { ...x!, name: g.node('Clip', [x!.name, lo, hi], layer.name), shape: outShape(layer) };
  }
  return { ...x!, name: g.node('Relu', [x!.name], layer.name), shape: outShape(layer) };
};

const leakyRelu: LayerConverter = (g, layer, [x]) => ({
  ...x!,
  name: g.node('LeakyRelu', [x!.name], layer.name, { alpha: { float: (layer.getConfig() as Config).alpha as number } }),
});

const activationLayer: LayerConverter = (g, layer, [x]) =>
  activation(g, x!, String((layer.getConfig() as Config).activation), layer.name);

// StyleGAN2 (src/nn/stylegan_layers.ts). Equalized-lr scaling is folded into the exported weights;
// leaky ReLU(0.2) times sqrt(2) is LeakyRelu then Mul; the modulated convolution is the non-fused
// form the layer computes: activations times the style, one Conv with the shared weight, times the
// demodulation coefficients rsqrt(styles^2 @ sum_kk(w^2) + 1e-8).

const scale = (data: Float32Array, s: number) => data.map((v) => v * s);

function scalar(g: GraphBuilder, base: string, v: number): string {
  return g.floats(base, [], new Float32Array([v]));
}

function lreluGain(g: GraphBuilder, v: OnnxValue, base: string): OnnxValue {
  const a = g.node('LeakyRelu', [v.name], `${base}/lrelu`, { alpha: { float: 0.2 } });
  return { ...v, name: g.node('Mul', [a, scalar(g, `${base}/gain`, Math.SQRT2)], `${base}/gain`) };
}

/** x * 1/sqrt(mean(x^2 over axis 1) + 1e-8) of a 2-D value. */
const pixelNorm: LayerConverter = (g, layer, [x]) => {
  const sq = g.node('Mul', [x!.name, x!.name], `${layer.name}/square`);
  const m = g.node('ReduceMean', [sq], `${layer.name}/mean`, { axes: [1], keepdims: 1 });
  const e = g.node('Add', [m, scalar(g, `${layer.name}/eps`, 1e-8)], `${layer.name}/eps`);
  const r = g.node('Reciprocal', [g.node('Sqrt', [e], `${layer.name}/sqrt`)], `${layer.name}/rsqrt`);
  return { ...x!, name: g.node('Mul', [x!.name, r], layer.name), shape: outShape(layer) };
};

const eqDense: LayerConverter = (g, layer, [x]) => {
  const c = layer.getConfig() as Config;
  const w = layerWeights(layer);
  const lrMul = c.lrMul as number;
  const k = w.kernel!;
  const kernel = g.floats(`${layer.name}/kernel`, k.shape, scale(k.data, lrMul / Math.sqrt(k.shape[0]!)));
  const bias = g.floats(`${layer.name}/bias`, w.bias!.shape, scale(w.bias!.data, lrMul));
  const y: OnnxValue = {
    name: g.node('Gemm', [x!.name, kernel, bias], layer.name),
    shape: outShape(layer),
    layout: 'tfjs',
  };
  return c.activation === 'lrelu' ? lreluGain(g, y, layer.name) : y;
};

/** A constant [1, ...dims] repeated over the batch of `like` (its first axis). */
function batchConstant(g: GraphBuilder, base: string, dims: number[], data: Float32Array, like: OnnxValue): string {
  const value = g.floats(base, [1, ...dims], data);
  const shape = g.node('Shape', [like.name], `${base}/shape`);
  const n = g.node('Slice', [shape, g.int64s(`${base}/start`, [0]), g.int64s(`${base}/end`, [1])], `${base}/batch`);
  const target = g.node(
    'Concat',
    [
      n,
      g.int64s(
        `${base}/ones`,
        dims.map(() => 1),
      ),
    ],
    `${base}/target`,
    { axis: 0 },
  );
  return g.node('Expand', [value, target], base);
}

/** The learned constant [1, s, s, C] (tfjs) as NCHW, repeated over the batch of w. */
const constInput: LayerConverter = (g, layer, [w]) => {
  const v = layerWeights(layer).const!; // [1, s, s, C]
  const chw = permute(v.data, v.shape, [0, 3, 1, 2]);
  const name = batchConstant(g, layer.name, chw.shape.slice(1), chw.data, w!);
  return { name, shape: outShape(layer), layout: 'nchw' };
};

/** The fixed noise image [1, s, s, 1] (the same in NCHW), repeated over the batch of z. */
const constNoise: LayerConverter = (g, layer, [z]) => {
  const v = layerWeights(layer).noise_const!;
  const s = v.shape[1]!;
  return { name: batchConstant(g, layer.name, [1, s, s], v.data, z!), shape: outShape(layer), layout: 'nchw' };
};

const resample2x: LayerConverter = (g, layer, [input]) => {
  const x = g.toNchw(input!, layer.name);
  if ((layer.getConfig() as Config).direction === 'up') {
    const scales = g.floats(`${layer.name}/scales`, [4], new Float32Array([1, 1, 2, 2]));
    const name = g.node('Resize', [x.name, '', scales], layer.name, {
      mode: 'nearest',
      coordinate_transformation_mode: 'asymmetric',
      nearest_mode: 'floor',
    });
    return { name, shape: outShape(layer), layout: 'nchw' };
  }
  const name = g.node('AveragePool', [x.name], layer.name, { kernel_shape: [2, 2], strides: [2, 2] });
  return { name, shape: outShape(layer), layout: 'nchw' };
};

/** Modulated convolution: inputs [x, w, noise?]. */
const modConv2d: LayerConverter = (g, layer, [input, w, noise]) => {
  const c = layer.getConfig() as Config;
  const ws = layerWeights(layer);
  const base = layer.name;
  const x = g.toNchw(input!, base);
  const [kh, kw, cin, cout] = ws.kernel!.shape as [number, number, number, number];
  const wDim = ws.affine_kernel!.shape[0]!;
  // styles [N, Cin] = w @ (A / sqrt(Wd)) + b
  const aK = g.floats(`${base}/affine_kernel`, [wDim, cin], scale(ws.affine_kernel!.data, 1 / Math.sqrt(wDim)));
  const aB = g.floats(`${base}/affine_bias`, [cin], ws.affine_bias!.data);
  const styles = g.node('Gemm', [w!.name, aK, aB], `${base}/styles`);
  const s4 = g.node('Reshape', [styles, g.int64s(`${base}/style_shape`, [-1, cin, 1, 1])], `${base}/style_nchw`);
  const xs = g.node('Mul', [x.name, s4], `${base}/modulate`);
  const wk = scale(ws.kernel!.data, 1 / Math.sqrt(kh * kw * cin)); // [k, k, Cin, Cout]
  const oihw = permute(wk, [kh, kw, cin, cout], [3, 2, 0, 1]);
  const [h, wd] = spatial(x, layer);
  const [t, b] = samePads(h, kh, 1);
  const [l, r] = samePads(wd, kw, 1);
  let y = g.node('Conv', [xs, g.floats(`${base}/kernel`, oihw.shape, oihw.data)], `${base}/conv`, {
    kernel_shape: [kh, kw],
    strides: [1, 1],
    pads: [t, l, b, r],
  });
  if (c.demodulate) {
    const w2 = new Float32Array(cin * cout); // sum over the kernel window of w^2: [Cin, Cout]
    for (let i = 0; i < kh * kw; i++) for (let j = 0; j < cin * cout; j++) w2[j]! += wk[i * cin * cout + j]! ** 2;
    const sq = g.node('Mul', [styles, styles], `${base}/style_sq`);
    const mm = g.node('MatMul', [sq, g.floats(`${base}/w2`, [cin, cout], w2)], `${base}/demod_sum`);
    const e = g.node('Add', [mm, scalar(g, `${base}/eps`, 1e-8)], `${base}/demod_eps`);
    const d = g.node('Reciprocal', [g.node('Sqrt', [e], `${base}/demod_sqrt`)], `${base}/demod`);
    const d4 = g.node('Reshape', [d, g.int64s(`${base}/demod_shape`, [-1, cout, 1, 1])], `${base}/demod_nchw`);
    y = g.node('Mul', [y, d4], `${base}/demodulate`);
  }
  if (c.noise && noise && ws.noise_strength) {
    const n = g.toNchw(noise, `${base}/noise`);
    const sn = g.node('Mul', [n.name, g.floats(`${base}/noise_strength`, [], ws.noise_strength.data)], `${base}/noise`);
    y = g.node('Add', [y, sn], `${base}/add_noise`);
  }
  y = g.node('Add', [y, g.floats(`${base}/bias`, [1, cout, 1, 1], ws.bias!.data)], `${base}/bias`);
  const out: OnnxValue = { name: y, shape: outShape(layer), layout: 'nchw' };
  return c.activation === 'lrelu' ? lreluGain(g, out, base) : out;
};

// SRGAN (src/models/srgan.ts): PReLU (one slope per channel), pixel shuffle, RRDB's constant scale.

const prelu: LayerConverter = (g, layer, [input]) => {
  const a = layerWeights(layer).alpha!;
  const x = input!.shape.length === 4 ? g.toNchw(input!, layer.name) : input!;
  const ch = x.shape[x.shape.length - 1] as number;
  if (a.data.length !== ch)
    throw new Error(`ONNX export: PReLU ${layer.name} needs one slope per channel (sharedAxes over the spatial axes)`);
  const slope = g.floats(`${layer.name}/alpha`, x.layout === 'nchw' ? [ch, 1, 1] : [ch], a.data);
  return { ...x, name: g.node('PRelu', [x.name, slope], layer.name), shape: outShape(layer) };
};

/** tf.depthToSpace's channel order (i*r + j)*C + c is ONNX DepthToSpace's DCR mode. */
const pixelShuffle: LayerConverter = (g, layer, [input]) => {
  const x = g.toNchw(input!, layer.name);
  const r = (layer.getConfig() as Config).factor as number;
  const name = g.node('DepthToSpace', [x.name], layer.name, { blocksize: r, mode: 'DCR' });
  return { name, shape: outShape(layer), layout: 'nchw' };
};

const scaleLayer: LayerConverter = (g, layer, [x]) => ({
  ...x!,
  name: g.node(
    'Mul',
    [x!.name, scalar(g, `${layer.name}/factor`, (layer.getConfig() as Config).factor as number)],
    layer.name,
  ),
});

// MoCoGAN (src/nn/video_layers.ts): the motion GRU unrolled over the clip's frames, and the
// regrouping of frames [N*T, H, W, C] into clips [N, T, H, W, C].

/** Columns [from, to) of a row-major [rows, cols] matrix. */
function columns(m: { shape: number[]; data: Float32Array }, from: number, to: number): Float32Array {
  const [rows, cols] = m.shape as [number, number];
  const out = new Float32Array(rows * (to - from));
  for (let i = 0; i < rows; i++) out.set(m.data.subarray(i * cols + from, i * cols + to), i * (to - from));
  return out;
}

/** z [N, C + M + T*E] -> codes [N*T, C + M]: [content, h(t)] per frame, h(t) = GRUCell(e(t), h(t-1)). */
const motionGru: LayerConverter = (g, layer, [z]) => {
  const c = layer.getConfig() as Config;
  const [cd, m, e, t] = [c.contentDim, c.motionDim, c.noiseDim, c.frames] as number[] as [
    number,
    number,
    number,
    number,
  ];
  const w = layerWeights(layer);
  const base = layer.name;
  const slice = (from: number, to: number, name: string) =>
    g.node(
      'Slice',
      [z!.name, g.int64s(`${name}/start`, [from]), g.int64s(`${name}/end`, [to]), g.int64s(`${name}/axes`, [1])],
      name,
    );
  const content = slice(0, cd, `${base}/content`); // [N, C]
  let h = slice(cd, cd + m, `${base}/h0`); // [N, M]
  // The (r, z, n) blocks of the input and recurrent projections as separate matrices.
  const gate = (kernel: string, bias: string, k: number, name: string) => ({
    w: g.floats(`${base}/${name}_w`, [w[kernel]!.shape[0]!, m], columns(w[kernel]!, k * m, (k + 1) * m)),
    b: g.floats(`${base}/${name}_b`, [m], w[bias]!.data.slice(k * m, (k + 1) * m)),
  });
  const [xr, xz, xn] = [0, 1, 2].map((k) => gate('kernel', 'bias', k, `x${'rzn'[k]}`));
  const [hr, hz, hn] = [0, 1, 2].map((k) => gate('recurrent_kernel', 'recurrent_bias', k, `h${'rzn'[k]}`));
  const gemm = (x: string, p: { w: string; b: string }, name: string) => g.node('Gemm', [x, p.w, p.b], name);
  const states: string[] = [];
  for (let f = 0; f < t; f++) {
    const s = `${base}/t${f}`;
    const ef = slice(cd + m + f * e, cd + m + (f + 1) * e, `${s}/noise`); // [N, E]
    const r = g.node(
      'Sigmoid',
      [g.node('Add', [gemm(ef, xr!, `${s}/xr`), gemm(h, hr!, `${s}/hr`)], `${s}/r_in`)],
      `${s}/r`,
    );
    const zg = g.node(
      'Sigmoid',
      [g.node('Add', [gemm(ef, xz!, `${s}/xz`), gemm(h, hz!, `${s}/hz`)], `${s}/z_in`)],
      `${s}/z`,
    );
    const rn = g.node('Mul', [r, gemm(h, hn!, `${s}/hn`)], `${s}/r_hn`);
    const n = g.node('Tanh', [g.node('Add', [gemm(ef, xn!, `${s}/xn`), rn], `${s}/n_in`)], `${s}/n`);
    // h' = n + z (h - n)
    h = g.node('Add', [n, g.node('Mul', [zg, g.node('Sub', [h, n], `${s}/h_minus_n`)], `${s}/z_h`)], `${s}/h`);
    states.push(h);
  }
  // centerMotion: each clip's states minus their mean over the T frames.
  const mean = c.centerMotion
    ? g.node(
        'Mul',
        [g.node('Sum', states, `${base}/h_sum`), g.floats(`${base}/inv_t`, [1], Float32Array.of(1 / t))],
        `${base}/h_mean`,
      )
    : null;
  const codes = states.flatMap((hf, f) => [content, mean ? g.node('Sub', [hf, mean], `${base}/t${f}/code`) : hf]);
  const all = g.node('Concat', codes, `${base}/codes`, { axis: 1 }); // [N, T*(C + M)]
  const shape = g.int64s(`${base}/shape`, [-1, cd + m]);
  return { name: g.node('Reshape', [all, shape], base), shape: outShape(layer), layout: 'tfjs' };
};

const framesToClips: LayerConverter = (g, layer, [input]) => {
  const x = g.toTfjs(input!, layer.name); // [N*T, H, W, C]
  const t = (layer.getConfig() as Config).frames as number;
  const shape = g.int64s(`${layer.name}/shape`, [-1, t, ...(x.shape.slice(1) as number[])]);
  return { name: g.node('Reshape', [x.name, shape], layer.name), shape: outShape(layer), layout: 'tfjs' };
};

/** Converters by tfjs layer class name: the one place model families add theirs. */
export const ONNX_LAYERS: Record<string, LayerConverter> = {
  Dense: dense,
  Conv2D: conv2d,
  Conv2DTranspose: conv2dTranspose,
  BatchNormalization: batchNorm,
  Embedding: embedding,
  Reshape: reshape,
  Flatten: flatten,
  Concatenate: concatenate,
  Add: add,
  ReLU: relu,
  LeakyReLU: leakyRelu,
  Activation: activationLayer,
  Dropout: identity,
  TsganSeededDropout: identity,
  TsganInstanceNorm: instanceNorm,
  TsganReflectionPad2D: reflectionPad,
  TsganPixelNorm: pixelNorm,
  TsganEqDense: eqDense,
  TsganConstInput: constInput,
  TsganConstNoise: constNoise,
  TsganModConv2D: modConv2d,
  TsganResample2x: resample2x,
  PReLU: prelu,
  TsganPixelShuffle: pixelShuffle,
  TsganScale: scaleLayer,
  TsganMotionGRU: motionGru,
  TsganFramesToClips: framesToClips,
  ...TEXT_ONNX_LAYERS, // the text encoder's and text-to-image generator's (text_layers.ts)
};

/** The class name tfjs serializes a layer under. */
export function layerClass(layer: tfl.layers.Layer): string {
  return (layer.constructor as unknown as { className?: string }).className ?? layer.getClassName();
}
