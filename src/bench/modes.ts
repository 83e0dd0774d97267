// `tsgan bench modes`: the mode-collapse table of PacGAN (Lin, Khetan, Fanti & Oh 2018, Table 1) on
// tsgan's toy mixtures. Each variant trains over several seeds; each run is scored on 2,500 samples
// (modes captured, fraction of high-quality samples within 3 sigma of a mode, reverse KL between the
// samples' mode histogram and the uniform one: src/data/toy2d.ts `modeCoverage`), and the table gives
// the mean and standard error over seeds with the paper's rows beside.
//
// Protocol: every comparison row starts from the task's base preset (vanilla-ring8-pacgan2,
// vanilla-grid25-r1: same MLPs, data, steps, batch, Adam, lr schedule and EMA) and changes only the
// adversarial loss, D's packing and D's regularizer, as the paper holds everything but packing fixed;
// the last row is tsgan's stabilized preset as shipped (vanilla-ring8-stable, vanilla-grid25-stable),
// which also trains longer on other MLP widths (the table says so). The paper's
// networks are larger and train far longer (G 4x400 with BatchNorm, D 3x200 maxout, batch 100,
// Adam 1e-4, 400 epochs of 100,000 points = 400,000 updates); the presets say what they change.
// Those networks are buildable (vanilla's maxoutPieces, hiddenD, depthD; BENCHMARKS.md has seed-1
// traces of them on grid25 at 3,000 steps or fewer).
import { mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import * as tf from '@tensorflow/tfjs-core';

import { makeToy2d, modeCoverage, PACGAN_EVAL_SAMPLES, type ModeCoverage } from '../data/toy2d.js';
import { writeScatterPng } from '../io/scatter.js';
import { mergeConfig, parseConfig, type TrainConfigInput } from '../train/config.js';
import { getPreset } from '../train/presets.js';
import { Rng } from '../train/rng.js';
import { Trainer } from '../train/trainer.js';

export type ModesTask = 'ring8' | 'grid25';

export const MODES_TASKS: readonly ModesTask[] = ['ring8', 'grid25'];

/** The preset every comparison row of a task starts from (the paper's rows: one schedule, one network). */
export const MODES_BASES: Record<ModesTask, string> = { ring8: 'vanilla-ring8-pacgan2', grid25: 'vanilla-grid25-r1' };

/** tsgan's stabilized preset of each task: the 'stabilized' row, as shipped. */
export const MODES_PRESETS: Record<ModesTask, string> = {
  ring8: 'vanilla-ring8-stable',
  grid25: 'vanilla-grid25-stable',
};

export interface ModesVariant {
  /** Short name (`--variants`). */
  name: string;
  /** Row label in the table. */
  label: string;
  /** The paper's row beside it (a key of PACGAN_TABLE), if it has one. */
  paperRow?: string;
  /** Config fields over the task's preset. */
  config: TrainConfigInput;
}

/** What every non-stabilized variant turns off: packing, R1, the gradient penalty, extra D steps. */
const PLAIN = { model: { pack: 1 }, r1Gamma: 0, dSteps: 1 } as const;

/** The variants, in table order. 'stabilized' is the preset as shipped. */
export const MODES_VARIANTS: readonly ModesVariant[] = [
  { name: 'minimax', label: 'GAN, minimax loss', paperRow: 'GAN', config: { ...PLAIN, loss: 'minimax' } },
  { name: 'nonsaturating', label: 'GAN, non-saturating', paperRow: 'GAN', config: { ...PLAIN, loss: 'nonsaturating' } },
  {
    name: 'pacgan2',
    label: 'PacGAN2',
    paperRow: 'PacGAN2',
    config: { ...PLAIN, loss: 'nonsaturating', model: { pack: 2 } },
  },
  {
    name: 'pacgan3',
    label: 'PacGAN3',
    paperRow: 'PacGAN3',
    config: { ...PLAIN, loss: 'nonsaturating', model: { pack: 3 } },
  },
  {
    name: 'pacgan4',
    label: 'PacGAN4',
    paperRow: 'PacGAN4',
    config: { ...PLAIN, loss: 'nonsaturating', model: { pack: 4 } },
  },
  // Gulrajani et al. 2017: lambda 10, Adam betas (0.5, 0.9); 2 critic steps per G step (the paper's 5
  // would make this row 3x slower than the others).
  { name: 'wgan-gp', label: 'WGAN-GP', config: { ...PLAIN, loss: 'wgan-gp', gpWeight: 10, dSteps: 2, beta2: 0.9 } },
  // Mescheder et al. 2018: R1 on real data, here lazily every 4 steps.
  { name: 'hinge-r1', label: 'hinge + R1', config: { ...PLAIN, loss: 'hinge', r1Gamma: 0.1, r1Every: 4 } },
  // The task's stabilized preset as shipped (MODES_PRESETS), not a change over the base.
  { name: 'stabilized', label: 'tsgan preset', config: {} },
];

/** Mean ± standard error over 10 trials, PacGAN (Lin et al. 2018) Table 1. */
export interface PaperRow {
  modes: [number, number];
  /** Percent. */
  highQuality: [number, number];
  reverseKL: [number, number];
}

export const PACGAN_TABLE: Record<ModesTask, Record<string, PaperRow>> = {
  ring8: {
    GAN: { modes: [6.3, 0.5], highQuality: [98.2, 0.2], reverseKL: [0.45, 0.09] },
    ALI: { modes: [6.6, 0.3], highQuality: [97.6, 0.4], reverseKL: [0.36, 0.04] },
    PacGAN2: { modes: [7.9, 0.1], highQuality: [95.6, 2.0], reverseKL: [0.07, 0.03] },
    PacGAN3: { modes: [7.8, 0.1], highQuality: [97.7, 0.3], reverseKL: [0.1, 0.02] },
    PacGAN4: { modes: [7.8, 0.1], highQuality: [95.9, 1.4], reverseKL: [0.07, 0.02] },
  },
  grid25: {
    GAN: { modes: [17.3, 0.8], highQuality: [94.8, 0.7], reverseKL: [0.7, 0.07] },
    ALI: { modes: [24.1, 0.4], highQuality: [95.7, 0.6], reverseKL: [0.14, 0.03] },
    PacGAN2: { modes: [23.8, 0.7], highQuality: [91.3, 0.8], reverseKL: [0.13, 0.04] },
    PacGAN3: { modes: [24.6, 0.4], highQuality: [94.2, 0.4], reverseKL: [0.06, 0.02] },
    PacGAN4: { modes: [24.8, 0.2], highQuality: [93.6, 0.6], reverseKL: [0.04, 0.01] },
  },
};

export interface ModesRun {
  variant: string;
  seed: number;
  modes: number;
  numModes: number;
  /** Fraction 0..1. */
  highQuality: number;
  reverseKL: number;
  /** Wall seconds of training and scoring. */
  seconds: number;
}

export interface Stat {
  mean: number;
  /** Standard error of the mean (the paper's spread); 0 with one seed. */
  se: number;
  min: number;
  max: number;
}

export interface ModesRow {
  variant: string;
  label: string;
  paperRow: string | null;
  /** Training steps of each run of the row. */
  steps: number;
  runs: ModesRun[];
  modes: Stat;
  highQuality: Stat;
  reverseKL: Stat;
  seconds: Stat;
}

export interface ModesBenchResult {
  bench: 'modes';
  task: ModesTask;
  /** The comparison rows' base preset. */
  base: string;
  /** The stabilized row's preset. */
  preset: string;
  seeds: number[];
  /** The comparison rows' training steps (each row has its own in `rows[i].steps`). */
  steps: number;
  samples: number;
  rows: ModesRow[];
  machine: { cpus: number; cpu_model: string; date: string };
}

export interface ModesBenchOptions {
  /** Which mixture. */
  task: ModesTask;
  /** Seeds 1..seeds (5). */
  seeds?: number;
  /** Variant names to run (default: all, in table order). */
  variants?: string[];
  /** Training steps instead of the preset's (for quick looks; the table is defined at the preset's). */
  steps?: number;
  /** Write each run's samples as a scatter PNG into this folder. */
  scatterDir?: string;
  /** Progress lines (run started, a quarter done, run finished). */
  onProgress?: (line: string) => void;
}

/** Checks names and numbers before any training; throws sentences naming the option. */
export function resolveModesVariants(names: string[] | undefined): ModesVariant[] {
  if (!names || names.length === 0) return [...MODES_VARIANTS];
  const known = MODES_VARIANTS.map((v) => v.name);
  const out: ModesVariant[] = [];
  for (const n of names) {
    const v = MODES_VARIANTS.find((x) => x.name === n);
    if (!v) throw new Error(`--variants: unknown variant '${n}' (variants: ${known.join(', ')})`);
    if (!out.includes(v)) out.push(v);
  }
  return out;
}

function checkOptions(o: ModesBenchOptions): void {
  if (!MODES_TASKS.includes(o.task))
    throw new Error(`--task must be one of ${MODES_TASKS.join(', ')}, got '${String(o.task)}'`);
  const s = o.seeds ?? 5;
  if (!Number.isInteger(s) || s < 1 || s > 100) throw new Error(`--seeds must be an integer from 1 to 100, got ${s}`);
  if (o.steps != null && !(Number.isInteger(o.steps) && o.steps >= 1))
    throw new Error(`--steps must be a positive integer, got ${o.steps}`);
}

function stat(xs: number[]): Stat {
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const sd = n > 1 ? Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) : 0;
  return { mean, se: sd / Math.sqrt(n), min: Math.min(...xs), max: Math.max(...xs) };
}

