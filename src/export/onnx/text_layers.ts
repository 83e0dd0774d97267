// ONNX converters (opset 13) for the layers of tsgan's text encoder and text-to-image generator
// (src/text/layers.ts), in inference mode:
// - TsganMaskedMean [emb [N, L, E], ids [N, L]]: sum over the words of emb * (ids != 0), divided by
//   max(count, 1) (Equal + Not + Cast for the mask, ReduceSum with axes as an input);
// - TsganL2Normalize x [N, D]: x / sqrt(sum(x^2) + 1e-12) (tfjs multiplies by the rsqrt: the same to
//   float rounding);
// - TsganCondAugment [h [N, 2C], eps [N, C]]: mu + exp(logvar / 2) * eps with mu, logvar the two
//   halves of h (Slice); the prompt generator feeds eps = 0, so c = mu;
// - Rescaling x (tfjs-layers' own; the sentence embedding times sqrt(embedDim) where G reads it):
//   x * scale + offset (Mul, Add).
import type * as tfl from '@tensorflow/tfjs-layers';

import type { LayerConverter } from './layers.js';

/** ONNX's FLOAT and BOOL element types (Cast's `to`). */
const FLOAT = 1;

function outShape(layer: tfl.layers.Layer): (number | null)[] {
  const s = layer.outputShape as (number | null)[] | (number | null)[][];
  return (Array.isArray(s[0]) ? s[0] : s) as (number | null)[];
}

const maskedMean: LayerConverter = (g, layer, [emb, ids]) => {
  const b = layer.name;
  const idsF = g.node('Cast', [ids!.name], `${b}/ids_float`, { to: FLOAT }); // [N, L]
  const isPad = g.node('Equal', [idsF, g.floats(`${b}/zero`, [], new Float32Array([0]))], `${b}/is_pad`);
  const mask = g.node('Cast', [g.node('Not', [isPad], `${b}/is_word`)], `${b}/mask`, { to: FLOAT }); // [N, L]
  const mask3 = g.node('Unsqueeze', [mask, g.int64s(`${b}/axis2`, [2])], `${b}/mask3`); // [N, L, 1]
  const summed = g.node(
    'ReduceSum',
    [g.node('Mul', [emb!.name, mask3], `${b}/masked`), g.int64s(`${b}/axis1`, [1])],
    `${b}/sum`,
    { keepdims: 0 },
  ); // [N, E]
  const count = g.node('ReduceSum', [mask, g.int64s(`${b}/axis1c`, [1])], `${b}/count`, { keepdims: 1 }); // [N, 1]
  const safe = g.node('Max', [count, g.floats(`${b}/one`, [], new Float32Array([1]))], `${b}/count1`);
  return { name: g.node('Div', [summed, safe], b), shape: outShape(layer), layout: 'tfjs' };
};

const l2Normalize: LayerConverter = (g, layer, [x]) => {
  const b = layer.name;
  const sq = g.node('Mul', [x!.name, x!.name], `${b}/square`);
  const sum = g.node('ReduceSum', [sq, g.int64s(`${b}/axis1`, [1])], `${b}/sum`, { keepdims: 1 }); // [N, 1]
  const norm = g.node(
    'Sqrt',
    [g.node('Add', [sum, g.floats(`${b}/eps`, [], new Float32Array([1e-12]))], `${b}/eps_add`)],
    `${b}/norm`,
  );
  return { name: g.node('Div', [x!.name, norm], b), shape: outShape(layer), layout: 'tfjs' };
};

const condAugment: LayerConverter = (g, layer, [h, eps]) => {
  const b = layer.name;
  const c = eps!.shape[1];
  if (typeof c !== 'number') throw new Error(`ONNX export: ${b} needs a fixed condition size`);
  const half = (name: string, from: number) =>
    g.node(
      'Slice',
      [
        h!.name,
        g.int64s(`${b}/${name}_start`, [from]),
        g.int64s(`${b}/${name}_end`, [from + c]),
        g.int64s(`${b}/${name}_axis`, [1]),
      ],
      `${b}/${name}`,
    );
  const mu = half('mu', 0); // [N, C]
  const logvar = half('logvar', c); // [N, C]
  const sigma = g.node(
    'Exp',
    [g.node('Mul', [logvar, g.floats(`${b}/half`, [], new Float32Array([0.5]))], `${b}/half_logvar`)],
    `${b}/sigma`,
  );
  const noise = g.node('Mul', [sigma, eps!.name], `${b}/noise`);
  return { name: g.node('Add', [mu, noise], b), shape: outShape(layer), layout: 'tfjs' };
};

const rescaling: LayerConverter = (g, layer, [x]) => {
  const b = layer.name;
  const cfg = layer.getConfig() as { scale: number; offset: number };
  const scaled = g.node('Mul', [x!.name, g.floats(`${b}/scale`, [], new Float32Array([cfg.scale]))], `${b}/mul`);
  const out = g.node('Add', [scaled, g.floats(`${b}/offset`, [], new Float32Array([cfg.offset]))], b);
  return { ...x!, name: out };
};

/** The text layers' converters, merged into ONNX_LAYERS. */
export const TEXT_ONNX_LAYERS: Record<string, LayerConverter> = {
  TsganMaskedMean: maskedMean,
  TsganL2Normalize: l2Normalize,
  TsganCondAugment: condAugment,
  Rescaling: rescaling,
};
