// A sweep spec (`tsgan sweep SPEC`): a JSON or YAML file naming a preset, the config fields every
// trial shares, the fields to vary (a grid, or random choices), the metric to optimize, the budget
// (steps per trial, trials) and ASHA's early stopping (Li et al. 2020, "A System for Massively Parallel
// Hyperparameter Tuning": rungs at minSteps * eta^k steps, the top 1/eta of a rung go on to the next).
//
//   preset: dcgan-fmnist
//   config: { evalN: 1000 }                 # fields every trial shares (over the preset)
//   vary: { lr: [1e-4, 2e-4, 4e-4], model.width: [32, 64] }
//   search: grid                            # or random (samples: 8, a seed; ranges {min, max, log})
//   metric: fid-fmnist                      # or { name: lossG, goal: min }
//   steps: 4000                             # the full budget of one trial
//   asha: { minSteps: 500, eta: 3 }         # leave out to train every trial to `steps`
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

import { describeFsError } from '../train/checkpoint.js';
import { closestKey, configKeys, describeJson } from '../train/config.js';
import { getPreset, PRESETS } from '../train/presets.js';

/** A continuous range for random search: uniform, or log-uniform with `log: true`. */
const rangeSchema = z.strictObject({
  /** Lowest value. */
  min: z.number(),
  /** Highest value. */
  max: z.number(),
  /** Draw the exponent uniformly (learning rates). */
  log: z.boolean().default(false),
  /** Round to an integer. */
  int: z.boolean().default(false),
});
export type Range = z.infer<typeof rangeSchema>;

/** Metrics computed by the Fashion-MNIST evaluator (src/metrics/evaluate.ts) and the metric family each comes from. */
export const EVAL_METRIC_KEYS: Readonly<Record<string, string>> = {
  'fid-fmnist': 'fid-fmnist',
  'kid-fmnist': 'kid-fmnist',
  'is-fmnist': 'is-fmnist',
  precision: 'pr-fmnist',
  recall: 'pr-fmnist',
  density: 'dc-fmnist',
  coverage: 'dc-fmnist',
  classCoverage: 'classes',
};
/** Metrics where higher is better (the rest default to lower is better: FID, KID, losses). */
const HIGHER_IS_BETTER = new Set(['is-fmnist', 'precision', 'recall', 'density', 'coverage', 'classCoverage']);

const metricSchema = z.strictObject({
  /** An evaluator metric (fid-fmnist, kid-fmnist, is-fmnist, precision, recall, density, coverage, classCoverage) or a metrics.jsonl field (lossG, lossD...). */
  name: z.string().min(1),
  /** 'min' or 'max'; default: max for is-fmnist, precision, recall, density, coverage, classCoverage; min otherwise. */
  goal: z.enum(['min', 'max']).optional(),
});

const ashaSchema = z.strictObject({
  /** Steps of the first rung (r in the paper); with an EMA generator, past its warm-up (the sweep notes when it is not). */
  minSteps: z.number().int().positive(),
  /** Reduction factor: each rung trains eta times longer and keeps the top 1/eta (eta in the paper). */
  eta: z.number().int().min(2).default(3),
  /** 'async': ASHA (a trial in the top 1/eta of its rung so far goes on at once); 'sync': successive halving (a rung is decided when all its trials are in: the same result whatever the timing). */
  mode: z.enum(['async', 'sync']).default('async'),
});

export const sweepSpecSchema = z.strictObject({
  /** Sweep name (default: the spec file's name). */
  name: z.string().min(1).optional(),
  /** The preset every trial starts from. */
  preset: z.string().optional(),
  /** Config fields every trial shares, over the preset (nested objects, as in `tsgan train --config`). */
  config: z.record(z.string(), z.unknown()).default({}),
  /** Dotted config fields to vary: a list of values (grid or random choice), or a range {min, max, log} (random only). */
  vary: z.record(z.string(), z.union([z.array(z.unknown()).min(1), rangeSchema])).default({}),
  /** 'grid': every combination of the lists; 'random': `samples` draws. */
  search: z.enum(['grid', 'random']).default('grid'),
  /** Trials drawn by random search. */
  samples: z.number().int().positive().default(8),
  /** Seed of the random search's draws. */
  seed: z.number().int().default(0),
  /** The metric to optimize: a name, or {name, goal}. */
  metric: z.union([z.string().min(1), metricSchema]).default('lossG'),
  /** Generated images per evaluation of an evaluator metric (FID depends on n: compare at the same n). */
  evalN: z.number().int().positive().default(2000),
  /** The full budget of one trial in steps (default: the preset's or config's steps). */
  steps: z.number().int().positive().optional(),
  /** ASHA early stopping; without it every trial trains to `steps`. */
  asha: ashaSchema.optional(),
});
export type SweepSpecInput = z.input<typeof sweepSpecSchema>;

