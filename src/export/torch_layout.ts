// PyTorch names and layouts of a tfjs-layers network's weights: what the safetensors export writes
// and its manifest describes. A weight is named `<network>.<layer index>.<param>` (the layer's index
// in model.layers, so names follow the graph, not tfjs's process-wide layer counters) and stored in
// PyTorch's layout:
//   Dense kernel [in, out]                  -> weight [out, in]              (nn.Linear)
//   Conv2D kernel HWIO [kh, kw, in, out]    -> weight OIHW [out, in, kh, kw] (nn.Conv2d)
//   Conv2DTranspose kernel [kh, kw, out, in] -> weight [in, out, kh, kw]      (nn.ConvTranspose2d)
//   BatchNormalization gamma, beta, moving_mean, moving_variance -> weight, bias, running_mean, running_var
//   Embedding embeddings [n, d]             -> weight [n, d]                 (nn.Embedding)
// Layers of later model families add their entries to TORCH_PARAMS (one place); a weight of a
// layer not listed keeps its tfjs name and layout (layout 'tfjs').
import type * as tfl from '@tensorflow/tfjs-layers';

/** How one tfjs weight (by its short name) becomes a PyTorch parameter. */
export interface TorchParamRule {
  /** PyTorch parameter name; null: not a network weight (left out, e.g. a dropout RNG state). */
  torch: string | null;
  /** Axis permutation from the tfjs layout to PyTorch's (omitted: unchanged). */
  perm?: number[];
  /** The layouts in words, e.g. 'HWIO -> OIHW'. */
  layout?: string;
}

const HWIO_OIHW = { perm: [3, 2, 0, 1], layout: 'HWIO [kh, kw, in, out] -> OIHW [out, in, kh, kw]' };
const DENSE = { perm: [1, 0], layout: '[in, out] -> [out, in]' };
const BN: Record<string, TorchParamRule> = {
  gamma: { torch: 'weight' },
  beta: { torch: 'bias' },
  moving_mean: { torch: 'running_mean' },
  moving_variance: { torch: 'running_var' },
};

/** Per layer class (tfjs className), per weight short name: the PyTorch name and layout. */
export const TORCH_PARAMS: Record<string, Record<string, TorchParamRule>> = {
  Dense: { kernel: { torch: 'weight', ...DENSE }, bias: { torch: 'bias' } },
  Conv2D: { kernel: { torch: 'weight', ...HWIO_OIHW }, bias: { torch: 'bias' } },
  Conv2DTranspose: {
    kernel: {
      torch: 'weight',
      perm: [3, 2, 0, 1],
      layout: '[kh, kw, out, in] -> [in, out, kh, kw] (nn.ConvTranspose2d)',
    },
    bias: { torch: 'bias' },
  },
  BatchNormalization: BN,
  Embedding: { embeddings: { torch: 'weight' } },
  TsganInstanceNorm: { gamma: { torch: 'weight' }, beta: { torch: 'bias' } },
  // Spectral norm as torch.nn.utils.spectral_norm names it (weight_orig is the unnormalized weight).
  TsganSNDense: { kernel: { torch: 'weight_orig', ...DENSE }, bias: { torch: 'bias' }, sn_u: { torch: 'weight_u' } },
  TsganSNConv2D: {
    kernel: { torch: 'weight_orig', ...HWIO_OIHW },
    bias: { torch: 'bias' },
    sn_u: { torch: 'weight_u' },
  },
  // [seed, calls] of the reproducible dropout masks: training state, not a weight.
  TsganSeededDropout: { dropout_seed: { torch: null } },
};

/** Permutes a row-major array of `shape` by `perm` (out axis i = in axis perm[i]). */
export function permute(data: Float32Array, shape: number[], perm: number[]): { data: Float32Array; shape: number[] } {
  const rank = shape.length;
  if (perm.length !== rank) throw new Error(`permute: perm [${perm}] does not fit shape [${shape}]`);
  const outShape = perm.map((p) => shape[p]!);
  const inStrides = new Array<number>(rank);
  let s = 1;
  for (let i = rank - 1; i >= 0; i--) {
    inStrides[i] = s;
    s *= shape[i]!;
  }
  const strides = perm.map((p) => inStrides[p]!); // input stride of each output axis
  const out = new Float32Array(data.length);
  const idx = new Array<number>(rank).fill(0);
  for (let o = 0; o < out.length; o++) {
    let src = 0;
    for (let i = 0; i < rank; i++) src += idx[i]! * strides[i]!;
    out[o] = data[src]!;
    for (let i = rank - 1; i >= 0; i--) {
      if (++idx[i]! < outShape[i]!) break;
      idx[i] = 0;
    }
  }
  return { data: out, shape: outShape };
}

