// `tsgan export RUN DIR --format onnx`: the generator (the EMA copy when the run kept one; CycleGAN's
// two) as an ONNX graph, opset 13, built by walking the tfjs-layers model's layers (layers.ts maps
// each class to ONNX nodes) and written with protobufjs from ONNX's own schema (proto/onnx.proto).
// Inference mode throughout: BatchNorm uses its moving statistics, dropout is the identity. Inputs
// and outputs keep tfjs's shapes: z [N, Z] (and label [N, 1] for conditional generators), images
// NHWC in [-1, 1]; inside, images are NCHW. Beside the graph, model.onnx.json says what the inputs
// mean, and every file states that what the generator outputs is synthetic.
import type * as tfl from '@tensorflow/tfjs-layers';

import type { Trainer } from '../../train/trainer.js';
import { checkExportFolder, writeExportFolder } from '../export_folder.js';
import { GENERATOR_NOTICE, tsganVersion } from '../generator_io.js';
import { GraphBuilder, type OnnxValue } from './graph.js';
import { layerClass, ONNX_LAYERS } from './layers.js';
import { encodeModel, ONNX_FLOAT, type ValueInfoProto } from './proto.js';

export const ONNX_OPSET = 13;
/** ONNX IR version 8 (ONNX 1.10 and later read it). */
export const ONNX_IR_VERSION = 8;
export const ONNX_SIDECAR = 'model.onnx.json';

/** How the generator's inputs are named in the graph, by position. */
export interface OnnxGraphInfo {
  /** Graph name. */
  name: string;
  /** Names of the graph inputs in the model's input order (default: the tfjs input names). */
  inputNames?: string[];
  /** Name of the graph output (default 'output'). */
  outputName?: string;
  docString?: string;
  metadata?: Record<string, string>;
}

/** ONNX's INT32 element type (word ids of the text-to-image generator). */
const ONNX_INT32 = 6;

function valueInfo(name: string, shape: (number | null)[], dtype = 'float32'): ValueInfoProto {
  return {
    name,
    type: {
      tensor_type: {
        elem_type: dtype === 'int32' ? ONNX_INT32 : ONNX_FLOAT,
        shape: { dim: shape.map((d, i) => (d === null ? { dim_param: i === 0 ? 'N' : `d${i}` } : { dim_value: d })) },
      },
    },
  };
}

const isModel = (l: tfl.layers.Layer): l is tfl.LayersModel => Array.isArray((l as { layers?: unknown }).layers);

/** Layer classes of a model (models used as layers included) without an ONNX mapping. */
function missingClasses(model: tfl.LayersModel, out = new Set<string>()): Set<string> {
  const inputLayers = new Set(model.inputLayers.map((l) => l.name));
  for (const l of model.layers) {
    if (inputLayers.has(l.name)) continue;
    if (isModel(l)) missingClasses(l, out);
    else if (!ONNX_LAYERS[layerClass(l)]) out.add(layerClass(l));
  }
  return out;
}

/** The graph of a model's layers on the given input values; a model used as a layer is walked inline. */
function walk(g: GraphBuilder, model: tfl.LayersModel, ins: OnnxValue[]): OnnxValue {
  if (model.outputs.length !== 1)
    throw new Error(`ONNX export: ${model.name} has ${model.outputs.length} outputs (one expected)`);
  const values = new Map<string, OnnxValue>();
  model.inputLayers.forEach((l, i) => {
    values.set(l.name, ins[i]!);
  });
  for (const layer of model.layers) {
    if (values.has(layer.name)) continue;
    // A model's own construction node has no inbound layers: only the calls count.
    const nodes = (layer as unknown as { inboundNodes: { inboundLayers: tfl.layers.Layer[] }[] }).inboundNodes.filter(
      (n) => n.inboundLayers.length > 0,
    );
    if (nodes.length !== 1)
      throw new Error(
        `ONNX export: layer ${layer.name} is applied ${nodes.length} times (shared layers are not supported)`,
      );
    const args = nodes[0]!.inboundLayers.map((l) => {
      const v = values.get(l.name);
      if (!v) throw new Error(`ONNX export: layer ${layer.name} reads ${l.name}, which comes later`);
      return v;
    });
    values.set(layer.name, isModel(layer) ? walk(g, layer, args) : ONNX_LAYERS[layerClass(layer)]!(g, layer, args));
  }
  return values.get(model.outputLayers[0]!.name)!;
}