/** The config of one variant on one task and seed. */
export function modesRunConfig(task: ModesTask, variant: ModesVariant, seed: number, steps?: number) {
  const preset = variant.name === 'stabilized' ? MODES_PRESETS[task] : MODES_BASES[task];
  const base = getPreset(preset).config as Record<string, unknown>;
  const merged = mergeConfig(base, variant.config as Record<string, unknown>);
  const config = parseConfig(mergeConfig(merged, { seed, ...(steps != null ? { steps } : {}) }));
  // D judges packs of `pack` samples: the batch becomes the largest multiple of pack (256 -> 255 for 3).
  const pack = config.model.pack ?? 1;
  if (config.batchSize % pack !== 0) config.batchSize -= config.batchSize % pack;
  return config;
}

/**
 * Trains one variant at one seed in memory (no run folder) and scores 2,500 samples of its sampling
 * generator (the EMA copy when the config has one) on fixed latents.
 */
export async function runModesVariant(
  task: ModesTask,
  variant: ModesVariant,
  seed: number,
  opts: { steps?: number; scatterFile?: string; onQuarter?: (done: number, total: number) => void } = {},
): Promise<{ run: ModesRun; coverage: ModeCoverage }> {
  const config = modesRunConfig(task, variant, seed, opts.steps);
  const t0 = performance.now();
  const ds = makeToy2d(task, config.data.points, seed);
  const trainer = new Trainer({ config, dataset: ds });
  try {
    const quarter = Math.max(1, Math.floor(config.steps / 4));
    while (trainer.step < config.steps) {
      trainer.trainStep();
      if (trainer.step % quarter === 0 && trainer.step < config.steps) opts.onQuarter?.(trainer.step, config.steps);
      // Yield now and then so Ctrl-C and progress output get through.
      if (trainer.step % 250 === 0) await new Promise((r) => setImmediate(r));
    }
    const z = trainer.model.sampleLatent(PACGAN_EVAL_SAMPLES, new Rng((0x0de5 + seed) >>> 0)); // [2500, Z]
    const out = trainer.generate(z); // [2500, 2]
    const points = (await out.data()) as Float32Array;
    tf.dispose([z, out]);
    const coverage = modeCoverage(points, ds.modes, ds.sigma, { k: 3 });
    if (opts.scatterFile) {
      mkdirSync(path.dirname(opts.scatterFile), { recursive: true });
      writeScatterPng(
        opts.scatterFile,
        points,
        { model: `vanilla (${variant.name})`, seed },
        { modes: ds.modes, modeRadius: 3 * ds.sigma, size: 320 },
      );
    }
    const run: ModesRun = {
      variant: variant.name,
      seed,
      modes: coverage.modesCovered,
      numModes: coverage.numModes,
      highQuality: coverage.highQualityFraction,
      reverseKL: coverage.reverseKL,
      seconds: (performance.now() - t0) / 1000,
    };
    return { run, coverage };
  } finally {
    trainer.dispose();
  }
}

