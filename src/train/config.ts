// The training configuration: one typed, validated object (zod), with defaults for every field.
// A run's config.json is this object. Unknown keys are rejected with the closest valid name:
// "unknown key 'lrr', did you mean 'lr'?". CLI overrides (`--model.width 32`) are dotted paths.
import { z } from 'zod';

import { healthConfigSchema } from '../health/config.js';
import { FAMILIES, FAMILY_NAMES } from '../models/registry.js';
import { DIFF_AUGMENT_POLICIES } from '../nn/diff_augment.js';

export const LOSSES = ['minimax', 'nonsaturating', 'hinge', 'wgan-gp', 'wgan', 'lsgan'] as const;
export const DATA_SOURCES = [
  'fashion-mnist',
  'ring8',
  'grid25',
  'spiral',
  'folder',
  'idx',
  'shapes',
  'emoji',
  // The families' own tasks (image-to-image pairs and domains...), loaded by their run hooks.
  ...new Set(FAMILIES.flatMap((f) => f.dataSources ?? [])),
] as const;

const posInt = () => z.number().int().positive();

/** The shared model options; unset ones come from the data (shape, classes) or the family's defaults. */
const sharedModelShape = {
  /** A family of src/models/registry.ts: 'vanilla' (MLP), 'dcgan', 'cgan', 'pix2pix', 'cyclegan'... */
  family: z.enum(FAMILY_NAMES as [string, ...string[]]).default('dcgan'),
  /** Latent size. */
  latentDim: posInt().optional(),
  /** Conv base width (dcgan, cgan). */
  width: posInt().optional(),
  /** G's base width if it should differ from D's (dcgan, cgan); default: width. */
  widthG: posInt().optional(),
  /** D's base width if it should differ from G's (dcgan, cgan); default: width. */
  widthD: posInt().optional(),
  /** Image side (dcgan, cgan: 28, 32 or 64; pix2pix: a power of two; cyclegan: a multiple of 4); default: the data's. */
  resolution: posInt().optional(),
  /** Image channels; default: the data's. */
  channels: posInt().optional(),
  /** MLP units per hidden layer (vanilla). */
  hidden: posInt().optional(),
  /** MLP hidden layers (vanilla). */
  depth: posInt().optional(),
  /** D's input gain (vanilla; for toys with tiny modes). */
  inputGain: z.number().positive().optional(),
  /** PacGAN packing: D judges this many samples at once (vanilla). */
  pack: posInt().optional(),
  /** Spectral normalization in D. */
  spectralNorm: z.boolean().optional(),
  /** BatchNorm in G: after its transposed convolutions (dcgan, cgan), after its hidden layers (vanilla). */
  batchNormG: z.boolean().optional(),
  /** BatchNorm after G's dense projection (dcgan, cgan). */
  batchNormDense: z.boolean().optional(),
  /** BatchNorm in D (dcgan, cgan). */
  batchNormD: z.boolean().optional(),
  /** Number of classes (cgan); default: the data's. */
  numClasses: posInt().optional(),
  /** Label embedding size in G (cgan). */
  embedDim: posInt().optional(),
  /** Auxiliary-classifier D instead of projection (cgan). */
  acgan: z.boolean().optional(),
  /** Channels of a full-resolution 3x3 refinement stage at the end of G (dcgan, cgan; 0 = off). */
  refineWidth: z.number().int().nonnegative().optional(),
  /** InfoGAN categorical code with this many categories, read from the first latent components (dcgan; 0 = off). */
  infoCategories: z.number().int().nonnegative().optional(),
  /** Weight initialization: 'dcgan' N(0, 0.02), 'glorot', or 'auto' (dcgan for conv models, glorot for MLPs). */
  init: z.enum(['auto', 'dcgan', 'glorot']).default('auto'),
};

/** Keys of the shared model options (every family's optionsFor decides which of them it reads). */
export const SHARED_MODEL_KEYS: ReadonlySet<string> = new Set(Object.keys(sharedModelShape));

/**
 * The families' own options (each family's `options` schema, commented in its model file: pix2pix's
 * l1Weight, cyclegan's cycleWeight...), less the shared ones. Unset here: the model file's default
 * applies when the model is built; the trainer refuses a key of another family's schema.
 */
