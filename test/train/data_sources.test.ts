import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import sharp from 'sharp';

import { train } from '../../src/index.js';
import { parseConfig } from '../../src/train/config.js';
import { loadDatasetFromConfig } from '../../src/train/data_source.js';

async function makeFolder(): Promise<string> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tsgan-folder-'));
  for (const [cls, color] of [
    ['red', { r: 220, g: 20, b: 20 }],
    ['blue', { r: 20, g: 20, b: 220 }],
  ] as const) {
    mkdirSync(path.join(dir, cls));
    for (let i = 0; i < 3; i++) {
      await sharp({ create: { width: 40 + i * 7, height: 36, channels: 3, background: color } })
        .png()
        .toFile(path.join(dir, cls, `${i}.png`));
    }
  }
  return dir;
}

test('a folder of images trains from the config: labels from sub-folders, resized to data.size', async () => {
  const dir = await makeFolder();
  const warnings: string[] = [];
  const ds = await loadDatasetFromConfig(
    parseConfig({ data: { source: 'folder', path: dir, size: 32 } }).data,
    1,
    (m) => warnings.push(m),
  );
  assert.equal(ds.kind, 'image');
  if (ds.kind !== 'image') return;
  assert.equal(ds.n, 6);
  assert.deepEqual([ds.height, ds.width, ds.channels], [32, 32, 3]);
  assert.equal(ds.numClasses, 2);
  const runDir = mkdtempSync(path.join(os.tmpdir(), 'tsgan-folder-run-'));
  const r = await train({
    config: {
      model: { family: 'dcgan', width: 8 },
      data: { source: 'folder', path: dir, size: 32 },
      steps: 2,
      batchSize: 4,
    },
    runDir,
    progress: 'none',
    warn: () => {},
  });
  assert.equal(r.step, 2);
});

test('a corrupt image is an error naming the file by default, and skipped with data.skipCorrupt', async () => {
  const dir = await makeFolder();
  const bad = path.join(dir, 'red', 'broken.png');
  writeFileSync(bad, Buffer.from('not a png at all'));
  await assert.rejects(
    loadDatasetFromConfig(parseConfig({ data: { source: 'folder', path: dir, size: 28 } }).data, 1),
    /broken\.png/,
  );
  const warnings: string[] = [];
  const ds = await loadDatasetFromConfig(
    parseConfig({ data: { source: 'folder', path: dir, size: 28, skipCorrupt: true } }).data,
    1,
    (m) => warnings.push(m),
  );
  assert.equal(ds.n, 6);
  assert.ok(
    warnings.some((w) => w.includes('broken.png')),
    'a warning names the skipped file',
  );
});

test('folder and idx sources without data.path give a clear error; shapes needs none', async () => {
  await assert.rejects(loadDatasetFromConfig(parseConfig({ data: { source: 'folder' } }).data, 1), /needs data\.path/);
  await assert.rejects(loadDatasetFromConfig(parseConfig({ data: { source: 'idx' } }).data, 1), /needs data\.path/);
  const shapes = await loadDatasetFromConfig(parseConfig({ data: { source: 'shapes', limit: 12, size: 16 } }).data, 3);
  assert.equal(shapes.n, 12);
  if (shapes.kind === 'image') assert.deepEqual([shapes.height, shapes.channels], [16, 3]);
});