/** One weight of a layer, named and laid out for PyTorch. */
export interface TorchParam {
  /** Key in the safetensors file. */
  key: string;
  /** The tfjs weight name (as in an exported model.json) and shape. */
  tfjsName: string;
  tfjsShape: number[];
  /** Shape in the file (PyTorch's). */
  shape: number[];
  /** Axis permutation applied (tfjs -> file); [] when none. */
  perm: number[];
  layout: string;
}

/** One layer of a network, as the manifest describes it. */
export interface TorchLayer {
  index: number;
  /** tfjs class name (Dense, Conv2DTranspose, TsganInstanceNorm...). */
  className: string;
  name: string;
  /** Indices of the layers feeding it, in order. */
  inputs: number[];
  /** Its configuration (sizes, strides, padding, activation...), initializers left out. */
  config: Record<string, unknown>;
  params: TorchParam[];
  /** A nested model's own layers (their keys are `<network>.<index>.<sub-index>.<param>`). */
  layers?: TorchLayer[];
}

const CONFIG_SKIP = /Initializer$|Regularizer$|Constraint$|^(name|trainable|dtype|batchInputShape)$/;

/** A layer's configuration without initializers and regularizers. */
function layerConfig(layer: tfl.layers.Layer): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(layer.getConfig())) if (!CONFIG_SKIP.test(k) && v != null) out[k] = v;
  return out;
}

/** The weights of a network as PyTorch parameters (values included), and its layers for the manifest. */
export function torchParams(
  prefix: string,
  model: tfl.LayersModel,
): { layers: TorchLayer[]; values: { key: string; shape: number[]; data: Float32Array }[] } {
  const layers: TorchLayer[] = [];
  const values: { key: string; shape: number[]; data: Float32Array }[] = [];
  const indexOf = new Map(model.layers.map((l, i) => [l.name, i]));
  const used = new Set<string>();
  model.layers.forEach((layer, index) => {
    const className = (layer.constructor as unknown as { className: string }).className ?? layer.getClassName();
    const inbound0 = (layer as unknown as { inboundNodes: { inboundLayers: tfl.layers.Layer[] }[] }).inboundNodes;
    const inputs0 = (inbound0[0]?.inboundLayers ?? []).map((l) => indexOf.get(l.name) ?? -1);
    if (Array.isArray((layer as unknown as { layers?: unknown }).layers)) {
      // A model used as a layer (StyleGAN's mapping network...): its layers, one level down.
      const sub = torchParams(`${prefix}.${index}`, layer as unknown as tfl.LayersModel);
      values.push(...sub.values);
      layers.push({ index, className, name: layer.name, inputs: inputs0, config: {}, params: [], layers: sub.layers });
      return;
    }
    const rules = TORCH_PARAMS[className] ?? {};
    const inbound = (layer as unknown as { inboundNodes: { inboundLayers: tfl.layers.Layer[] }[] }).inboundNodes;
    const inputs = (inbound[0]?.inboundLayers ?? []).map((l) => indexOf.get(l.name) ?? -1);
    const params: TorchParam[] = [];
    for (const w of layer.weights) {
      const short = w.name.slice(w.name.lastIndexOf('/') + 1).replace(/_\d+$/, '');
      const rule = rules[short];
      if (rule && rule.torch === null) continue;
      const tensor = w.read();
      const raw = tensor.dataSync() as Float32Array;
      const tShape = tensor.shape.slice();
      const perm = rule?.perm ?? [];
      const { data, shape } = perm.length
        ? permute(raw, tShape, perm)
        : { data: Float32Array.from(raw), shape: tShape };
      let key = `${prefix}.${index}.${rule?.torch ?? short}`;
      for (let k = 1; used.has(key); k++) key = `${prefix}.${index}.${rule?.torch ?? short}_${k}`; // a repeated name
      used.add(key);
      params.push({
        key,
        tfjsName: w.name,
        tfjsShape: tShape,
        shape,
        perm,
        layout: rule ? (rule.layout ?? 'unchanged') : 'tfjs (no PyTorch mapping for this layer)',
      });
      values.push({ key, shape, data });
    }
    layers.push({ index, className, name: layer.name, inputs, config: layerConfig(layer), params });
  });
  return { layers, values };
}