const familyOptionShapes = Object.fromEntries(
  FAMILIES.flatMap((f) => Object.entries(f.options?.shape ?? {}))
    .filter(([k]) => !(k in sharedModelShape))
    .map(([k, v]) => [k, ((v instanceof z.ZodDefault ? v.unwrap() : v) as z.ZodType).optional()]),
) as Record<string, z.ZodOptional<z.ZodType>>;

/** Model options: the shared ones, then every family's own (each accepted for its family only). */
export const modelConfigSchema = z.strictObject({ ...sharedModelShape, ...familyOptionShapes }) as unknown as z.ZodType<
  z.output<z.ZodObject<typeof sharedModelShape>> & { [familyOption: string]: unknown },
  z.input<z.ZodObject<typeof sharedModelShape>> & { [familyOption: string]: unknown }
>;

export const dataConfigSchema = z.strictObject({
  /** Which dataset. */
  source: z.enum(DATA_SOURCES).default('fashion-mnist'),
  /** Folder (folder, idx) or IDX directory (fashion-mnist full splits). */
  path: z.string().optional(),
  /** Fashion-MNIST split: 'test' is embedded; 'train' and 'all' need the IDX files. */
  split: z.enum(['test', 'train', 'all']).default('test'),
  /** Use only the first N examples. */
  limit: posInt().optional(),
  /** Number of points for toy 2-D data. */
  points: posInt().default(10000),
  /** Image side for folders and shapes (resize + center crop), emoji (8 to 64), fashion-mnist (28, or 32 padded). */
  size: posInt().optional(),
  /** Load folder images as grayscale. */
  grayscale: z.boolean().default(false),
  /** Skip unreadable images with a warning instead of failing. */
  skipCorrupt: z.boolean().default(false),
  /** translation-folder: pairs (pix2pix: trainA/trainB with the same names, or side-by-side) or two domains (cyclegan); default: the model's. */
  paired: z.boolean().optional(),
});