/** A validated spec with its metric spelled out. */
export type SweepSpec = Omit<z.infer<typeof sweepSpecSchema>, 'metric'> & {
  name: string;
  metric: { name: string; goal: 'min' | 'max' };
};

export class SweepSpecError extends Error {
  override name = 'SweepSpecError';
}

/** Reads a JSON (.json) or YAML (anything else) spec file; every problem is one sentence naming the file. */
export function readSweepSpec(file: string): SweepSpec {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new SweepSpecError(
      `cannot read the sweep spec ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder, not a file' : describeFsError(e)}`,
    );
  }
  let value: unknown;
  try {
    value = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    const kind = file.endsWith('.json') ? 'JSON' : 'YAML';
    throw new SweepSpecError(`the sweep spec ${file} is not valid ${kind}: ${(e as Error).message.split('\n')[0]}`);
  }
  const name = path.basename(file).replace(/\.(json|ya?ml)$/i, '');
  try {
    return parseSweepSpec(value, name);
  } catch (e) {
    if (e instanceof SweepSpecError) throw new SweepSpecError(`${file}: ${e.message}`);
    throw e;
  }
}

/** The closest of `names` to `s` (edit distance <= max(2, len/3)), for "did you mean". */
function closest(s: string, names: readonly string[]): string | null {
  let best: string | null = null;
  let bestD = Infinity;
  for (const n of names) {
    const d = editDistanceCi(s, n);
    if (d < bestD) [best, bestD] = [n, d];
  }
  return best != null && bestD <= Math.max(2, Math.floor(s.length / 3)) ? best : null;
}
function editDistanceCi(a: string, b: string): number {
  a = a.toLowerCase();
  b = b.toLowerCase();
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++)
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
  return d[a.length][b.length];
}

/** Validates a spec object (from a file or code); `name` is the default sweep name. */
export function parseSweepSpec(input: unknown, name = 'sweep'): SweepSpec {
  if (input === null || typeof input !== 'object' || Array.isArray(input))
    throw new SweepSpecError(
      `a sweep spec is an object of fields (preset, vary, metric, steps...), not ${describeJson(input)}`,
    );
  const r = sweepSpecSchema.safeParse(input);
  if (!r.success) {
    const top = Object.keys(sweepSpecSchema.shape);
    const lines = r.error.issues.map((iss) => {
      const where = iss.path.join('.');
      if (iss.code === 'unrecognized_keys') {
        const names = where === 'asha' ? Object.keys(ashaSchema.shape) : where === 'metric' ? ['name', 'goal'] : top;
        return iss.keys
          .map((k) => {
            const near = closest(k, names);
            return `unknown field '${where ? `${where}.` : ''}${k}'${near ? `, did you mean '${near}'?` : ` (fields: ${names.join(', ')})`}`;
          })
          .join('; ');
      }
      return `${where || '(spec)'}: ${iss.message}`;
    });
    throw new SweepSpecError(`invalid sweep spec: ${lines.join('; ')}`);
  }
  const s = r.data;
  if (s.preset !== undefined && !(s.preset in PRESETS)) {
    const near = closest(s.preset, Object.keys(PRESETS));
    throw new SweepSpecError(
      `unknown preset '${s.preset}'${near ? `, did you mean '${near}'?` : ` (presets: ${Object.keys(PRESETS).join(', ')})`}`,
    );
  }
  const keys = new Set(configKeys());
  for (const [k, v] of Object.entries(s.vary)) {
    // Fields of the health section and of free-form objects are not listed by configKeys: accept
    // health.* and let the config's own validation judge the value.
    if (!keys.has(k) && !k.startsWith('health.')) {
      const near = closestKey(k);
      throw new SweepSpecError(
        `vary: unknown config field '${k}'${near ? `, did you mean '${near}'?` : ' (see tsgan train --help for the fields)'}`,
      );
    }
    if (!Array.isArray(v) && s.search === 'grid')
      throw new SweepSpecError(`vary.${k}: a range {min, max} needs search: random (a grid takes a list of values)`);
    if (!Array.isArray(v) && v.min > v.max) throw new SweepSpecError(`vary.${k}: min ${v.min} is above max ${v.max}`);
    if (!Array.isArray(v) && v.log && v.min <= 0) throw new SweepSpecError(`vary.${k}: a log range needs min > 0`);
  }
  if (s.vary.steps !== undefined) throw new SweepSpecError(`vary: 'steps' is the sweep's budget: set steps instead`);
  const metric = typeof s.metric === 'string' ? { name: s.metric } : s.metric;
  const goal = metric.goal ?? (HIGHER_IS_BETTER.has(metric.name) ? 'max' : 'min');
  if (s.asha && s.steps !== undefined && s.asha.minSteps > s.steps)
    throw new SweepSpecError(`asha.minSteps ${s.asha.minSteps} is above steps ${s.steps}`);
  if (s.preset) getPreset(s.preset);
  return { ...s, name: s.name ?? name, metric: { name: metric.name, goal } };
}
