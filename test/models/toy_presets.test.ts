// The stabilized ring preset (vanilla-ring8-pacgan2) keeps its mode coverage (PacGAN protocol: 2,500 samples, high quality
// within 3 sigma of a mode): one seed, trained in memory exactly as `tsgan bench modes` trains its
// 'stabilized' row. The 5-seed means are benchmarks (BENCHMARKS.md, "Mode collapse"), not tests;
// this catches a regression of the preset or of the code under it. grid25 has no such test yet: its
// best preset, vanilla-grid25-r1, covers 25/25 modes but with 87.7% high-quality samples at seed 1
// (below this test's 90%), and one of its runs is estimated at 1-2 minutes on an idle machine.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import '../../src/index.js';
import { MODES_VARIANTS, runModesVariant } from '../../src/bench/modes.js';

const stabilized = MODES_VARIANTS.find((v) => v.name === 'stabilized')!;

test('vanilla-ring8-pacgan2, seed 1: >= 7/8 modes with >= 90% high-quality samples', async () => {
  const { run, coverage } = await runModesVariant('ring8', stabilized, 1);
  const detail = `high-quality samples per mode: ${coverage.highQualityPerMode.join(', ')}`;
  assert.ok(run.modes >= 7, `${run.modes}/${run.numModes} modes (${detail})`);
  assert.ok(run.highQuality >= 0.9, `${(100 * run.highQuality).toFixed(1)}% high quality (${detail})`);
});
