// An embedded sweep worker: a child process that runs one segment it gets over IPC, reports progress
// and its outcome, and exits. It ends with its parent (a killed sweep leaves no trainer behind).
import '../index.js';

import { useBackend } from '../backend/select.js';
import { runSegment, SegmentInterrupted, type SegmentTask } from './segment.js';

process.on('disconnect', () => process.exit(1));
process.once('message', (msg: { task: SegmentTask; backend?: string }) => {
  const send = (m: unknown) => new Promise<void>((res) => process.send?.(m, () => res()));
  void (async () => {
    try {
      await useBackend(msg.backend ?? 'native');
      const outcome = await runSegment(msg.task, (step, total) => void send({ type: 'progress', step, total }));
      await send({ type: 'outcome', outcome });
      process.exit(0);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      await send({ type: 'error', message, interrupted: e instanceof SegmentInterrupted });
      process.exit(1);
    }
  })();
});
