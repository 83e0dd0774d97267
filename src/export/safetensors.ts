// `tsgan export RUN DIR --format safetensors`: every network of a run (G, D, the EMA copies as
// `<name>_ema`; CycleGAN's four) in one safetensors file with PyTorch names and layouts (see
// torch_layout.ts), byte-stable for the same checkpoint (sorted keys, provenance metadata with no
// time in it), plus:
//   model.safetensors.json  the manifest: per network, its layers in order (class, configuration,
//                           inputs) and each weight's key, tfjs name, shapes and layout change;
//   check.safetensors       fixed inputs (z from seeds 0..3 and labels, or seeded images for
//                           translation models) and each generator's outputs, computed by tsgan,
//                           so a loader in another framework can check itself (examples/load_dcgan_torch.py).
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';

import { Rng } from '../train/rng.js';
import type { Trainer } from '../train/trainer.js';
import { checkExportFolder, writeExportFolder } from './export_folder.js';
import { GENERATOR_NOTICE, tsganVersion } from './generator_io.js';
import {
  encodeSafetensors,
  f32Tensor,
  i32Bytes,
  type SafetensorsFile,
  type SafetensorsTensor,
} from './safetensors_format.js';
import { torchParams, type TorchLayer } from './torch_layout.js';

export const SAFETENSORS_FILE = 'model.safetensors';
export const SAFETENSORS_MANIFEST = 'model.safetensors.json';
export const SAFETENSORS_CHECK = 'check.safetensors';
const OWNED = new Set([SAFETENSORS_FILE, SAFETENSORS_MANIFEST, SAFETENSORS_CHECK]);
/** Samples in check.safetensors. */
const CHECK_N = 4;

/** The manifest written beside model.safetensors. */
export interface SafetensorsManifest {
  format: 'tsgan-safetensors';
  version: 1;
  file: string;
  family: string;
  options: Record<string, unknown>;
  step: number;
  seed: number;
  latentDim: number;
  numClasses: number;
  outputShape: number[];
  valueRange: [number, number];
  /** The generator sampling uses (the EMA copy when the run kept one). */
  generator: string;
  /** Every generator in the file (raw and EMA). */
  generators: string[];
  networks: Record<string, { layers: TorchLayer[] }>;
  /** Key layout and tensor layout conventions, in words. */
  conventions: string[];
  check: { file: string; inputs: string[]; outputs: Record<string, string> };
  tsganVersion: string;
  synthetic: true;
  notice: string;
}

/** The networks of a trainer by their names in the file: G, D..., and `<name>_ema` for EMA copies. */
function runNetworks(t: Trainer): [string, tfl.LayersModel][] {
  const nets: [string, tfl.LayersModel][] = Object.keys(t.model.networks)
    .sort()
    .map((n) => [n, t.model.networks[n]!]);
  for (const n of Object.keys(t.ema).sort()) nets.push([`${n}_ema`, t.ema[n]!]);
  return nets;
}

/** The fixed inputs of the check file and each generator's outputs on them. */
function checkTensors(
  t: Trainer,
  gens: [string, tfl.LayersModel][],
): { tensors: SafetensorsTensor[]; inputs: string[] } {
  const m = t.model;
  const tensors: SafetensorsTensor[] = [];
  if (m.latentDim > 0) {
    const z = new Float32Array(CHECK_N * m.latentDim);
    for (let i = 0; i < CHECK_N; i++) z.set(new Rng(i).normals(m.latentDim), i * m.latentDim);
    tensors.push(f32Tensor('z', [CHECK_N, m.latentDim], z));
    const labels = m.numClasses > 0 ? Int32Array.from({ length: CHECK_N }, (_, i) => i % m.numClasses) : null;
    if (labels) tensors.push({ name: 'label', dtype: 'I32', shape: [CHECK_N], bytes: i32Bytes(labels) });
    for (const [name, net] of gens) {
      const out = tf.tidy(() => {
        const zt = tf.tensor2d(z, [CHECK_N, m.latentDim]); // [N, Z]
        const x = labels ? [zt, tf.tensor2d(Float32Array.from(labels), [CHECK_N, 1])] : zt;
        return net.predict(x) as tf.Tensor; // [N, ...outputShape]
      });
      tensors.push(f32Tensor(`${name}.output`, out.shape.slice(), out.dataSync() as Float32Array));
      out.dispose();
    }
    return { tensors, inputs: labels ? ['z', 'label'] : ['z'] };
  }
  // Translation models: seeded images in [-1, 1] in the generators' input shape.
  const shape = [CHECK_N, ...(gens[0]![1].inputs[0]!.shape.slice(1) as number[])];
  const x = new Rng(0).uniforms(
    shape.reduce((a, b) => a * b, 1),
    -1,
    1,
  );
  tensors.push(f32Tensor('input', shape, x));
  for (const [name, net] of gens) {
    const out = tf.tidy(() => net.predict(tf.tensor(x, shape)) as tf.Tensor); // [N, H, W, Cout]
    tensors.push(f32Tensor(`${name}.output`, out.shape.slice(), out.dataSync() as Float32Array));
    out.dispose();
  }
  return { tensors, inputs: ['input'] };
}