/** Trains every variant over seeds 1..n and returns the table. */
export async function benchModes(opts: ModesBenchOptions): Promise<ModesBenchResult> {
  checkOptions(opts);
  const variants = resolveModesVariants(opts.variants);
  const seeds = Array.from({ length: opts.seeds ?? 5 }, (_, i) => i + 1);
  const say = opts.onProgress ?? (() => {});
  const total = variants.length * seeds.length;
  const rows: ModesRow[] = [];
  let done = 0;
  const configKeys = new Map<string, string>(); // resolved config (seed 1) -> first variant with it
  for (const v of variants) {
    const runs: ModesRun[] = [];
    // A variant whose config equals an earlier one's (PacGAN4 is the stabilized preset when the
    // preset is PacGAN4 on the same networks) reuses its runs: same seeds, same results.
    const key = JSON.stringify(modesRunConfig(opts.task, v, 1, opts.steps));
    const same = configKeys.get(key);
    const earlier = same ? rows.find((r) => r.variant === same) : undefined;
    if (earlier) {
      say(`${opts.task} ${v.name}: the same config as ${same}, its ${seeds.length} runs reused`);
      runs.push(...earlier.runs.map((r) => ({ ...r, variant: v.name })));
      done += seeds.length;
    } else configKeys.set(key, v.name);
    for (const seed of earlier ? [] : seeds) {
      const tag = `[${done + 1}/${total}] ${opts.task} ${v.name} seed ${seed}`;
      say(`${tag}: training`);
      const scatterFile = opts.scatterDir
        ? path.join(opts.scatterDir, `${opts.task}-${v.name}-seed${seed}.png`)
        : undefined;
      const { run } = await runModesVariant(opts.task, v, seed, {
        steps: opts.steps,
        scatterFile,
        onQuarter: (s, n) => say(`${tag}: step ${s}/${n}`),
      });
      runs.push(run);
      done++;
      say(
        `${tag}: ${run.modes}/${run.numModes} modes, ${(100 * run.highQuality).toFixed(1)}% high quality, reverse KL ${run.reverseKL.toFixed(3)} (${run.seconds.toFixed(0)} s)`,
      );
    }
    rows.push({
      variant: v.name,
      label: v.label,
      paperRow: v.paperRow ?? null,
      steps: modesRunConfig(opts.task, v, 1, opts.steps).steps,
      runs,
      modes: stat(runs.map((r) => r.modes)),
      highQuality: stat(runs.map((r) => r.highQuality)),
      reverseKL: stat(runs.map((r) => r.reverseKL)),
      seconds: stat(runs.map((r) => r.seconds)),
    });
  }
  const steps = opts.steps ?? getPreset(MODES_BASES[opts.task]).config.steps ?? 0;
  return {
    bench: 'modes',
    task: opts.task,
    base: MODES_BASES[opts.task],
    preset: MODES_PRESETS[opts.task],
    seeds,
    steps,
    samples: PACGAN_EVAL_SAMPLES,
    rows,
    machine: { cpus: os.cpus().length, cpu_model: os.cpus()[0]?.model ?? 'unknown', date: new Date().toISOString() },
  };
}