export const trainConfigSchema = z.strictObject({
  model: modelConfigSchema.default(() => modelConfigSchema.parse({})),
  data: dataConfigSchema.default(() => dataConfigSchema.parse({})),
  /** Adversarial loss. 'wgan-gp' is 'wgan' with a gradient penalty of weight gpWeight. */
  loss: z.enum(LOSSES).default('nonsaturating'),
  /** WGAN-GP penalty weight (lambda). */
  gpWeight: z.number().nonnegative().default(10),
  /** R1 penalty gamma (0 = off). */
  r1Gamma: z.number().nonnegative().default(0),
  /** Apply R1 every k steps (lazy regularization). */
  r1Every: posInt().default(1),
  /** One-sided label smoothing: D's real target is 1 - labelSmoothing. */
  labelSmoothing: z.number().min(0).max(0.5).default(0),
  /** D updates per G update (n_critic). */
  dSteps: posInt().default(1),
  /** ACGAN auxiliary loss weight. */
  auxWeight: z.number().nonnegative().default(1),
  /** InfoGAN: weight of the mutual-information term (Q's cross-entropy on the categorical code) for G and D. */
  infoWeight: z.number().nonnegative().default(1),
  /** Top-k training (Sinha et al. 2020): G's loss uses only this fraction of its batch, the fakes D scores highest (1 = off). */
  topK: z.number().gt(0).max(1).default(1),
  /** DiffAugment policies, comma-separated: color,translation,cutout ('' = off). */
  diffAugment: z
    .string()
    .default('')
    .refine(
      (s) =>
        s === '' ||
        s === 'none' ||
        s.split(',').every((p) => (DIFF_AUGMENT_POLICIES as readonly string[]).includes(p.trim())),
      { message: `a comma list of ${DIFF_AUGMENT_POLICIES.join(', ')}` },
    ),
  /** Training steps (G updates). */
  steps: posInt().default(1500),
  /** Batch size. */
  batchSize: posInt().default(64),
  /** Learning rate of both networks (unless lrG / lrD are set: TTUR); set over a preset's lrG / lrD, it replaces them. */
  lr: z.number().positive().default(2e-4),
  /** G's learning rate (TTUR). */
  lrG: z.number().positive().optional(),
  /** D's learning rate (TTUR). */
  lrD: z.number().positive().optional(),
  /** Learning-rate schedule: 'constant', or 'linear' decay to 0 at the last step. */
  lrSchedule: z.enum(['constant', 'linear']).default('constant'),
  /** 'linear' only: the fraction of the run held at the full lr before the decay starts (CycleGAN: 0.5). */
  lrDecayStart: z.number().min(0).max(0.99).default(0),
  /** Adam beta1. */
  beta1: z.number().min(0).max(1).default(0.5),
  /** Adam beta2. */
  beta2: z.number().min(0).max(1).default(0.999),
  /** EMA decay of G's weights (0 = no EMA; e.g. 0.999). */
  ema: z.number().min(0).max(1).default(0),
  /** Step at which the EMA starts (before it, the EMA copy tracks G exactly). */
  emaStart: z.number().int().nonnegative().default(0),
  /** Seed of everything random in the run. */
  seed: z.number().int().default(0),
  /** Log a metrics line every N steps. */
  logEvery: posInt().default(50),
  /** Evaluate every N steps (a multiple of logEvery; 0 = never) into metrics.jsonl: 28x28 grayscale runs only. */
  evalEvery: z.number().int().nonnegative().default(0),
  /** Comma-separated metrics for evalEvery (fid-fmnist, kid-fmnist, is-fmnist, pr-fmnist, dc-fmnist, classes). */
  evalMetrics: z.string().default('fid-fmnist,is-fmnist'),
  /** Generated images per evaluation (FID is biased by n: compare only at the same n). */
  evalN: posInt().default(2000),
  /** Write a fixed-latent sample grid every N steps (and at the end). */
  sampleEvery: posInt().default(250),
  /** Samples in the grid. */
  sampleCount: posInt().default(64),
  /** Save a checkpoint every N steps (and at the end). */
  checkpointEvery: posInt().default(500),
  /** Checkpoints kept (oldest deleted). */
  keepCheckpoints: posInt().default(3),
  /** Parent folder of run folders. */
  runsDir: z.string().default('runs'),
  /** Run folder name (default: preset or family, plus a timestamp). */
  name: z.string().optional(),
  /** Health monitor settings (src/health/config.ts); the monitor runs when this is set and enabled. */
  health: healthConfigSchema.optional(),
});

export type TrainConfig = z.infer<typeof trainConfigSchema>;
export type TrainConfigInput = z.input<typeof trainConfigSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Levenshtein distance (small strings). */
export function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
  }
  return d[a.length][b.length];
}

/** Every valid dotted key of the config ('lr', 'model.width', ...). */
export function configKeys(): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(trainConfigSchema.shape)) {
    out.push(k);
    const inner = unwrapObject(v);
    if (inner && k !== 'health') for (const kk of Object.keys(inner.shape)) out.push(`${k}.${kk}`);
  }
  return out;
}

function unwrapObject(s: unknown): z.ZodObject | null {
  let cur = s as { _zod?: { def?: { innerType?: unknown; type?: string } } } | undefined;
  for (let i = 0; i < 4 && cur; i++) {
    if (cur instanceof z.ZodObject) return cur;
    cur = cur._zod?.def?.innerType as typeof cur;
  }
  return null;
}

/** The valid key closest to `key` (dotted), if any is close enough to be a plausible typo. */
export function closestKey(key: string): string | null {
  const keys = configKeys();
  const last = key.split('.').pop()!;
  let best: string | null = null;
  let bestD = Infinity;
  for (const k of keys) {
    // Compare full paths, and also the last segment (so 'width' suggests 'model.width').
    const d = Math.min(
      editDistance(key.toLowerCase(), k.toLowerCase()),
      editDistance(last.toLowerCase(), k.split('.').pop()!.toLowerCase()) +
        (k.includes('.') === key.includes('.') ? 0 : 0.5),
    );
    if (d < bestD) {
      bestD = d;
      best = k;
    }
  }
  return best != null && bestD <= Math.max(2, Math.floor(last.length / 3)) ? best : null;
}

