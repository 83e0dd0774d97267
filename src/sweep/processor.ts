// BullMQ's sandboxed processor for sweep segments: BullMQ forks a child process that imports this
// file and calls its default export with each job (src/sweep/queue.ts). Training runs here, so the
// worker's own process keeps renewing the job's lock. The child ends with its worker.
import '../index.js';

import type { SandboxedJob } from 'bullmq';

import { runSegment, type SegmentOutcome, type SegmentTask } from './segment.js';

process.on('disconnect', () => process.exit(1));

export default async function processSegment(job: SandboxedJob<SegmentTask, SegmentOutcome>): Promise<SegmentOutcome> {
  return runSegment(
    job.data,
    (step, total) => {
      void job.updateProgress({ step, total });
    },
    // This worker holds the job: a lock another machine left in the trial folder is stale.
    { takeOverForeignLock: true },
  );
}