function pm(s: Stat, digits: number, scale = 1): string {
  return `${(s.mean * scale).toFixed(digits)} ± ${(s.se * scale).toFixed(digits)}`;
}

function paperCell(p: PaperRow | undefined): string {
  if (!p) return '';
  return `${p.modes[0].toFixed(1)} ± ${p.modes[1].toFixed(1)}   ${p.highQuality[0].toFixed(1)} ± ${p.highQuality[1].toFixed(1)}%   ${p.reverseKL[0].toFixed(2)} ± ${p.reverseKL[1].toFixed(2)}`;
}

/** The table as text: tsgan's rows (mean ± s.e. over seeds) and the paper's counterpart beside. */
export function formatModesTable(r: ModesBenchResult): string {
  const m = r.rows[0]?.runs[0]?.numModes ?? (r.task === 'ring8' ? 8 : 25);
  const paper = PACGAN_TABLE[r.task];
  const head = `${'variant'.padEnd(22)}${`modes (of ${m})`.padStart(15)}${'high quality'.padStart(17)}${'reverse KL'.padStart(17)}${'s/run'.padStart(7)}   paper (Lin et al. 2018, Table 1)`;
  const lines = [
    `${r.task}: variants of ${r.base} (${r.steps} steps) and tsgan's preset ${r.preset}, seeds ${r.seeds.join(', ')}, ${r.samples} samples each; mean ± standard error over seeds`,
    head,
  ];
  const other = r.rows.filter((row) => row.steps !== r.steps);
  for (const row of r.rows) {
    lines.push(
      `${row.label.padEnd(22)}${pm(row.modes, 1).padStart(15)}${`${pm(row.highQuality, 1, 100)}%`.padStart(17)}${pm(row.reverseKL, 3).padStart(17)}${row.seconds.mean.toFixed(0).padStart(7)}   ${row.paperRow ? `${row.paperRow.padEnd(8)} ${paperCell(paper[row.paperRow])}` : ''}`,
    );
  }
  for (const row of other) lines.push(`(${row.label}: ${row.steps} steps)`);
  lines.push(`paper's other row: ALI ${paperCell(paper.ALI)} (mean ± s.e. over 10 trials)`);
  lines.push(`machine: ${r.machine.cpus} x ${r.machine.cpu_model}, ${r.machine.date.slice(0, 10)}`);
  return lines.join('\n');
}
