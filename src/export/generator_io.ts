// Export and load of generators in the TensorFlow.js layers-model format (model.json + binary
// weight shards, loadable in a browser with tf.loadLayersModel('…/model.json')) plus manifest.json.
// Saving goes through tf.io.withSaveHandler and loading through a small file IOHandler, so only plain
// tfjs APIs are involved (tfjs-node's file:// handlers are not used).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import {
  MANIFEST_FORMAT,
  MANIFEST_VERSION,
  parseManifest,
  type GeneratorInputSpec,
  type GeneratorManifest,
  type StyleganManifest,
} from './manifest.js';
import { quantizeWeights, type QuantizeDtype } from './quantize.js';
import { ExportedStyleGAN } from './stylegan_loaded.js';
import { WEB_DEMO_FILES, writeWebDemoFiles } from './web_demo.js';

/** The statement written into every manifest. */
export const GENERATOR_NOTICE =
  'This is a generative adversarial network generator exported by tsgan; everything it outputs is synthetic ' +
  'and should be labelled as such.';

/** Weight shard size (bytes), as tfjs's converter does. */
export const SHARD_BYTES = 4 * 1024 * 1024;

/** What the caller states about the generator (the rest is derived from the model). */
export interface ExportInfo {
  /** Model name (architecture or preset). */
  model: string;
  latentDim: number;
  /** 0 or omitted for unconditional. */
  numClasses?: number;
  classNames?: string[];
  /** Default [-1, 1]. */
  valueRange?: [number, number];
  /** Default: from the output shape ([N, H, W, C] → H; [N, 2] → 0). */
  resolution?: number;
  /** Default: from the output shape. */
  channels?: number;
  /** Expected weights sha256; export fails if the model's weights hash differently. */
  sha256?: string;
  /** Roles of the inputs in order (default: 'latent', then 'label'; 'image' for a translator). */
  inputRoles?: string[];
  /** Image-to-image: input sides are padded to a multiple of this. */
  sizeMultiple?: number;
  /** Super-resolution: the output side over the input side. */
  scale?: number;
  /** Text-to-image: the tokenizer's vocabulary, ids per prompt and policies. */
  text?: GeneratorManifest['text'];
  /** Output shape without the batch (default: the model's; a translator's is [side, side, C] at the training side). */
  outputShape?: number[];
  extra?: Record<string, string | number | boolean | null>;
  /** StyleGAN2: the W space and where its two halves are (written with ExportOptions.parts). */
  stylegan?: StyleganManifest;
}

export function tsganVersion(): string {
  // package.json sits two or three levels above this file (src/export or dist/src/export).
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const p = path.join(dir, 'package.json');
    if (existsSync(p)) {
      try {
        const pkg = JSON.parse(readFileSync(p, 'utf8')) as { name?: string; version?: string };
        if (pkg.name === 'tsgan') return pkg.version ?? 'unknown';
      } catch {
        /* keep looking */
      }
    }
    dir = path.dirname(dir);
  }
  return 'unknown';
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function joinWeights(data: tf.io.WeightData | undefined): Uint8Array {
  if (data === undefined) return new Uint8Array(0);
  return new Uint8Array(tf.io.CompositeArrayBuffer.join(data));
}

/** Serializes a model to in-memory artifacts (topology, weight specs, weight bytes). */
export async function modelArtifacts(model: tfl.LayersModel): Promise<tf.io.ModelArtifacts> {
  let captured: tf.io.ModelArtifacts | null = null;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      captured = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (!captured) throw new Error('model.save did not produce artifacts');
  return captured;
}

/** sha256 (hex) of a model's weights as serialized by tfjs (the identity written into manifests and PNGs). */
export async function modelSha256(model: tfl.LayersModel): Promise<string> {
  return sha256(joinWeights((await modelArtifacts(model)).weightData));
}

function inputSpecs(model: tfl.LayersModel, roles?: string[]): GeneratorInputSpec[] {
  return model.inputs.map((t, i) => ({
    name: model.inputNames[i] ?? t.name,
    shape: t.shape.map((d) => (d === null ? null : d)),
    dtype: t.dtype,
    role: roles?.[i] ?? (i === 0 ? 'latent' : i === 1 ? 'label' : `input${i}`),
  }));
}

