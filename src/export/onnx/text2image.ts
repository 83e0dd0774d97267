// `tsgan export RUN DIR --format onnx` of a text-to-image run: one graph, model.onnx, of the text
// encoder T joined to the generator G (text2image_export.ts: promptGeneratorModel): inputs z [N, Z]
// (float32, N(0, 1)) and ids [N, maxLen] (int32 word ids from the tokenizer, padded with 0), output
// images NHWC in [-1, 1]. model.onnx.json carries the tokenizer (vocabulary, maxLen, policies) so a
// consumer turns a prompt into ids exactly as tsgan does. Inference mode: BatchNorm's moving
// statistics, and with conditioning augmentation c = mu.
import type { Text2Image } from '../../models/text2image.js';
import type { Trainer } from '../../train/trainer.js';
import { checkExportFolder, writeExportFolder } from '../export_folder.js';
import { GENERATOR_NOTICE, tsganVersion } from '../generator_io.js';
import { manifestText, promptGeneratorModel } from '../text2image_export.js';
import { modelToOnnx, ONNX_IR_VERSION, ONNX_OPSET, ONNX_SIDECAR, type OnnxExport } from './export.js';

/** Writes model.onnx (T and G joined) and model.onnx.json for a text-to-image trainer. */
export async function exportText2ImageOnnx(t: Trainer, dir: string, o: { useEma?: boolean } = {}): Promise<OnnxExport> {
  const m = t.model as Text2Image;
  const owned = (n: string) => n === ONNX_SIDECAR || n === 'model.onnx';
  checkExportFolder(dir, owned);
  const useEma = (o.useEma ?? true) && !!t.ema.G;
  const joined = promptGeneratorModel(m, useEma ? t.ema.G! : m.networks.G!);
  let bytes: Uint8Array;
  try {
    bytes = modelToOnnx(joined, {
      name: 'text2image_prompt_generator',
      inputNames: ['z', 'ids'],
      docString: `tsgan text2image: text encoder T joined to generator G${useEma ? ' (EMA weights)' : ''} at step ${t.step}. ${GENERATOR_NOTICE}`,
      metadata: { family: 'text2image', generator: 'T+G', step: String(t.step), ema: String(useEma) },
    });
  } finally {
    joined.dispose();
  }
  const text = manifestText(m);
  const sidecar = {
    format: 'tsgan-onnx',
    version: 1,
    family: 'text2image',
    step: t.step,
    ema: useEma,
    opset: ONNX_OPSET,
    irVersion: ONNX_IR_VERSION,
    files: { 'T+G': 'model.onnx' },
    inputs: [
      { name: 'z', shape: ['N', m.latentDim], dtype: 'float32', role: 'latent: N(0, 1) values' },
      {
        name: 'ids',
        shape: ['N', text.maxLen],
        dtype: 'int32',
        role: 'token ids of a prompt (see tokenizer): its known words, then 0',
      },
    ],
    output: { name: 'output', shape: ['N', ...m.outputShape], layout: 'NHWC' },
    tokenizer: text,
    valueRange: m.valueRange,
    latentDim: m.latentDim,
    numClasses: 0,
    inference: `BatchNorm uses its moving statistics${m.options.condAugment ? '; conditioning augmentation: c = mu' : ''}`,
    createdBy: 'tsgan',
    tsganVersion: tsganVersion(),
    synthetic: true,
    notice: GENERATOR_NOTICE,
  };
  writeExportFolder(dir, { 'model.onnx': bytes, [ONNX_SIDECAR]: `${JSON.stringify(sidecar, null, 2)}\n` }, owned);
  return { files: { 'T+G': 'model.onnx' }, bytes: { 'T+G': bytes.length }, sidecar };
}
