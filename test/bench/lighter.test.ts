// `tsgan bench lighter --browser`: the quantized exports of a tiny conditional generator run in headless
// Chromium on the cpu and webgl backends and draw the same images as in Node (labels fed too); the
// weight files shrink about 2x (float16) and 4x (uint8); an unknown backend is one sentence.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';

import { benchLighter, formatLighter } from '../../src/bench/lighter.js';
import { findBrowser } from '../helpers/browser.js';
import { tinyRun } from '../helpers/tiny_runs.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'tsgan-lighter-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

test('bench lighter: float16 / uint8 exports in Chromium (cpu, webgl) match Node; sizes shrink', async (t) => {
  const b = await findBrowser();
  if ('skip' in b) return t.skip(b.skip);
  const run = await tinyRun('cgan', tmp); // a label input besides the latent
  const rows = await benchLighter(run, [], {
    reps: 1,
    browser: ['cpu', 'webgl'],
    browserReps: 1,
    batch: 8,
    chromium: b.path,
  });
  assert.deepEqual(
    rows.map((r) => r.variant),
    ['float32', 'float16', 'uint8'],
  );
  const [f32, f16, u8] = rows;
  assert.ok(f16!.weightBytes < 0.6 * f32!.weightBytes && u8!.weightBytes < 0.35 * f32!.weightBytes);
  for (const r of rows) {
    assert.deepEqual(
      (r.browser ?? []).map((x) => x.backend),
      ['cpu', 'webgl'],
      `${r.variant}: timed on both backends`,
    );
    for (const x of r.browser!) {
      assert.equal(x.actual, x.backend, `${r.variant} ran on ${x.actual}, not ${x.backend}`);
      assert.ok(x.medianMs > 0 && Number.isFinite(x.firstMs));
      // The same generator as in Node: cpu exactly up to float rounding, webgl within its float precision.
      assert.ok(
        x.maxDiffVsNode < (x.backend === 'cpu' ? 1e-5 : 1e-2),
        `${r.variant} on ${x.backend}: ${x.maxDiffVsNode}`,
      );
    }
  }
  assert.match(formatLighter(rows, 8), /in Chromium/);
  await assert.rejects(
    benchLighter(run, [], { reps: 1, browser: ['gpu'] }),
    /unknown backend 'gpu' \(the page has: cpu, webgl\)/,
  );
});
