// The runs the studio shows: each RUN_DIR given is a run folder (it has config.json) or a folder of
// runs (its sub-folders with config.json). Reads what a run folder holds (config.json, the last
// lines of metrics.jsonl, health.jsonl, samples/) without loading any model.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** What the runs list shows of one run. */
export interface RunSummary {
  id: string;
  name: string;
  path: string;
  preset: string | null;
  family: string | null;
  dataset: string | null;
  /** 'live': training in this studio; 'running': another process holds its lock; else 'stopped'. */
  status: 'live' | 'running' | 'stopped' | 'new';
  step: number;
  totalSteps: number | null;
  /** The numeric fields of the last metrics.jsonl record. */
  last: Record<string, number>;
  samples: number;
  checkpoints: number;
  exported: boolean;
}

/** True when `dir` holds a run (config.json). */
export function isRunFolder(dir: string): boolean {
  return existsSync(path.join(dir, 'config.json'));
}

/** The run folders under the given roots (a root is a run, or holds runs one level down), sorted by name. */
export function discoverRuns(roots: string[]): string[] {
  const out = new Set<string>();
  for (const r of roots) {
    const abs = path.resolve(r);
    if (!existsSync(abs) || !statSync(abs).isDirectory()) continue;
    if (isRunFolder(abs)) {
      out.add(abs);
      continue;
    }
    for (const name of readdirSync(abs).sort()) {
      const sub = path.join(abs, name);
      try {
        if (statSync(sub).isDirectory() && isRunFolder(sub)) out.add(sub);
      } catch {
        // vanished between readdir and stat
      }
    }
  }
  return [...out];
}

/** Every JSON line of a file that parses (a line being written is skipped). */
export function readJsonl(file: string): Record<string, unknown>[] {
  if (!existsSync(file)) return [];
  const rows: Record<string, unknown>[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      rows.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      // partial last line
    }
  }
  return rows;
}

function numericFields(r: Record<string, unknown> | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(r ?? {})) if (typeof v === 'number' && Number.isFinite(v)) out[k] = v;
  return out;
}

/** The pid in a run's lock file when that process is alive. */
function lockHolder(dir: string): number | null {
  const f = path.join(dir, 'tsgan.lock');
  if (!existsSync(f)) return null;
  const pid = Number.parseInt(readFileSync(f, 'utf8'), 10);
  if (!Number.isInteger(pid) || pid <= 0) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return null;
  }
}

export function listSampleFiles(dir: string): string[] {
  const s = path.join(dir, 'samples');
  return existsSync(s)
    ? readdirSync(s)
        .filter((f) => /^step-\d+\.png$/.test(f))
        .sort()
    : [];
}

/** A run's summary (live: the studio trains it now). */
export function summarizeRun(id: string, dir: string, live: boolean): RunSummary {
  let cfg: { preset?: string | null; config?: { steps?: number; model?: { family?: string } }; dataset?: string } = {};
  try {
    cfg = JSON.parse(readFileSync(path.join(dir, 'config.json'), 'utf8'));
  } catch {
    // a run being created
  }
  const metrics = readJsonl(path.join(dir, 'metrics.jsonl')).filter((r) => typeof r.lossD === 'number');
  const last = metrics.at(-1);
  const ck = path.join(dir, 'checkpoints');
  return {
    id,
    name: path.basename(dir),
    path: dir,
    preset: cfg.preset ?? null,
    family: cfg.config?.model?.family ?? null,
    dataset: cfg.dataset ?? null,
    status: live ? 'live' : lockHolder(dir) != null ? 'running' : cfg.config ? 'stopped' : 'new',
    step: typeof last?.step === 'number' ? last.step : 0,
    totalSteps: cfg.config?.steps ?? null,
    last: numericFields(last),
    samples: listSampleFiles(dir).length,
    checkpoints: existsSync(ck) ? readdirSync(ck).filter((f) => f.endsWith('.ckpt')).length : 0,
    exported: existsSync(path.join(dir, 'export', 'manifest.json')),
  };
}