/** How to write an export (what to add beside the model). */
export interface ExportOptions {
  /** Also write the web page (index.html) and its local TensorFlow.js (tf.min.js); image generators only. */
  webDemo?: boolean;
  /** TF.js weight quantization ('uint8' or 'float16'; see quantize.ts): dequantized by the loader. */
  quantize?: QuantizeDtype;
  /** More models, each in its own subfolder NAME/ (model.json + shards): StyleGAN2's mapping and synthesis. */
  parts?: Partial<Record<(typeof PART_FOLDERS)[number], tfl.LayersModel>>;
}

/** The subfolders an export may hold (ExportOptions.parts). */
export const PART_FOLDERS = ['mapping', 'synthesis'] as const;

/** model.json and weight shards of one model, quantized or not. */
interface ModelFiles {
  modelJson: Record<string, unknown>;
  shards: Array<[string, Uint8Array]>;
  /** sha256 of the weight bytes as written (quantized or not). */
  digest: string;
  /** sha256 of the float32 weights. */
  floatDigest: string;
}

function modelFiles(a: tf.io.ModelArtifacts, quantize: QuantizeDtype | undefined): ModelFiles {
  if (!a.modelTopology || !a.weightSpecs)
    throw new Error('exportGenerator: the model produced no topology or weight specs');
  const floatWeights = joinWeights(a.weightData);
  const floatDigest = sha256(floatWeights);
  // Quantized: the files hold uint8 codes or half floats (the manifest's sha256 is of those bytes).
  const q = quantize ? quantizeWeights(a.weightSpecs, floatWeights, quantize) : null;
  const weights = q ? q.data : floatWeights;
  const digest = q ? sha256(weights) : floatDigest;
  const nShards = Math.max(1, Math.ceil(weights.length / SHARD_BYTES));
  const shards = Array.from({ length: nShards }, (_, i): [string, Uint8Array] => [
    `group1-shard${i + 1}of${nShards}.bin`,
    weights.subarray(i * SHARD_BYTES, Math.min(weights.length, (i + 1) * SHARD_BYTES)),
  ]);
  const modelJson = {
    modelTopology: a.modelTopology,
    format: 'layers-model',
    generatedBy: `TensorFlow.js tfjs-layers v${tfl.version_layers}`,
    convertedBy: `tsgan ${tsganVersion()}`,
    weightsManifest: [{ paths: shards.map(([n]) => n), weights: q ? q.specs : a.weightSpecs }],
    userDefinedMetadata: {
      tsgan: { synthetic: true, sha256: digest, ...(q ? { quantized: quantize, float32Sha256: floatDigest } : {}) },
    },
  };
  return { modelJson, shards, digest, floatDigest };
}

/** Writes model.json and shards into `folder`; returns each shard's sha256 by name (prefixed with `prefix`). */
function writeModelFiles(folder: string, m: ModelFiles, prefix = ''): Record<string, string> {
  const files: Record<string, string> = {};
  for (const [name, part] of m.shards) {
    writeFileSync(path.join(folder, name), part);
    files[prefix + name] = sha256(part);
  }
  writeFileSync(path.join(folder, 'model.json'), JSON.stringify(m.modelJson));
  return files;
}

/** Whether `name` is a file an export writes (so that a previous export may be replaced). */
function isExportFile(name: string): boolean {
  return (
    name === 'model.json' ||
    name === 'manifest.json' ||
    (WEB_DEMO_FILES as readonly string[]).includes(name) ||
    (PART_FOLDERS as readonly string[]).includes(name) ||
    /^group\d+-shard\d+of\d+\.bin$/.test(name)
  );
}

/**
 * Checks that `dir` can receive an export: absent, or a folder holding nothing but a previous export.
 * Throws a sentence naming the path otherwise (before anything is written).
 */
export function checkExportTarget(dir: string): void {
  const target = path.resolve(dir);
  let st: ReturnType<typeof statSync> | undefined;
  try {
    st = statSync(target);
  } catch {
    st = undefined;
  }
  if (st === undefined) {
    // The first existing folder above must be a folder (not a file) to create the export in.
    let up = path.dirname(target);
    while (!existsSync(up)) up = path.dirname(up);
    if (!statSync(up).isDirectory()) throw new Error(`${dir}: cannot create the export folder: ${up} is a file`);
    return;
  }
  if (!st.isDirectory()) throw new Error(`${dir}: is a file, not a folder; choose a folder path for the export`);
  const foreign = readdirSync(target).filter((e) => !isExportFile(e));
  if (foreign.length) {
    const shown = foreign.slice(0, 3).join(', ') + (foreign.length > 3 ? `, … (${foreign.length} in all)` : '');
    throw new Error(
      `${dir}: the folder holds files other than an exported generator (${shown}); choose a new or empty folder`,
    );
  }
}

