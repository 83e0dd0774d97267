// The progress display's log lines: both losses for an adversarial model, lossG alone for a model
// without a D phase (pix2pix's L1-only baseline printed "lossD undefined" before).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { TrainEvents } from '../../src/train/events.js';
import { attachProgress } from '../../src/train/progress.js';

function linesFor(records: { lossD?: number; lossG: number }[]): string[] {
  const events = new TrainEvents();
  let text = '';
  const out = {
    write: (s: string) => {
      text += s;
      return true;
    },
    isTTY: false,
  } as unknown as NodeJS.WriteStream;
  const off = attachProgress(events, { mode: 'lines', totalSteps: 200, startStep: 0, out });
  for (const [i, r] of records.entries()) {
    events.emit('log', { step: (i + 1) * 100, elapsed: i + 1, imgPerSec: 40, lrG: 2e-4, lrD: 2e-4, ...r } as never);
  }
  off();
  return text.trim().split('\n');
}

test('progress lines: lossD and lossG for a GAN, lossG alone when the model has no D phase', () => {
  const gan = linesFor([{ lossD: 0.5, lossG: 1.25 }]);
  assert.match(gan[0]!, /^step 100\/200 lossD 0\.500 lossG 1\.250 40 img\/s ETA \d+s$/);
  const l1 = linesFor([{ lossG: 0.283 }, { lossG: 0.279 }]);
  assert.equal(l1.length, 2);
  for (const l of l1) assert.doesNotMatch(l, /undefined|lossD/);
  assert.match(l1[1]!, /^step 200\/200 lossG 0\.279 40 img\/s ETA 0s$/);
});
