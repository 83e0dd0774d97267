// `tsgan report`: the HTML built from a synthetic run folder is self-contained (Chart.js inlined,
// images as data URIs), holds every curve, the health events (escaped) and the config.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { buildRunReport } from '../../src/cli/commands/report.js';

test('report: curves, grids, health events and config in one self-contained HTML file', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tsgan-report-'));
  try {
    writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ preset: 'dcgan-fmnist', config: { lrG: 2e-4 } }));
    const lines = Array.from({ length: 30 }, (_, i) =>
      JSON.stringify({
        step: i * 10,
        lossG: 1 + i / 30,
        lossD: 1.3,
        dReal: 0.5,
        gradNormG: 2,
        'fid-fmnist': i % 10 === 0 ? 50 - i : undefined,
        imgPerSec: 300,
      }),
    );
    writeFileSync(path.join(dir, 'metrics.jsonl'), `${lines.join('\n')}\n{"step": 300, "lossG"`); // last line cut by a crash
    writeFileSync(
      path.join(dir, 'health.jsonl'),
      `${JSON.stringify({
        kind: 'divergence',
        step: 120,
        severity: 'critical',
        message: 'lossG <script>alert(1)</script> ran away',
        remedy: { action: 'rollback', lrFactor: 0.5 },
      })}\n`,
    );
    mkdirSync(path.join(dir, 'samples'));
    // A 1x1 PNG.
    const png = Buffer.from(
      '89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
        '1f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4c50000000049454e44ae426082',
      'hex',
    );
    for (let s = 0; s < 20; s++)
      writeFileSync(path.join(dir, 'samples', `step-${String(s * 100).padStart(7, '0')}.png`), png);
    const html = buildRunReport(dir, { maxGrids: 5 });
    assert.match(html, /^<!doctype html>/);
    assert.ok(html.includes('new Chart('), 'Chart.js code is used');
    assert.ok(/Chart\.js v4/.test(html) || html.length > 150_000, 'Chart.js is inlined');
    assert.ok(!/<script[^>]+src=/.test(html), 'no external scripts');
    assert.equal((html.match(/data:image\/png;base64,/g) ?? []).length, 5);
    assert.ok(html.includes('step 1900') && html.includes('step 0<'), 'first and last grids kept');
    for (const k of ['"lossG"', '"lossD"', '"dReal"', '"gradNormG"', '"fid-fmnist"', '"imgPerSec"'])
      assert.ok(html.includes(k), `series ${k}`);
    assert.ok(html.includes('lossG &lt;script&gt;alert(1)&lt;/script&gt; ran away'), 'event messages are escaped');
    assert.ok(html.includes('dcgan-fmnist'));
    assert.throws(() => buildRunReport(path.join(dir, 'nope')), /no such run folder/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
