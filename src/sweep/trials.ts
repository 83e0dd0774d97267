// A sweep's trials: the configs a spec expands to (grid or random draws), their deterministic ids
// (a hash of the resolved config), and what each trial folder holds:
//   SWEEP/sweep.json                   the spec and the trial list (written by `tsgan sweep`)
//   SWEEP/trials/<id>/                 the trial's run folder (train(): config.json, metrics.jsonl, checkpoints/...)
//   SWEEP/trials/<id>/trial.json       the trial's id, varied fields and config overrides
//   SWEEP/trials/<id>/rung-<step>.json the metric after training to that step (one per rung reached)
//   SWEEP/trials/<id>/failed.json      the error that ended the trial, if one did
// Re-running a sweep reads these: a trial with a rung file is not trained to that step again.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { writeFileAtomic } from '../io/files.js';
import { ConfigError, mergeConfigLayers, parseConfig, setPath, type TrainConfig } from '../train/config.js';
import { getPreset } from '../train/presets.js';
import { Rng } from '../train/rng.js';
import { type Range, type SweepSpec, SweepSpecError } from './spec.js';

/** One trial of a sweep: its id, the fields it varies, and what train() gets. */
export interface TrialPlan {
  /** 12 hex digits of the SHA-256 of the resolved config (runsDir and name left out). */
  id: string;
  /** The varied fields' values, by dotted key. */
  params: Record<string, unknown>;
  /** Config fields over the preset: the spec's config, the varied fields and the steps. */
  overrides: Record<string, unknown>;
  /** The resolved, validated config. */
  config: TrainConfig;
}

/** What a trial reached at one rung. */
export interface RungResult {
  trialId: string;
  /** Steps trained. */
  step: number;
  /** The metric at that step (null: not finite, or not computable). */
  value: number | null;
  /** Why the value is null, when it is. */
  note?: string;
  /** Seconds this segment took (training and evaluation). */
  seconds: number;
  /** The checkpoint step the segment resumed from (null: it started the trial). */
  resumedFrom: number | null;
}

/** A trial that ended with an error. */
export interface TrialFailure {
  trialId: string;
  error: string;
  /** The step the failed segment was training toward. */
  step: number;
}

/** Every combination of the lists (grid), or `samples` draws (random), in a fixed order. */
export function expandParams(spec: SweepSpec): Record<string, unknown>[] {
  const keys = Object.keys(spec.vary).sort();
  if (keys.length === 0) return [{}];
  if (spec.search === 'grid') {
    let out: Record<string, unknown>[] = [{}];
    for (const k of keys) {
      const values = spec.vary[k] as unknown[];
      out = out.flatMap((p) => values.map((v) => ({ ...p, [k]: v })));
    }
    return out;
  }
  const rng = new Rng(spec.seed);
  return Array.from({ length: spec.samples }, () => {
    const p: Record<string, unknown> = {};
    for (const k of keys) {
      const v = spec.vary[k]!;
      p[k] = Array.isArray(v) ? v[rng.int(v.length)] : drawRange(v, rng.uniform());
    }
    return p;
  });
}

function drawRange(r: Range, u: number): number {
  const x = r.log ? Math.exp(Math.log(r.min) + u * (Math.log(r.max) - Math.log(r.min))) : r.min + u * (r.max - r.min);
  // Four significant digits: readable in the leaderboard, and the same on every machine.
  return r.int ? Math.round(x) : Number(x.toPrecision(4));
}

/** JSON with object keys sorted (the same bytes for the same config). */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .filter((k) => o[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/** A trial's id: the hash of its preset and resolved config (where it is written is not part of it). */
export function trialId(preset: string | undefined, config: TrainConfig): string {
  const { runsDir: _r, name: _n, ...rest } = config;
  return createHash('sha256')
    .update(canonicalJson({ preset: preset ?? null, config: rest }))
    .digest('hex')
    .slice(0, 12);
}

/** The spec's trials (duplicates, as two equal random draws, once), each config validated. */
export function planTrials(spec: SweepSpec): TrialPlan[] {
  const base = spec.preset ? (getPreset(spec.preset).config as Record<string, unknown>) : {};
  const seen = new Set<string>();
  const out: TrialPlan[] = [];
  for (const params of expandParams(spec)) {
    const varied: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(params)) setPath(varied, k, v);
    const overrides = mergeConfigLayers([spec.config, varied]);
    if (spec.steps !== undefined) overrides.steps = spec.steps;
    let config: TrainConfig;
    try {
      config = parseConfig(mergeConfigLayers([base, overrides]));
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      const which = Object.keys(params).length ? ` (trial ${canonicalJson(params)})` : '';
      throw new SweepSpecError(`${e.message.replace(/^invalid training config/, `invalid trial config${which}`)}`);
    }
    const id = trialId(spec.preset, config);
    if (seen.has(id)) continue;
    seen.add(id);
    out.push({ id, params, overrides, config });
  }
  return out;
}

/**
 * The rungs' step counts: minSteps * eta^k below the full budget, then the budget itself; each
 * rounded up to a multiple of the trials' logEvery (a loss metric is read from that step's log line).
 * Without ASHA, one rung: the budget.
 */
export function rungSteps(spec: SweepSpec, steps: number, logEvery: number): number[] {
  if (!spec.asha) return [steps];
  const out: number[] = [];
  for (let r = spec.asha.minSteps; r < steps; r *= spec.asha.eta) {
    const s = Math.min(steps, Math.ceil(r / logEvery) * logEvery);
    if (s < steps && !out.includes(s)) out.push(s);
  }
  out.push(steps);
  return out;
}

export const trialDir = (sweepDir: string, id: string) => path.join(sweepDir, 'trials', id);

const writeJson = (file: string, v: unknown) => writeFileAtomic(file, Buffer.from(`${JSON.stringify(v, null, 2)}\n`));

export function writeTrialInfo(sweepDir: string, t: TrialPlan): void {
  const file = path.join(trialDir(sweepDir, t.id), 'trial.json');
  if (!existsSync(file)) writeJson(file, { id: t.id, params: t.params, overrides: t.overrides });
}

export function writeRungResult(sweepDir: string, r: RungResult): void {
  writeJson(path.join(trialDir(sweepDir, r.trialId), `rung-${r.step}.json`), r);
}

export function writeTrialFailure(sweepDir: string, f: TrialFailure): void {
  writeJson(path.join(trialDir(sweepDir, f.trialId), 'failed.json'), f);
}

/** What a trial folder says the trial has reached: its rung results and its failure, if any. */
export function readTrialState(sweepDir: string, id: string): { rungs: RungResult[]; failure: TrialFailure | null } {
  const dir = trialDir(sweepDir, id);
  if (!existsSync(dir)) return { rungs: [], failure: null };
  const rungs: RungResult[] = [];
  let failure: TrialFailure | null = null;
  for (const f of readdirSync(dir)) {
    try {
      if (/^rung-\d+\.json$/.test(f)) rungs.push(JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as RungResult);
      else if (f === 'failed.json') failure = JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as TrialFailure;
    } catch {
      // A file cut by a crash (they are written atomically, so only by hand): the rung is run again.
    }
  }
  rungs.sort((a, b) => a.step - b.step);
  return { rungs, failure };
}