/** Validates a config object; throws ConfigError naming each problem (with "did you mean" for typos). */
export function parseConfig(input: unknown): TrainConfig {
  if (input != null && (typeof input !== 'object' || Array.isArray(input))) {
    throw new ConfigError(
      `invalid training config: it must be an object of fields (like {"steps": 2000, "model": {"width": 32}}), not ${describeJson(input)}`,
    );
  }
  const r = trainConfigSchema.safeParse(input ?? {});
  if (r.success) return r.data;
  const lines = r.error.issues.map((iss) => {
    const where = iss.path.join('.');
    if (iss.code === 'unrecognized_keys') {
      return iss.keys
        .map((k) => {
          const full = where ? `${where}.${k}` : k;
          const near = closestKey(full);
          return `unknown key '${full}'${
            near
              ? `, did you mean '${near}'?`
              : ` (valid keys: ${configKeys()
                  .filter((c) => (where ? c.startsWith(`${where}.`) : !c.includes('.')))
                  .join(', ')})`
          }`;
        })
        .join('\n');
    }
    return `${where || '(config)'}: ${iss.message}`;
  });
  throw new ConfigError(`invalid training config:\n  ${lines.join('\n  ')}`);
}

/** Sets a dotted path in a plain object, creating nested objects. */
export function setPath(obj: Record<string, unknown>, dotted: string, value: unknown): void {
  const parts = dotted.split('.');
  let cur = obj;
  for (const p of parts.slice(0, -1)) {
    if (cur[p] == null || typeof cur[p] !== 'object') cur[p] = {};
    cur = cur[p] as Record<string, unknown>;
  }
  cur[parts[parts.length - 1]] = value;
}

/** Deep merge of plain objects (b wins). */
export function mergeConfig(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const av = out[k];
    out[k] =
      v && typeof v === 'object' && !Array.isArray(v) && av && typeof av === 'object' && !Array.isArray(av)
        ? mergeConfig(av as Record<string, unknown>, v as Record<string, unknown>)
        : v;
  }
  return out;
}

/** A JSON value's kind in words ("an array", "the number 3"), for error messages. */
export function describeJson(v: unknown): string {
  if (Array.isArray(v)) return `an array (${JSON.stringify(v).slice(0, 40)})`;
  if (v === null) return 'null';
  if (typeof v === 'object') return 'an object';
  return `the ${typeof v} ${JSON.stringify(v)}`;
}

/**
 * Merges config layers, later ones winning (nested objects merge key by key: a layer with
 * `model.width` keeps the `model.family` of the layers under it). A layer that sets `lr` sets both
 * networks' rate: the `lrG` / `lrD` of the layers under it are dropped unless that layer sets them
 * too (so `--lr 1e-3` over a preset with lrG / lrD trains both networks at 1e-3). `note` hears
 * about each value dropped that way.
 */
export function mergeConfigLayers(
  layers: Record<string, unknown>[],
  note: (msg: string) => void = () => {},
): Record<string, unknown> {
  let out: Record<string, unknown> = {};
  for (const layer of layers) {
    if (layer.lr !== undefined) {
      const dropped: string[] = [];
      const rest = { ...out };
      for (const k of ['lrG', 'lrD'] as const) {
        if (layer[k] === undefined && rest[k] !== undefined) {
          dropped.push(`${k} ${String(rest[k])}`);
          delete rest[k];
        }
      }
      if (dropped.length) {
        note(
          `lr ${String(layer.lr)} sets both networks' learning rate: it replaces ${dropped.join(' and ')} ` +
            '(from the preset or config file; set lrG / lrD to keep two rates)',
        );
        out = rest;
      }
    }
    out = mergeConfig(out, layer);
  }
  return out;
}

/** Parses a CLI value: numbers, true/false, JSON objects/arrays, else the string. */
export function parseCliValue(s: string): unknown {
  if (s === 'true') return true;
  if (s === 'false') return false;
  if (/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(s)) return Number(s);
  if (/^[[{]/.test(s)) {
    try {
      return JSON.parse(s);
    } catch {
      return s;
    }
  }
  return s;
}
