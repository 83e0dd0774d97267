// Where a sweep's segments run: worker processes on this machine (embedded.ts, the default) or
// BullMQ jobs on a Redis server that `tsgan worker` processes anywhere take (queue.ts).
import { fileURLToPath } from 'node:url';
import path from 'node:path';

import type { SegmentOutcome, SegmentTask } from './segment.js';

export interface Executor {
  /** Segments that may run at once. */
  readonly capacity: number;
  /** Runs one segment; resolves with its outcome (a trial's own error is a failure outcome). */
  run(task: SegmentTask, onProgress: (step: number, total: number) => void): Promise<SegmentOutcome>;
  /** Asks running segments to save a checkpoint and stop (they then reject with SegmentInterrupted). */
  interrupt?(): void;
  /** Releases processes and connections. */
  close(): Promise<void>;
}

/** A module next to this one, as this process loads modules (.js from dist/, .ts from the sources under tsx). */
export function siblingModule(name: string): string {
  const here = fileURLToPath(import.meta.url);
  return path.join(path.dirname(here), `${name}${path.extname(here)}`);
}

/** This process's node flags a child needs to load the same modules (tsx's loader), less the test runner's and inspector's. */
export function childExecArgv(): string[] {
  return process.execArgv.filter((a) => !/^--(test|inspect|watch)/.test(a));
}