/** A tfjs-layers model (one output) as ONNX bytes. Throws naming the first layer class it cannot convert. */
export function modelToOnnx(model: tfl.LayersModel, info: OnnxGraphInfo): Uint8Array {
  const g = new GraphBuilder();
  const inputs: ValueInfoProto[] = [];
  if (model.outputs.length !== 1)
    throw new Error(`ONNX export: ${model.name} has ${model.outputs.length} outputs (one expected)`);
  const missing = [...missingClasses(model)];
  if (missing.length)
    throw new Error(
      `ONNX export: no ONNX mapping for the layer class${missing.length > 1 ? 'es' : ''} ${missing.join(', ')} (add ${missing.length > 1 ? 'them' : 'it'} to ONNX_LAYERS in src/export/onnx/layers.ts)`,
    );
  const graphInputs = model.inputLayers.map((l, i) => {
    const shape = model.inputs[i]!.shape as (number | null)[];
    const name = g.fresh(info.inputNames?.[i] ?? model.inputNames[i] ?? l.name);
    inputs.push(valueInfo(name, shape, model.inputs[i]!.dtype));
    return { name, shape, layout: 'tfjs' } as OnnxValue;
  });
  const last = walk(g, model, graphInputs);
  const outName = info.outputName ?? 'output';
  const y = g.toTfjs(last, 'output');
  g.nodes.push({
    name: g.fresh('output/Identity'),
    op_type: 'Identity',
    input: [y.name],
    output: [outName],
    attribute: [],
  });
  return encodeModel({
    ir_version: ONNX_IR_VERSION,
    opset_import: [{ domain: '', version: ONNX_OPSET }],
    producer_name: 'tsgan',
    producer_version: tsganVersion(),
    doc_string: info.docString ?? '',
    graph: {
      name: info.name,
      node: g.nodes,
      initializer: g.initializers,
      input: inputs,
      output: [valueInfo(outName, model.outputs[0]!.shape as (number | null)[])],
    },
    metadata_props: Object.entries({ synthetic: 'true', notice: GENERATOR_NOTICE, ...(info.metadata ?? {}) }).map(
      ([key, value]) => ({ key, value }),
    ),
  });
}

/** What exportOnnx wrote. */
export interface OnnxExport {
  /** File name of each generator's graph. */
  files: Record<string, string>;
  bytes: Record<string, number>;
  sidecar: Record<string, unknown>;
}

/** Writes the generator(s) of a trainer as ONNX graphs (atomically, with model.onnx.json). */
export async function exportOnnx(t: Trainer, dir: string, o: { useEma?: boolean } = {}): Promise<OnnxExport> {
  const m = t.model;
  // Text-to-image: T and G joined (word ids and z -> image) with the tokenizer in the sidecar.
  if (m.family === 'text2image') return (await import('./text2image.js')).exportText2ImageOnnx(t, dir, o);
  const names = m.generatorNames ?? [m.generatorName];
  const owned = (n: string) => n === ONNX_SIDECAR || n === 'model.onnx' || names.some((g) => n === `${g}.onnx`);
  checkExportFolder(dir, owned);
  const latent = m.latentDim > 0;
  const inputNames = latent ? (m.numClasses > 0 ? ['z', 'label'] : ['z']) : ['input'];
  const files: Record<string, string> = {};
  const contents: Record<string, Uint8Array | string> = {};
  const useEma = o.useEma ?? true;
  for (const g of names) {
    const net = (useEma ? t.ema[g] : undefined) ?? m.networks[g]!;
    const file = names.length === 1 ? 'model.onnx' : `${g}.onnx`;
    contents[file] = modelToOnnx(net, {
      name: `${m.family}_${g}`,
      inputNames,
      docString: `tsgan ${m.family} generator ${g}${useEma && t.ema[g] ? ' (EMA weights)' : ''} at step ${t.step}. ${GENERATOR_NOTICE}`,
      metadata: { family: m.family, generator: g, step: String(t.step), ema: String(useEma && !!t.ema[g]) },
    });
    files[g] = file;
  }
  const inputs = latent
    ? [
        { name: 'z', shape: ['N', m.latentDim], dtype: 'float32', role: 'latent: N(0, 1) values' },
        ...(m.numClasses > 0
          ? [
              {
                name: 'label',
                shape: ['N', 1],
                dtype: 'float32',
                role: `class index 0..${m.numClasses - 1}, as a float`,
              },
            ]
          : []),
      ]
    : [
        {
          name: 'input',
          shape: ['N', ...(m.networks[names[0]!]!.inputs[0]!.shape.slice(1) as number[])],
          dtype: 'float32',
          role: 'image NHWC in [-1, 1]',
        },
      ];
  const sidecar = {
    format: 'tsgan-onnx',
    version: 1,
    family: m.family,
    step: t.step,
    ema: useEma && names.some((g) => !!t.ema[g]),
    opset: ONNX_OPSET,
    files,
    inputs,
    output: {
      name: 'output',
      shape: ['N', ...m.outputShape],
      layout: m.outputShape.length === 3 ? 'NHWC' : m.outputShape.length === 4 ? 'NTHWC' : 'plain',
    },
    valueRange: m.valueRange,
    latentDim: m.latentDim,
    numClasses: m.numClasses,
    inference: 'BatchNorm uses its moving statistics, dropout is the identity, instance norm normalizes each image',
    createdBy: 'tsgan',
    tsganVersion: tsganVersion(),
    synthetic: true,
    notice: GENERATOR_NOTICE,
  };
  contents[ONNX_SIDECAR] = `${JSON.stringify(sidecar, null, 2)}\n`;
  writeExportFolder(dir, contents, owned);
  const bytes = Object.fromEntries(Object.entries(files).map(([g, f]) => [g, (contents[f] as Uint8Array).length]));
  return { files, bytes, sidecar };
}
