// The run folder's guards: a lock file naming the process that trains in it (two processes in one
// folder would interleave their metrics and checkpoints), the refusal to start a new run over an
// existing one unless asked to, and the trimming of metrics.jsonl / health.jsonl to the step of the
// checkpoint a run resumes from (lines written after it, before a crash, would be repeated).
import {
  existsSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const LOCK_FILE = 'tsgan.lock';

export class RunFolderError extends Error {
  override name = 'RunFolderError';
}

/** What a lock file holds. */
interface LockInfo {
  pid: number;
  host: string;
  /** When the owning process started (ms since the epoch): tells a live owner from a reused pid. */
  processStart: number;
  /** When the lock was taken, ISO 8601. */
  since: string;
}

/** The fields of /proc/PID/stat after the command name (state first), or null where there is none. */
function procStat(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** Start time (ms since the epoch) of a process, from /proc on Linux; null where it cannot be read. */
function processStartMs(pid: number): number | null {
  try {
    const fields = procStat(pid);
    if (!fields) return null;
    // Field 22 of stat: starttime, in clock ticks after boot.
    const ticks = Number(fields[19]);
    const btime = /^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'));
    if (!Number.isFinite(ticks) || !btime) return null;
    return Number(btime[1]) * 1000 + ticks * 10; // USER_HZ is 100 on every Linux ABI
  } catch {
    return null;
  }
}

/** This process's start time, as recorded in its locks. */
function ownStart(): number {
  return processStartMs(process.pid) ?? Math.round(Date.now() - process.uptime() * 1000);
}

/** Whether the process a lock names is still running (true when that cannot be told: another host). */
function lockOwnerAlive(info: LockInfo): boolean {
  if (info.host !== os.hostname()) return true;
  if (!Number.isInteger(info.pid) || info.pid <= 0) return false;
  try {
    process.kill(info.pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  // A zombie (killed, not yet reaped by its parent) is gone for our purpose.
  if (procStat(info.pid)?.[0] === 'Z') return false;
  // The pid is in use: by the owner, or by a later process that got the same number.
  const start = info.pid === process.pid ? ownStart() : processStartMs(info.pid);
  return start == null || !Number.isFinite(info.processStart) || Math.abs(start - info.processStart) < 2000;
}

function readLock(file: string): LockInfo | null {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as LockInfo;
  } catch {
    return null; // half-written or unreadable: treated as stale
  }
}

/**
 * Takes the run folder's lock (RUN/tsgan.lock, with this process's pid); returns its release
 * function. A lock held by a live process is an error naming it; a stale one (its process is gone)
 * is replaced with a warning. The lock is also released if the process exits without returning.
 */
export function acquireRunLock(runDir: string, warn: (m: string) => void): () => void {
  const file = path.join(runDir, LOCK_FILE);
  const mine: LockInfo = {
    pid: process.pid,
    host: os.hostname(),
    processStart: ownStart(),
    since: new Date().toISOString(),
  };
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(file, `${JSON.stringify(mine)}\n`, { flag: 'wx' });
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 2) throw e;
    }
    const held = readLock(file);
    if (held && lockOwnerAlive(held)) {
      const who =
        held.pid === process.pid && held.host === os.hostname()
          ? 'this process (another train() call)'
          : `process ${held.pid} on ${held.host}`;
      throw new RunFolderError(
        `run folder ${runDir} is in use by ${who} since ${held.since}; wait for it to finish or stop it ` +
          `(if no tsgan process is using the folder, delete ${file})`,
      );
    }
    warn(
      `removing the stale lock ${file}${held ? ` (process ${held.pid} on ${held.host} is no longer running)` : ' (unreadable)'}`,
    );
    // Renamed before deletion, so two processes that both found it stale do not delete each other's new lock.
    const aside = `${file}.stale-${process.pid}`;
    try {
      renameSync(file, aside);
      unlinkSync(aside);
    } catch {
      // another process removed it first
    }
  }
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.off('exit', release);
    const held = readLock(file);
    if (held && held.pid === mine.pid && held.since === mine.since) {
      try {
        unlinkSync(file);
      } catch {
        // already gone
      }
    }
  };
  process.on('exit', release);
  return release;
}

/** The files a run writes in its folder (what makes a folder "an existing run"). */
function runContents(runDir: string): string[] {
  const found: string[] = [];
  for (const f of ['config.json', 'metrics.jsonl', 'health.jsonl']) if (existsSync(path.join(runDir, f))) found.push(f);
  const ck = path.join(runDir, 'checkpoints');
  if (existsSync(ck) && statSync(ck).isDirectory()) {
    const n = readdirSync(ck).filter((f) => /^step-\d+\.ckpt$/.test(f)).length;
    if (n > 0) found.push(`${n} checkpoint${n === 1 ? '' : 's'}`);
  }
  return found;
}

/**
 * Before a new run starts in `runDir`: refuses a folder that holds a run (config.json, metrics,
 * checkpoints) unless `overwrite`, in which case that run's files are deleted first.
 */
export function prepareNewRunFolder(runDir: string, overwrite: boolean): void {
  if (existsSync(runDir) && !statSync(runDir).isDirectory())
    throw new RunFolderError(`run folder ${runDir} is a file, not a folder`);
  const found = runContents(runDir);
  if (found.length === 0) return;
  if (!overwrite) {
    throw new RunFolderError(
      `run folder ${runDir} already holds a run (${found.join(', ')}): continue it with --resume ${runDir}, ` +
        'choose another --run-dir, or pass --overwrite to replace it',
    );
  }
  for (const f of ['config.json', 'metrics.jsonl', 'health.jsonl']) rmSync(path.join(runDir, f), { force: true });
  for (const sub of ['checkpoints', 'samples']) {
    const dir = path.join(runDir, sub);
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir))
      if (/^step-\d+(\.ckpt(\.tmp-\d+)?|\.png)$/.test(f)) rmSync(path.join(dir, f), { force: true });
  }
}

/**
 * Keeps only the lines of a JSON-lines file whose `step` is at most `step` (and drops lines cut short
 * by a crash); rewritten through a temp file and a rename. Returns how many lines were dropped.
 */
export function truncateJsonlToStep(file: string, step: number): number {
  if (!existsSync(file)) return 0;
  const lines = readFileSync(file, 'utf8').split('\n');
  const kept: string[] = [];
  let dropped = 0;
  for (const line of lines) {
    if (!line.trim()) continue;
    let s: unknown;
    try {
      s = (JSON.parse(line) as { step?: unknown }).step;
    } catch {
      dropped++;
      continue;
    }
    if (typeof s === 'number' && s > step) dropped++;
    else kept.push(line);
  }
  if (dropped > 0) {
    const tmp = `${file}.tmp-${process.pid}`;
    writeFileSync(tmp, kept.length ? `${kept.join('\n')}\n` : '');
    renameSync(tmp, file);
  }
  return dropped;
}