/**
 * mkdir -p, one level at a time: a recursive mkdirSync reports ENOENT where a folder cannot be made
 * on a read-only file system; made one by one, the error is the real one (EROFS, EACCES...).
 */
function makeFolders(dir: string): void {
  const missing: string[] = [];
  for (let d = dir; !existsSync(d); d = path.dirname(d)) missing.unshift(d);
  for (const d of missing) mkdirSync(d);
}

/** Error codes of the file system, as sentences (the path is named by the caller). */
function fsReason(e: unknown): string {
  const code = (e as { code?: string }).code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EROFS') return 'the file system is read-only';
  if (code === 'ENOSPC') return 'no space left on the device';
  if (code === 'EDQUOT') return 'disk quota exceeded';
  return (e as Error).message;
}

/**
 * Writes `dir`/model.json, weight shards and manifest.json (and with `webDemo`, the web page and its
 * TensorFlow.js). The folder is written under a temporary name and renamed into place, so an
 * interrupted or failed export never leaves a half-written generator.
 */
export async function exportGenerator(
  model: tfl.LayersModel,
  dir: string,
  info: ExportInfo,
  opts: ExportOptions = {},
): Promise<GeneratorManifest> {
  if (!info || typeof info.model !== 'string' || !info.model)
    throw new Error('exportGenerator: info.model (a model name) is required');
  const takesImage = info.inputRoles?.some((r) => r === 'image' || r === 'low-resolution image') ?? false;
  if (!Number.isInteger(info.latentDim) || info.latentDim < (takesImage ? 0 : 1)) {
    throw new Error(`exportGenerator: latentDim must be a positive integer, got ${info.latentDim}`);
  }
  const q = opts.quantize;
  const main = modelFiles(await modelArtifacts(model), q);
  if (info.sha256 && info.sha256 !== main.floatDigest) {
    throw new Error(`exportGenerator: weights hash ${main.floatDigest} differs from the expected ${info.sha256}`);
  }
  const parts: Array<[string, ModelFiles]> = [];
  for (const [name, m] of Object.entries(opts.parts ?? {}))
    if (m) parts.push([name, modelFiles(await modelArtifacts(m), q)]);
  const digest = main.digest;
  const floatDigest = main.floatDigest;
  const outShape =
    info.outputShape ?? ((Array.isArray(model.outputs[0].shape) ? model.outputs[0].shape : []).slice(1) as number[]);
  const numClasses = info.numClasses ?? 0;
  const classNames = info.classNames ?? [];
  if (classNames.length && classNames.length !== numClasses) {
    const given = `${classNames.length} class name${classNames.length === 1 ? '' : 's'} given`;
    throw new Error(
      numClasses === 0
        ? `${given} for an unconditional generator (it has no classes)`
        : `${given} for a generator with ${numClasses} classes (one name per class)`,
    );
  }

  checkExportTarget(dir);
  const target = path.resolve(dir);
  const tmp = `${target}.tmp-${process.pid}-${Date.now()}`;
  try {
    makeFolders(tmp);
  } catch (e) {
    throw new Error(`${dir}: cannot create the export folder: ${fsReason(e)}`);
  }
  try {
    const files = writeModelFiles(tmp, main);
    for (const [name, m] of parts) {
      mkdirSync(path.join(tmp, name));
      Object.assign(files, writeModelFiles(path.join(tmp, name), m, `${name}/`));
    }
    const manifest: GeneratorManifest = parseManifest(
      {
        format: MANIFEST_FORMAT,
        version: MANIFEST_VERSION,
        model: info.model,
        latentDim: info.latentDim,
        numClasses,
        classNames,
        valueRange: info.valueRange ?? [-1, 1],
        resolution: info.resolution ?? (outShape.length === 3 ? outShape[0] : 0),
        channels: info.channels ?? (outShape.length === 3 ? outShape[2] : (outShape[outShape.length - 1] ?? 1)),
        outputShape: outShape,
        ...(info.sizeMultiple ? { sizeMultiple: info.sizeMultiple } : {}),
        ...(info.scale ? { scale: info.scale } : {}),
        ...(info.text ? { text: info.text } : {}),
        inputs: inputSpecs(model, info.inputRoles),
        sha256: digest,
        files,
        createdBy: 'tsgan',
        tsganVersion: tsganVersion(),
        createdAt: new Date().toISOString(),
        synthetic: true,
        notice: GENERATOR_NOTICE,
        ...(info.stylegan ? { stylegan: info.stylegan } : {}),
        ...(info.extra || q
          ? {
              extra: {
                ...(info.extra ?? {}),
                ...(q ? { quantized: opts.quantize as string, float32Sha256: floatDigest } : {}),
              },
            }
          : {}),
      },
      'manifest (being written)',
    );
    writeFileSync(path.join(tmp, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    if (opts.webDemo && manifest.resolution > 0) writeWebDemoFiles(tmp, manifest);
    if (existsSync(target)) {
      // Replace only a previous export (never an unrelated folder): checked again, just before.
      checkExportTarget(dir);
      rmSync(target, { recursive: true, force: true });
    }
    renameSync(tmp, target);
    return manifest;
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    const code = (e as { code?: string }).code;
    if (code && /^E[A-Z]+$/.test(code)) throw new Error(`${dir}: the export could not be written: ${fsReason(e)}`);
    throw e;
  }
}

/** A tfjs IOHandler reading model.json and its weight files from a folder, checking file hashes. */
export function fileLoadHandler(dir: string, expectedFiles?: Record<string, string>): tf.io.IOHandler {
  return {
    load: async () => {
      const jsonPath = path.join(dir, 'model.json');
      if (!existsSync(jsonPath)) throw new Error(`${dir}: no model.json (not an exported generator folder)`);
      let modelJson: tf.io.ModelJSON;
      try {
        modelJson = JSON.parse(readFileSync(jsonPath, 'utf8')) as tf.io.ModelJSON;
      } catch (e) {
        throw new Error(`${jsonPath}: not valid JSON (${(e as Error).message})`);
      }
      return tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => {
        const specs: tf.io.WeightsManifestEntry[] = [];
        const parts: Uint8Array[] = [];
        for (const group of manifest) {
          for (const p of group.paths) {
            const f = path.join(dir, p);
            if (!existsSync(f)) throw new Error(`${f}: weight file listed in model.json is missing`);
            const bytes = readFileSync(f);
            const want = expectedFiles?.[p];
            if (want && sha256(bytes) !== want) throw new Error(`${f}: sha256 mismatch (file corrupt or replaced)`);
            parts.push(bytes);
          }
          specs.push(...group.weights);
        }
        const total = parts.reduce((s, b) => s + b.length, 0);
        const buf = new Uint8Array(total);
        let off = 0;
        for (const b of parts) {
          buf.set(b, off);
          off += b.length;
        }
        return [specs, buf.buffer];
      });
    },
  };
}

export interface LoadedGenerator {
  /** The generator as one model: z (+ label) -> image. */
  model: tfl.LayersModel;
  manifest: GeneratorManifest;
  /** StyleGAN2 exports: mapping and synthesis loaded from their folders (takes z or w; dispose it too). */
  stylegan?: ExportedStyleGAN;
}

/** The files of subfolder `name` in a manifest's file list, by their names inside it. */
function filesUnder(files: Record<string, string>, name: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(files)) if (k.startsWith(`${name}/`)) out[k.slice(name.length + 1)] = v;
  return out;
}

/** Loads an exported generator (model.json + weights + manifest.json) with tf.loadLayersModel. */
export async function loadGenerator(dir: string): Promise<LoadedGenerator> {
  const mPath = path.join(dir, 'manifest.json');
  if (!existsSync(mPath)) throw new Error(`${dir}: no manifest.json (not a tsgan generator export)`);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(mPath, 'utf8'));
  } catch (e) {
    throw new Error(`${mPath}: not valid JSON (${(e as Error).message})`);
  }
  const manifest = parseManifest(json, mPath);
  const model = await tfl.loadLayersModel(fileLoadHandler(dir, manifest.files));
  const sg = manifest.stylegan;
  if (!sg) return { model, manifest };
  const part = (file: string) => {
    const sub = path.dirname(file);
    return tfl.loadLayersModel(fileLoadHandler(path.join(dir, sub), filesUnder(manifest.files, sub)));
  };
  const mapping = await part(sg.mapping);
  const synthesis = await part(sg.synthesis);
  return { model, manifest, stylegan: new ExportedStyleGAN(mapping, synthesis, sg, manifest.numClasses) };
}
