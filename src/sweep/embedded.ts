// The default executor: each segment in a fresh child process on this machine (no server). Worker
// processes split the cores (TSGAN_NUM_THREADS = cores / workers, unless set). A child that dies
// without an outcome (killed, out of memory) is started again up to `attempts` times: the segment
// resumes from the trial's last checkpoint.
import { fork } from 'node:child_process';
import os from 'node:os';

import { childExecArgv, type Executor, siblingModule } from './executor.js';
import { type SegmentOutcome, SegmentInterrupted, type SegmentTask } from './segment.js';

export interface EmbeddedOptions {
  /** Worker processes (default 2, at most the core count). */
  workers?: number;
  /** The tensor backend of the workers (default native). */
  backend?: string;
  /** Starts per segment when a worker process dies (default 3). */
  attempts?: number;
  /** Where notes go. */
  log?: (line: string) => void;
}

type ChildMessage =
  | { type: 'progress'; step: number; total: number }
  | { type: 'outcome'; outcome: SegmentOutcome }
  | { type: 'error'; message: string; interrupted?: boolean };

export function embeddedExecutor(opts: EmbeddedOptions = {}): Executor {
  const cores = os.availableParallelism();
  const capacity = Math.max(1, opts.workers ?? Math.min(2, cores));
  const threads = process.env.TSGAN_NUM_THREADS ?? String(Math.max(1, Math.floor(cores / capacity)));
  const children = new Set<ReturnType<typeof fork>>();
  const once = (task: SegmentTask, onProgress: (s: number, t: number) => void) =>
    new Promise<SegmentOutcome>((resolve, reject) => {
      const child = fork(siblingModule('child'), [], {
        execArgv: childExecArgv(),
        env: { ...process.env, TSGAN_NUM_THREADS: threads, TSGAN_QUIET: '1' },
        stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      });
      children.add(child);
      let settled = false;
      child.on('message', (m: ChildMessage) => {
        if (m.type === 'progress') onProgress(m.step, m.total);
        else if (m.type === 'outcome') {
          settled = true;
          resolve(m.outcome);
        } else {
          settled = true;
          reject(m.interrupted ? new SegmentInterrupted(m.message) : new Error(m.message));
        }
      });
      child.on('exit', (code, signal) => {
        children.delete(child);
        if (!settled)
          reject(new WorkerDied(`worker process exited (${signal ?? `code ${code}`}) during trial ${task.trialId}`));
      });
      child.send({ task, backend: opts.backend });
    });
  return {
    capacity,
    async run(task, onProgress) {
      const attempts = opts.attempts ?? 3;
      for (let i = 1; ; i++) {
        try {
          return await once(task, onProgress);
        } catch (e) {
          if (e instanceof SegmentInterrupted) throw e;
          if (!(e instanceof WorkerDied) || i >= attempts) {
            return { ok: false, failure: { trialId: task.trialId, error: (e as Error).message, step: task.until } };
          }
          opts.log?.(
            `${(e as Error).message}; starting it again (attempt ${i + 1} of ${attempts}) from its last checkpoint`,
          );
        }
      }
    },
    interrupt() {
      for (const c of children) c.kill('SIGTERM');
    },
    async close() {
      for (const c of children) c.kill('SIGTERM');
    },
  };
}

class WorkerDied extends Error {}
