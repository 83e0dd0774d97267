// ONNX export of the families beyond the five of onnx.test.ts: StyleGAN2's generator network G
// (z -> image through the mapping network, modulated convolutions, fixed noise, nearest upsampling;
// the class-conditional form with its label embedding too) and SRGAN's generator (PReLU, pixel
// shuffle as DepthToSpace; ESRGAN's RRDB trunk with its constant scaling) run in onnxruntime-web and
// match TF.js within 1e-4 (max abs) on tiny networks whose every weight is set to seeded random
// values (so the noise strengths, biases and BatchNorm statistics are not their zero/one defaults).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import * as ort from 'onnxruntime-web';

import { decodeModel } from '../../src/export/onnx/proto.js';
import {
  exportRun,
  MoCoGAN,
  modelToOnnx,
  openRunTrainer,
  Rng,
  SRGAN,
  StyleGAN2,
  tf,
  type tfl,
  train,
} from '../../src/index.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'tsgan-onnx-families-'));
const written: string[] = [];
const N = 3;

before(() => {
  ort.env.wasm.numThreads = 1;
});
after(() => rmSync(tmp, { recursive: true, force: true }));

/** Sets every weight of a network to seeded values: N(0, sd), variances |N(0, sd)| + 0.5. */
function randomize(net: tfl.LayersModel, seed: number, sd = 0.5): void {
  const rng = new Rng(seed);
  for (const w of net.weights) {
    const n = w.shape.reduce((a, b) => a * b, 1);
    let v = rng.normals(n).map((x) => x * sd);
    if (/variance/.test(w.name)) v = v.map((x) => Math.abs(x) + 0.5);
    w.write(tf.tensor(v, w.shape));
  }
}

/** Max |onnxruntime - tfjs| of `net` on the given inputs (tfjs shapes), after writing its ONNX file. */
async function maxDiff(
  net: tfl.LayersModel,
  name: string,
  feeds: Record<string, { data: Float32Array; shape: number[] }>,
) {
  const bytes = modelToOnnx(net, { name, inputNames: Object.keys(feeds) });
  const file = path.join(tmp, `${name}.onnx`);
  writeFileSync(file, bytes);
  written.push(file);
  const session = await ort.InferenceSession.create(bytes);
  const ins = Object.values(feeds).map((f) => tf.tensor(f.data, f.shape));
  const want = net.predict(ins.length === 1 ? ins[0]! : ins) as tf.Tensor;
  const got = (
    await session.run(
      Object.fromEntries(Object.entries(feeds).map(([k, f]) => [k, new ort.Tensor('float32', f.data, f.shape)])),
    )
  ).output!;
  assert.deepEqual([...got.dims], want.shape, `${name}: output shape`);
  const w = want.dataSync();
  const o = got.data as Float32Array;
  let d = 0;
  let spread = 0;
  for (let i = 0; i < w.length; i++) {
    d = Math.max(d, Math.abs(w[i]! - o[i]!));
    spread = Math.max(spread, Math.abs(w[i]! - w[0]!));
  }
  assert.ok(spread > 1e-3, `${name}: the outputs vary (a comparison that can fail)`);
  tf.dispose([want, ...ins]);
  await session.release();
  return { d, ops: new Set(decodeModel(bytes).graph.node.map((n) => n.op_type)) };
}

const tiny = {
  resolution: 8,
  channels: 1,
  latentDim: 6,
  wDim: 5,
  mappingLayers: 2,
  mappingLrMul: 1,
  channelBase: 32,
  channelMax: 4,
};

for (const numClasses of [0, 3]) {
  test(`stylegan2${numClasses ? ' (class-conditional)' : ''}: G (z -> image) matches TF.js within 1e-4`, async () => {
    const m = new StyleGAN2({ ...tiny, numClasses });
    randomize(m.networks.G, 21 + numClasses);
    const feeds: Record<string, { data: Float32Array; shape: number[] }> = {
      z: { data: new Rng(3).normals(N * tiny.latentDim), shape: [N, tiny.latentDim] },
    };
    if (numClasses) feeds.label = { data: Float32Array.from([0, 2, 1]), shape: [N, 1] };
    const { d, ops } = await maxDiff(m.networks.G, `stylegan2_c${numClasses}`, feeds);
    console.log(`stylegan2 numClasses=${numClasses}: max diff ${d.toExponential(2)}`);
    assert.ok(d <= 1e-4, `max diff ${d}`);
    for (const op of ['Conv', 'Resize', 'Expand', 'ReduceMean', 'MatMul', 'LeakyRelu']) assert.ok(ops.has(op), op);
    // Same z, same image: the fixed noise is a constant, not a random draw.
    const again = m.generate(
      tf.tensor2d(feeds.z!.data, feeds.z!.shape as [number, number]),
      numClasses ? tf.tensor1d([0, 2, 1]) : null,
    );
    const direct = m.networks.G.predict(
      numClasses
        ? [tf.tensor2d(feeds.z!.data, [N, 6]), tf.tensor2d([0, 2, 1], [N, 1])]
        : tf.tensor2d(feeds.z!.data, [N, 6]),
    ) as tf.Tensor;
    assert.ok(tf.max(tf.abs(tf.sub(again, direct))).dataSync()[0]! < 1e-5, 'G is what generate() runs');
    m.dispose();
  });
}

