import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { isLabelledSynthetic, readPngText } from '../../src/io/png.js';
import { scatterPlot, writeScatterPng } from '../../src/io/scatter.js';

test('scatter plot: points land where they should (y up), modes drawn as red rings, PNG labelled', () => {
  const size = 101;
  // Points clustered at (0.5, 0.5) only; extent 1 maps data [-1, 1] to pixels [0, 100].
  const pts = new Float32Array(200).fill(0.5);
  const img = scatterPlot(pts, { size, extent: 1, modes: [-0.5, -0.5], modeRadius: 0.1 });
  const at = (x: number, y: number) => Array.from(img.data.subarray((y * size + x) * 3, (y * size + x) * 3 + 3));
  // (0.5, 0.5) → column 75, row 25 (top half because y points up): dark blue after 100 blended dots.
  const p = at(75, 25);
  assert.ok(p[2] > p[0] + 50 && p[0] < 60, `dot colour ${p}`);
  // The mirrored spot is background.
  assert.deepEqual(at(75, 75), [255, 255, 255]);
  // Mode ring at (-0.5, -0.5) → centre (25, 75), radius 5 px: red on the ring, white inside.
  assert.deepEqual(at(30, 75), [220, 30, 30]);
  assert.deepEqual(at(25, 75), [255, 255, 255]);
  assert.throws(() => scatterPlot([1, 2, 3]), /\[N, 2\]/);
  const f = path.join(mkdtempSync(path.join(tmpdir(), 'tsgan-scatter-')), 's.png');
  writeScatterPng(f, pts, { seed: 4 });
  const text = readPngText(f);
  assert.ok(isLabelledSynthetic(text));
  assert.match(text['tsgan:kind'], /scatter plot of 100 generated 2-D points/);
});
