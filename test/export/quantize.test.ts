// `tsgan export --quantize uint8|float16`: half floats rounded as IEEE 754 says (and decoded by tfjs to
// the same values), uint8 codes within half a step of every weight; the exported weight files shrink
// about 4x / 2x, loadGenerator dequantizes them, and the generator's images stay close to the float
// ones (measured against the unquantized export on the same latents).
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { exportRun, loadGenerator, quantizeWeights, Rng, tf } from '../../src/index.js';
import { toFloat16Bits } from '../../src/export/quantize.js';
import { runCli } from '../helpers/cli.js';
import { tinyRun } from '../helpers/tiny_runs.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'tsgan-quantize-'));
let run = '';

before(async () => {
  run = await tinyRun('dcgan', tmp);
});
after(() => rmSync(tmp, { recursive: true, force: true }));

test('float16: IEEE 754 bit patterns, round to nearest even, and tfjs decodes them to the rounded values', () => {
  const cases: [number, number][] = [
    [0, 0x0000],
    [-0, 0x8000],
    [1, 0x3c00],
    [-2, 0xc000],
    [65504, 0x7bff],
    [1e9, 0x7c00],
    [-1e9, 0xfc00],
    [2 ** -24, 0x0001],
    [2 ** -25, 0x0000], // a tie rounds to even (zero)
    [1 + 2 ** -11, 0x3c00], // a tie rounds to even
    [1 + 3 * 2 ** -11, 0x3c02],
    [0.1, 0x2e66],
  ];
  for (const [v, bits] of cases) assert.equal(toFloat16Bits(v), bits, `${v}`);
  assert.equal(toFloat16Bits(Number.NaN) & 0x7c00, 0x7c00);
  // Through tfjs's loader: every decoded value within half a unit in the last place of the original.
  const values = new Rng(3).normals(1000).map((x) => x * 3);
  const { specs, data } = quantizeWeights(
    [{ name: 'w', shape: [1000], dtype: 'float32' }],
    new Uint8Array(values.buffer),
    'float16',
  );
  assert.equal(data.length, 2000);
  const decoded = tf.io.decodeWeights(data.buffer as ArrayBuffer, specs).w!.dataSync();
  for (let i = 0; i < values.length; i++) {
    const ulp = 2 ** (Math.floor(Math.log2(Math.abs(values[i]!))) - 10);
    assert.ok(Math.abs(decoded[i]! - values[i]!) <= ulp / 2 + 1e-12, `${values[i]} -> ${decoded[i]}`);
  }
});

test('uint8: every weight within half a step after tfjs dequantizes; small weights stay float32', () => {
  const values = new Rng(4).normals(1000);
  const small = Float32Array.from([0.5, -0.25, 3]);
  const both = new Uint8Array(4012);
  both.set(new Uint8Array(values.buffer), 0);
  both.set(new Uint8Array(small.buffer), 4000);
  const { specs, data } = quantizeWeights(
    [
      { name: 'w', shape: [1000], dtype: 'float32' },
      { name: 'b', shape: [3], dtype: 'float32' },
    ],
    both,
    'uint8',
  );
  assert.equal(data.length, 1000 + 12);
  assert.equal(specs[0]!.quantization!.dtype, 'uint8');
  assert.equal(specs[1]!.quantization, undefined);
  const w = tf.io.decodeWeights(data.buffer as ArrayBuffer, specs);
  const step = specs[0]!.quantization!.scale!;
  const d = w.w!.dataSync();
  for (let i = 0; i < values.length; i++) assert.ok(Math.abs(d[i]! - values[i]!) <= step / 2 + 1e-6);
  assert.deepEqual([...w.b!.dataSync()], [...small]);
});

const weightBytes = (dir: string) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.bin'))
    .reduce((s, f) => s + statSync(path.join(dir, f)).size, 0);

test('export --quantize: smaller weight files, dequantized on load, images close to the float ones', async () => {
  const float = path.join(tmp, 'float');
  await exportRun(run, float, { page: false, raw: true });
  const z = tf.tensor2d(new Rng(9).normals(8 * 16), [8, 16]);
  const ref = (await loadGenerator(float)).model;
  const want = (ref.predict(z) as tf.Tensor).dataSync();
  const bounds = { float16: [0.55, 5e-3], uint8: [0.3, 0.05] } as const; // measured: 0.51x, 4e-4; 0.26x, 9e-3
  for (const q of ['float16', 'uint8'] as const) {
    const dir = path.join(tmp, q);
    const out = await runCli(['export', run, dir, '--quantize', q, '--raw', '--no-page']);
    assert.match(out, new RegExp(`${q} weights`));
    const ratio = weightBytes(dir) / weightBytes(float);
    assert.ok(ratio < bounds[q][0], `${q}: weight files ${ratio.toFixed(3)}x the float ones`);
    const { model, manifest } = await loadGenerator(dir);
    assert.equal(manifest.extra?.quantized, q);
    const json = JSON.parse(readFileSync(path.join(dir, 'model.json'), 'utf8'));
    assert.ok(
      json.weightsManifest[0].weights.some((w: { quantization?: { dtype: string } }) => w.quantization?.dtype === q),
    );
    const got = (model.predict(z) as tf.Tensor).dataSync();
    let d = 0;
    for (let i = 0; i < want.length; i++) d = Math.max(d, Math.abs(got[i]! - want[i]!));
    assert.ok(d > 0 && d < bounds[q][1], `${q}: max |quantized - float| = ${d}`);
    model.dispose();
  }
  ref.dispose();
  z.dispose();
});
