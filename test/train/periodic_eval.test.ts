import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { train } from '../../src/index.js';

test('evalEvery writes the chosen metrics into metrics.jsonl at those steps only', async () => {
  const runDir = mkdtempSync(path.join(os.tmpdir(), 'tsgan-eval-'));
  await train({
    config: {
      model: { family: 'dcgan', width: 8 },
      data: { source: 'fashion-mnist', limit: 256 },
      steps: 4,
      batchSize: 8,
      logEvery: 1,
      evalEvery: 2,
      evalN: 64,
      evalMetrics: 'fid-fmnist,is-fmnist',
      sampleEvery: 4,
      checkpointEvery: 4,
    },
    runDir,
    progress: 'none',
    warn: () => {},
  });
  const lines = readFileSync(path.join(runDir, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.deepEqual(
    lines.map((l) => l.step),
    [1, 2, 3, 4],
  );
  for (const l of lines) {
    const evaluated = (l.step as number) % 2 === 0;
    assert.equal('fid-fmnist' in l, evaluated, `step ${l.step}: fid-fmnist ${evaluated ? 'missing' : 'unexpected'}`);
    if (evaluated) {
      assert.ok(Number.isFinite(l['fid-fmnist']) && (l['fid-fmnist'] as number) > 0, `fid ${l['fid-fmnist']}`);
      const isKey = Object.keys(l).find((k) => k.startsWith('is-fmnist'));
      assert.ok(isKey != null && Number.isFinite(l[isKey]), 'an is-fmnist figure');
    }
  }
});

test('evalMetrics with an unknown metric is an error before training starts', async () => {
  const runDir = mkdtempSync(path.join(os.tmpdir(), 'tsgan-eval-bad-'));
  await assert.rejects(
    train({
      config: {
        model: { family: 'dcgan', width: 8 },
        data: { source: 'fashion-mnist', limit: 64 },
        steps: 2,
        batchSize: 8,
        evalEvery: 2,
        evalMetrics: 'fid-fmnst',
      },
      runDir,
      progress: 'none',
      warn: () => {},
    }),
    /fid-fmnst/,
  );
});
