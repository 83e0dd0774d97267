// tfjs-layers layers as ONNX nodes (opset 13), in inference mode: BatchNormalization uses its moving
// statistics, dropout (tfjs's and tsgan's seeded one) is the identity, instance norm normalizes each
// image as at training. This table is the one place a model family adds its layers: a converter
// gets the graph, the layer and its input values and returns its output value (see graph.ts for the
// NCHW convention). A layer class missing here fails the export with its name.
import type * as tfl from '@tensorflow/tfjs-layers';

import { permute } from '../torch_layout.js';
import type { GraphBuilder, OnnxValue } from './graph.js';

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
};

/** The class name tfjs serializes a layer under. */
export function layerClass(layer: tfl.layers.Layer): string {
  return (layer.constructor as unknown as { className?: string }).className ?? layer.getClassName();
}
