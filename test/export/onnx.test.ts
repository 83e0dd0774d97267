// ONNX export: every generator family tsgan has (vanilla, dcgan with the InfoGAN code, cgan, pix2pix,
// cyclegan) runs in onnxruntime-web (wasm, in Node) and matches TF.js within 1e-4 (max abs) on fixed
// latents or images; the graph is in inference mode (no dropout node, BatchNorm with moving
// statistics) and carries the synthetic-content statement; the files pass ONNX's checker where
// Debian's python3-onnx is installed; a layer without a mapping and bad options are one sentence.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import * as ort from 'onnxruntime-web';

import { decodeModel } from '../../src/export/onnx/proto.js';
import { exportRun, modelToOnnx, openRunTrainer, Rng, tf, tfl } from '../../src/index.js';
import { runCli } from '../helpers/cli.js';
import { TINY_FAMILIES, type TinyFamily, tinyRun } from '../helpers/tiny_runs.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'tsgan-onnx-'));
const runs = {} as Record<TinyFamily, string>;
const N = 3;

before(async () => {
  ort.env.wasm.numThreads = 1;
  for (const f of TINY_FAMILIES) runs[f] = await tinyRun(f, tmp);
});
after(() => rmSync(tmp, { recursive: true, force: true }));

/** Max |onnxruntime - tfjs| of each generator of an export, on seeded inputs. */
async function compare(family: TinyFamily, dir: string, raw: boolean): Promise<Record<string, number>> {
  const t = openRunTrainer(runs[family]);
  const sidecar = JSON.parse(readFileSync(path.join(dir, 'model.onnx.json'), 'utf8')) as {
    files: Record<string, string>;
  };
  const diffs: Record<string, number> = {};
  try {
    for (const [g, file] of Object.entries(sidecar.files)) {
      const net = (raw ? undefined : t.ema[g]) ?? t.model.networks[g]!;
      const session = await ort.InferenceSession.create(readFileSync(path.join(dir, file)));
      const feeds: Record<string, ort.Tensor> = {};
      const tfIn: tf.Tensor[] = [];
      if (t.model.latentDim > 0) {
        const z = new Rng(11).normals(N * t.model.latentDim);
        feeds.z = new ort.Tensor('float32', z, [N, t.model.latentDim]);
        tfIn.push(tf.tensor2d(z, [N, t.model.latentDim]));
        if (t.model.numClasses > 0) {
          const labels = Float32Array.from([1, t.model.numClasses - 1, 4]);
          feeds.label = new ort.Tensor('float32', labels, [N, 1]);
          tfIn.push(tf.tensor2d(labels, [N, 1]));
        }
      } else {
        const shape = [N, ...(net.inputs[0]!.shape.slice(1) as number[])];
        const x = new Rng(12).uniforms(
          shape.reduce((a, b) => a * b, 1),
          -1,
          1,
        );
        feeds.input = new ort.Tensor('float32', x, shape);
        tfIn.push(tf.tensor(x, shape));
      }
      const want = net.predict(tfIn.length === 1 ? tfIn[0]! : tfIn) as tf.Tensor;
      const got = (await session.run(feeds)).output!;
      assert.deepEqual([...got.dims], want.shape, `${family} ${g}: output shape`);
      const w = want.dataSync();
      const o = got.data as Float32Array;
      let d = 0;
      let spread = 0;
      for (let i = 0; i < w.length; i++) {
        d = Math.max(d, Math.abs(w[i]! - o[i]!));
        spread = Math.max(spread, Math.abs(w[i]! - w[0]!));
      }
      assert.ok(spread > 1e-3, `${family} ${g}: the outputs vary (a comparison that can fail)`);
      diffs[g] = d;
      tf.dispose([want, ...tfIn]);
      await session.release();
    }
  } finally {
    t.dispose();
  }
  return diffs;
}

for (const family of TINY_FAMILIES) {
  test(`${family}: the ONNX graph matches TF.js within 1e-4 in onnxruntime`, async () => {
    for (const raw of [false, true]) {
      const dir = path.join(tmp, `onnx-${family}${raw ? '-raw' : ''}`);
      await exportRun(runs[family], dir, { format: 'onnx', raw });
      const diffs = await compare(family, dir, raw);
      for (const [g, d] of Object.entries(diffs))
        assert.ok(d <= 1e-4, `${family} ${g}${raw ? ' (raw)' : ''}: max diff ${d}`);
    }
  });
}