for (const arch of ['srresnet', 'rrdb'] as const) {
  test(`srgan (${arch}): G matches TF.js within 1e-4 (DepthToSpace, PRelu)`, async () => {
    const m = new SRGAN({
      arch,
      scale: 4,
      inputSize: 5,
      channels: 3,
      blocks: 1,
      width: 4,
      growth: 2,
      adversarial: false,
    });
    randomize(m.networks.G, 31, 0.15);
    const x = new Rng(4).uniforms(N * 5 * 5 * 3, -1, 1);
    const { d, ops } = await maxDiff(m.networks.G, `srgan_${arch}`, { input: { data: x, shape: [N, 5, 5, 3] } });
    console.log(`srgan ${arch}: max diff ${d.toExponential(2)}`);
    assert.ok(d <= 1e-4, `max diff ${d}`);
    assert.ok(ops.has('DepthToSpace'));
    assert.equal(ops.has('PRelu'), arch === 'srresnet');
    m.dispose();
  });
}

test('mocogan: G (z -> clips [N, T, H, W, C]) matches TF.js within 1e-4 (the motion GRU unrolled)', async () => {
  const m = new MoCoGAN({
    resolution: 32,
    channels: 1,
    frames: 3,
    contentDim: 4,
    motionDim: 3,
    noiseDim: 2,
    widthG: 2,
  });
  randomize(m.networks.G, 41, 0.4);
  const z = new Rng(5).normals(N * m.latentDim);
  const { d, ops } = await maxDiff(m.networks.G, 'mocogan', { z: { data: z, shape: [N, m.latentDim] } });
  console.log(`mocogan: max diff ${d.toExponential(2)}`);
  assert.ok(d <= 1e-4, `max diff ${d}`);
  assert.ok(ops.has('Sigmoid') && ops.has('ConvTranspose'));
  m.dispose();
});

test('DepthToSpace reproduces tf.depthToSpace channel order (one pixel shuffle, no convolution around it)', async () => {
  const { tfl: layers } = await import('../../src/index.js');
  const { PixelShuffle } = await import('../../src/nn/pixel_shuffle.js');
  const xin = layers.input({ shape: [2, 3, 8] });
  const y = new PixelShuffle({ factor: 2 }).apply(xin) as tfl.SymbolicTensor; // [N, 4, 6, 2]
  const net = layers.model({ inputs: xin, outputs: y });
  const data = Float32Array.from({ length: 2 * 2 * 3 * 8 }, (_, i) => i);
  const { d } = await maxDiff(net, 'pixel_shuffle', { input: { data, shape: [2, 2, 3, 8] } });
  assert.equal(d, 0);
  net.dispose();
});

test('a trained stylegan2 run exports with tsgan export (the EMA generator) and runs in onnxruntime', async () => {
  const runDir = path.join(tmp, 'stylegan2-run');
  await train({
    preset: 'stylegan-shapes32',
    config: {
      model: { ...tiny, resolution: 8, channels: undefined },
      data: { limit: 8, size: 8 },
      batchSize: 4,
      steps: 2,
      sampleEvery: 2,
      checkpointEvery: 2,
      evalEvery: 0,
      seed: 5,
    },
    runDir,
    progress: 'none',
    overwrite: true,
    warn: () => {},
  });
  const out = path.join(tmp, 'stylegan2-export');
  const r = await exportRun(runDir, out, { format: 'onnx' });
  assert.equal(r.format, 'onnx');
  const sidecar = JSON.parse(readFileSync(path.join(out, 'model.onnx.json'), 'utf8'));
  assert.equal(sidecar.family, 'stylegan2');
  assert.equal(sidecar.ema, true);
  const t = openRunTrainer(runDir);
  try {
    const net = t.ema.G ?? t.model.networks.G!;
    const bytes = readFileSync(path.join(out, 'model.onnx'));
    written.push(path.join(out, 'model.onnx'));
    const session = await ort.InferenceSession.create(bytes);
    const z = new Rng(8).normals(N * tiny.latentDim);
    const got = (await session.run({ z: new ort.Tensor('float32', z, [N, tiny.latentDim]) })).output!;
    const want = net.predict(tf.tensor2d(z, [N, tiny.latentDim])) as tf.Tensor;
    assert.deepEqual([...got.dims], want.shape);
    const w = want.dataSync();
    let d = 0;
    for (let i = 0; i < w.length; i++) d = Math.max(d, Math.abs(w[i]! - (got.data as Float32Array)[i]!));
    console.log(`stylegan2 run (EMA G): max diff ${d.toExponential(2)}`);
    assert.ok(d <= 1e-4, `max diff ${d}`);
    want.dispose();
    await session.release();
  } finally {
    t.dispose();
  }
});

// text2image's ONNX export (T and G joined) is tested in text2image_export.test.ts.

function onnxChecker(): string | null {
  if (!existsSync('/usr/bin/python3')) return 'no /usr/bin/python3';
  const r = spawnSync('/usr/bin/python3', ['-c', 'import onnx.checker'], { encoding: 'utf8' });
  return r.status === 0 ? null : "the onnx Python package is not installed (Debian's python3-onnx)";
}

test("the files pass ONNX's checker (full check, with shape inference)", { skip: onnxChecker() ?? false }, () => {
  const script = [
    'import sys, onnx',
    'for f in sys.argv[1:]:',
    '    onnx.checker.check_model(onnx.load(f), full_check=True)',
    'print(len(sys.argv) - 1, "ok")',
  ].join('\n');
  assert.ok(written.length >= 4);
  const r = spawnSync('/usr/bin/python3', ['-c', script, ...written], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), `${written.length} ok`);
});
