// Inception-v3 (FID variant): architecture (layer and parameter counts, output shapes on a tiny
// batch), the PyTorch-layout weights loader on a small weights file the test writes, and the
// clean-fid resizing against PIL's bicubic (fixture from scripts/make_metric_fixtures.py).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { tf } from '../../src/index.js';
import { buildInceptionV3, inceptionOutputs, loadInceptionV3 } from '../../src/metrics/inception_v3.js';
import { cleanResize, resizeBicubicChannel } from '../../src/metrics/resize.js';
import { mulberry32 } from '../../src/metrics/rng.js';

const count = (ws: { shape: number[] }[]) => ws.reduce((a, w) => a + w.shape.reduce((x, y) => x * y, 1), 0);

test('Inception-v3 architecture: 94 conv+BN units, torchvision parameter count, pool3 2048-d and logits', () => {
  const m = buildInceptionV3({ numClasses: 1000, lastPool: 'avg' });
  assert.equal(m.layers.filter((l) => l.name.endsWith('.conv')).length, 94);
  assert.equal(m.layers.filter((l) => l.name.endsWith('.bn')).length, 94);
  // torchvision's inception_v3 without the auxiliary classifier has 23,834,568 parameters.
  assert.equal(count(m.trainableWeights), 23_834_568);
  const out = tf.tidy(() =>
    (m.predict(tf.randomUniform([2, 299, 299, 3], 0, 255, 'float32', 1)) as tf.Tensor[]).map((t) => t.shape),
  );
  assert.deepEqual(out, [
    [2, 2048],
    [2, 1000],
  ]);
  m.dispose();
});

test('Inception-v3 loads a PyTorch-layout weights file (narrow copy) and runs', () => {
  const opts = { numClasses: 7, widthDivisor: 16, inputSize: 139 } as const;
  const ref = buildInceptionV3(opts);
  // Write a state dict in PyTorch layouts from random values: conv [out, in, kh, kw], fc [classes, in].
  const r = mulberry32(3);
  const manifest: { weights: { name: string; shape: number[] }[] } = { weights: [] };
  const chunks: Float32Array[] = [];
  const put = (name: string, shape: number[], fill: () => number) => {
    manifest.weights.push({ name, shape });
    chunks.push(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, fill));
  };
  for (const l of ref.layers) {
    if (l.name.endsWith('.conv')) {
      const [kh, kw, cin, cout] = l.getWeights()[0].shape;
      put(`${l.name}.weight`, [cout, cin, kh, kw], () => (r() - 0.5) * 0.3);
    } else if (l.name.endsWith('.bn')) {
      const c = l.getWeights()[0].shape[0];
      put(`${l.name}.weight`, [c], () => 0.5 + r());
      put(`${l.name}.bias`, [c], () => r() - 0.5);
      put(`${l.name}.running_mean`, [c], () => r() - 0.5);
      put(`${l.name}.running_var`, [c], () => 0.5 + r());
    }
  }
  put('fc.weight', [7, ref.outputs[0].shape[1] as number], () => r() - 0.5);
  put('fc.bias', [7], () => r());
  put('AuxLogits.fc.bias', [7], () => 0); // ignored
  const dir = mkdtempSync(path.join(tmpdir(), 'tsgan-inception-'));
  try {
    const bin = Buffer.concat(chunks.map((c) => Buffer.from(c.buffer)));
    assert.ok(bin.length < 1_000_000, `weights file is ${bin.length} bytes`);
    writeFileSync(path.join(dir, 'w.json'), JSON.stringify(manifest));
    writeFileSync(path.join(dir, 'w.bin'), bin);
    const m = loadInceptionV3(path.join(dir, 'w.json'), path.join(dir, 'w.bin'), { widthDivisor: 16, inputSize: 139 });
    // Conv kernels are transposed OIHW -> HWIO: check one element.
    const first = m.getLayer('Conv2d_1a_3x3.conv').getWeights()[0]; // [3, 3, 3, cout]
    const [kh, kw, cin] = first.shape;
    const cout = first.shape[3];
    const torch = chunks[0]; // [cout, cin, kh, kw]
    const o = 1,
      i = 2,
      y = 0,
      x = 1;
    assert.equal(first.arraySync()[y][x][i][o], torch[((o * cin + i) * kh + y) * kw + x]);
    assert.equal(cout, 2);
    // fc transposed: [in, classes].
    const fc = m.getLayer('fc').getWeights()[0];
    assert.deepEqual(fc.shape, [ref.outputs[0].shape[1], 7]);
    const imgs = cleanResize(
      Float32Array.from({ length: 2 * 28 * 28 }, () => r() * 2 - 1),
      2,
      28,
      28,
      1,
      139,
    );
    const out = inceptionOutputs(m, imgs, 2, 2);
    assert.equal(out.pool3.length, 2 * out.dim);
    assert.equal(out.logits.length, 2 * 7);
    assert.ok(out.logits.every(Number.isFinite));
    // A mis-shaped tensor is refused with its name.
    manifest.weights[0].shape = [cin, cout, kh, kw]; // same size, wrong layout
    writeFileSync(path.join(dir, 'bad.json'), JSON.stringify(manifest));
    assert.throws(
      () => loadInceptionV3(path.join(dir, 'bad.json'), path.join(dir, 'w.bin'), { widthDivisor: 16, inputSize: 139 }),
      /Conv2d_1a_3x3/,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('bicubic resizing matches PIL (clean-fid convention), up and down', () => {
  const fx = JSON.parse(readFileSync(new URL('../fixtures/metrics/resize.json', import.meta.url), 'utf8')) as {
    cases: { h: number; w: number; outH: number; outW: number; input: number[]; output: number[] }[];
  };
  for (const c of fx.cases) {
    const out = resizeBicubicChannel(c.input, c.h, c.w, c.outH, c.outW);
    c.output.forEach((v, i) => {
      assert.ok(Math.abs(out[i] - v) <= 1e-3, `${c.h}x${c.w}->${c.outH}x${c.outW} [${i}]: ${out[i]} vs PIL ${v}`);
    });
  }
  // Quantization: values in [-1, 1] map to 0..255 integers before resizing; grayscale fills 3 channels.
  const img = cleanResize(Float32Array.from([-1, 1, 0, 0.5]), 1, 2, 2, 1, 2);
  assert.deepEqual(Array.from(img), [0, 0, 0, 255, 255, 255, 128, 128, 128, 191, 191, 191]);
});