test('the graph is in inference mode and says its outputs are synthetic', () => {
  const pix = decodeModel(readFileSync(path.join(tmp, 'onnx-pix2pix', 'model.onnx')));
  const ops = new Set(pix.graph.node.map((n) => n.op_type));
  assert.equal(ops.has('Dropout'), false, 'dropout is the identity');
  assert.ok(ops.has('InstanceNormalization') && ops.has('ConvTranspose') && ops.has('Concat'));
  assert.equal(pix.opset_import[0]!.version, 13);
  const meta = Object.fromEntries(pix.metadata_props.map((p) => [p.key, p.value]));
  assert.equal(meta.synthetic, 'true');
  assert.match(meta.notice!, /synthetic/);
  const vanilla = decodeModel(readFileSync(path.join(tmp, 'onnx-vanilla', 'model.onnx')));
  assert.ok(vanilla.graph.node.some((n) => n.op_type === 'BatchNormalization'));
  const cgan = decodeModel(readFileSync(path.join(tmp, 'onnx-cgan', 'model.onnx')));
  assert.deepEqual(
    cgan.graph.input.map((i) => i.name),
    ['z', 'label'],
  );
  assert.ok(cgan.graph.node.some((n) => n.op_type === 'Gather'));
  assert.deepEqual(readdirSync(path.join(tmp, 'onnx-cyclegan')).sort(), ['G_AB.onnx', 'G_BA.onnx', 'model.onnx.json']);
});

function onnxChecker(): string | null {
  if (!existsSync('/usr/bin/python3')) return 'no /usr/bin/python3';
  const r = spawnSync('/usr/bin/python3', ['-c', 'import onnx.checker'], { encoding: 'utf8' });
  return r.status === 0 ? null : "the onnx Python package is not installed (Debian's python3-onnx)";
}

test("the files pass ONNX's checker (full check, with shape inference)", { skip: onnxChecker() ?? false }, () => {
  const files = TINY_FAMILIES.flatMap((f) =>
    readdirSync(path.join(tmp, `onnx-${f}`))
      .filter((n) => n.endsWith('.onnx'))
      .map((n) => path.join(tmp, `onnx-${f}`, n)),
  );
  const script = [
    'import sys, onnx',
    'for f in sys.argv[1:]:',
    '    onnx.checker.check_model(onnx.load(f), full_check=True)',
    'print(len(sys.argv) - 1, "ok")',
  ].join('\n');
  const r = spawnSync('/usr/bin/python3', ['-c', script, ...files], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), `${files.length} ok`);
});

test('a model used as a layer (as StyleGAN2 nests its mapping network) is walked inline', async () => {
  const zin = tfl.input({ shape: [6] });
  const inner = tfl.model({
    inputs: zin,
    outputs: tfl.layers.dense({ units: 5, activation: 'relu' }).apply(zin) as tfl.SymbolicTensor,
  });
  const x = tfl.input({ shape: [6], name: 'z' });
  const h = inner.apply(x) as tfl.SymbolicTensor; // [N, 5]
  const y = tfl.layers.dense({ units: 3, activation: 'tanh' }).apply(h) as tfl.SymbolicTensor; // [N, 3]
  const outer = tfl.model({ inputs: x, outputs: y });
  const session = await ort.InferenceSession.create(modelToOnnx(outer, { name: 'nested', inputNames: ['z'] }));
  const z = new Rng(5).normals(4 * 6);
  const got = (await session.run({ z: new ort.Tensor('float32', z, [4, 6]) })).output!.data as Float32Array;
  const want = (outer.predict(tf.tensor2d(z, [4, 6])) as tf.Tensor).dataSync();
  assert.equal(got.length, 12);
  for (let i = 0; i < 12; i++) assert.ok(Math.abs(got[i]! - want[i]!) <= 1e-6);
  await session.release();
  outer.dispose();
});

test('the CLI exports ONNX; bad inputs are one sentence and write nothing', async () => {
  const dir = path.join(tmp, 'cli-onnx');
  const out = await runCli(['export', runs.dcgan, dir, '--format', 'onnx']);
  assert.match(out, /exported the dcgan generator as ONNX \(opset 13, \d+ bytes, inference mode\)/);
  const bad = path.join(tmp, 'bad-onnx');
  await assert.rejects(
    exportRun(runs.dcgan, bad, { format: 'onnx', quantize: 'float16' }),
    /--quantize applies to the tfjs format/,
  );
  await assert.rejects(
    exportRun(runs.dcgan, bad, { format: 'onnx', classNames: 'a,b' }),
    /--class-names is recorded in the tfjs manifest/,
  );
  assert.equal(existsSync(bad), false);
  // A layer class without an ONNX mapping is named, with where to add it.
  const x = tfl.input({ shape: [4, 4, 1] });
  const y = tfl.layers.upSampling2d({ size: [2, 2] }).apply(x) as tfl.SymbolicTensor;
  const m = tfl.model({ inputs: x, outputs: y });
  assert.throws(
    () => modelToOnnx(m, { name: 'up' }),
    /no ONNX mapping for the layer class UpSampling2D \(add it to ONNX_LAYERS/,
  );
  m.dispose();
});