/** What exportSafetensors wrote. */
export interface SafetensorsExport {
  manifest: SafetensorsManifest;
  /** Bytes of model.safetensors. */
  bytes: number;
  tensors: number;
}

/** The safetensors file of a trainer's networks (and the manifest's per-network layers). */
export function runSafetensors(t: Trainer): {
  file: SafetensorsFile;
  networks: Record<string, { layers: TorchLayer[] }>;
} {
  const tensors: SafetensorsTensor[] = [];
  const networks: Record<string, { layers: TorchLayer[] }> = {};
  const nets = runNetworks(t);
  for (const [name, net] of nets) {
    const { layers, values } = torchParams(name, net);
    networks[name] = { layers };
    for (const v of values) tensors.push(f32Tensor(v.key, v.shape, v.data));
  }
  const metadata: Record<string, string> = {
    format: 'pt',
    'tsgan.family': t.model.family,
    'tsgan.options': JSON.stringify(t.model.options),
    'tsgan.step': String(t.step),
    'tsgan.seed': String(t.config.seed),
    'tsgan.networks': nets.map(([n]) => n).join(','),
    'tsgan.version': tsganVersion(),
    'tsgan.synthetic': 'true',
    'tsgan.notice': GENERATOR_NOTICE,
    'tsgan.layout':
      'keys <network>.<layer index>.<param>; PyTorch layouts: conv OIHW, transposed conv [in, out, kh, kw], dense [out, in]; see model.safetensors.json',
  };
  return { file: { tensors, metadata }, networks };
}

/** Writes a trainer's networks as DIR/model.safetensors, its manifest and check file (atomically). */
export function exportSafetensors(t: Trainer, dir: string): SafetensorsExport {
  checkExportFolder(dir, (n) => OWNED.has(n));
  const { file, networks } = runSafetensors(t);
  const bytes = encodeSafetensors(file);
  const genNames = t.model.generatorNames ?? [t.model.generatorName];
  const gens: [string, tfl.LayersModel][] = [];
  for (const g of genNames) {
    gens.push([g, t.model.networks[g]!]);
    if (t.ema[g]) gens.push([`${g}_ema`, t.ema[g]!]);
  }
  const check = checkTensors(t, gens);
  const preferred = t.ema[t.model.generatorName] ? `${t.model.generatorName}_ema` : t.model.generatorName;
  const manifest: SafetensorsManifest = {
    format: 'tsgan-safetensors',
    version: 1,
    file: SAFETENSORS_FILE,
    family: t.model.family,
    options: t.model.options,
    step: t.step,
    seed: t.config.seed,
    latentDim: t.model.latentDim,
    numClasses: t.model.numClasses,
    outputShape: t.model.outputShape,
    valueRange: t.model.valueRange,
    generator: preferred,
    generators: gens.map(([n]) => n),
    networks,
    conventions: [
      'keys: <network>.<layer index in the tfjs model>.<PyTorch parameter name>; EMA copies are <network>_ema',
      'Dense kernel [in, out] is stored as nn.Linear weight [out, in]',
      'Conv2D kernel HWIO is stored as nn.Conv2d weight OIHW',
      'Conv2DTranspose kernel [kh, kw, out, in] is stored as nn.ConvTranspose2d weight [in, out, kh, kw] (no flip)',
      "transposed conv, padding 'same', stride 2: kernel 4 is PyTorch padding 1; kernel 3 is PyTorch padding 0 with the last row and column dropped",
      "conv padding 'same': total padding max((ceil(in/s) - 1) * s + k - in, 0), the smaller half before (PyTorch pads both sides alike: use F.pad first)",
      'activations are NHWC in tfjs: a Reshape after a Dense to [h, w, c] is view(N, h, w, c).permute(0, 3, 1, 2) in PyTorch',
      'BatchNormalization gamma, beta, moving_mean, moving_variance are weight, bias, running_mean, running_var',
      'dropout RNG state is left out (dropout is the identity at inference)',
    ],
    check: {
      file: SAFETENSORS_CHECK,
      inputs: check.inputs,
      outputs: Object.fromEntries(gens.map(([n]) => [n, `${n}.output`])),
    },
    tsganVersion: tsganVersion(),
    synthetic: true,
    notice: GENERATOR_NOTICE,
  };
  writeExportFolder(
    dir,
    {
      [SAFETENSORS_FILE]: bytes,
      [SAFETENSORS_MANIFEST]: `${JSON.stringify(manifest, null, 2)}\n`,
      [SAFETENSORS_CHECK]: encodeSafetensors({
        tensors: check.tensors,
        metadata: { format: 'pt', 'tsgan.synthetic': 'true', 'tsgan.of': SAFETENSORS_FILE },
      }),
    },
    (n) => OWNED.has(n),
  );
  return { manifest, bytes: bytes.length, tensors: file.tensors.length };
}
