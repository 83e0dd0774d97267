// safetensors: the format round trip (sorted keys, header padded to 8, little-endian data, corrupt
// files refused); `tsgan export --format safetensors` of a tiny DCGAN run: every network and EMA copy
// in PyTorch layouts whose values are the run's weights, byte-stable across exports; the PyTorch
// example rebuilds the generator and matches tsgan's outputs within 1e-4 (where torch imports);
// bad inputs are one sentence and leave nothing behind.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import {
  bytesToF32,
  decodeSafetensors,
  encodeSafetensors,
  exportRun,
  openRunTrainer,
  permute,
  type SafetensorsManifest,
  type SafetensorsTensor,
} from '../../src/index.js';
import { runCli } from '../helpers/cli.js';
import { TINY_FAMILIES, tinyRun } from '../helpers/tiny_runs.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'tsgan-safetensors-'));
let run = '';

before(async () => {
  run = await tinyRun('dcgan', tmp);
});
after(() => rmSync(tmp, { recursive: true, force: true }));

const f32 = (a: number[]) => new Uint8Array(Float32Array.from(a).buffer);

test('the format round trips: sorted keys, 8-byte aligned header, exact bytes, metadata', () => {
  const tensors: SafetensorsTensor[] = [
    { name: 'b.weight', dtype: 'F32', shape: [2, 3], bytes: f32([1, -2, 3.5, 4, 5, 6e-8]) },
    { name: 'a', dtype: 'I32', shape: [3], bytes: new Uint8Array(Int32Array.from([7, -8, 9]).buffer) },
    { name: 'c.half', dtype: 'F16', shape: [1], bytes: new Uint8Array([0x00, 0x3c]) },
    { name: 'empty', dtype: 'F32', shape: [0, 4], bytes: new Uint8Array(0) },
  ];
  const bytes = encodeSafetensors({ tensors, metadata: { z: 'last', format: 'pt' } });
  const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
  assert.equal(n % 8, 0, 'header padded to a multiple of 8');
  const header = JSON.parse(Buffer.from(bytes.subarray(8, 8 + n)).toString('utf8'));
  assert.deepEqual(Object.keys(header), ['__metadata__', 'a', 'b.weight', 'c.half', 'empty']);
  assert.deepEqual(header.a.data_offsets, [0, 12]);
  assert.deepEqual(header['b.weight'].data_offsets, [12, 36]);
  assert.deepEqual(Object.keys(header.__metadata__), ['format', 'z']);
  const back = decodeSafetensors(bytes);
  assert.deepEqual(back.metadata, { format: 'pt', z: 'last' });
  for (const t of tensors) {
    const u = back.tensors.find((x) => x.name === t.name)!;
    assert.equal(u.dtype, t.dtype);
    assert.deepEqual(u.shape, t.shape);
    assert.deepEqual([...u.bytes], [...t.bytes]);
  }
  assert.deepEqual(
    [...bytesToF32(back.tensors.find((x) => x.name === 'b.weight')!.bytes)],
    [...Float32Array.from([1, -2, 3.5, 4, 5, 6e-8])],
  );
  // Encoding the decoded file gives the same bytes (order of the input does not matter).
  assert.deepEqual(encodeSafetensors({ tensors: back.tensors.reverse(), metadata: back.metadata }), bytes);
});

test('corrupt or foreign bytes are refused with a sentence', () => {
  const good = encodeSafetensors({
    tensors: [{ name: 'x', dtype: 'F32', shape: [2], bytes: f32([1, 2]) }],
    metadata: {},
  });
  assert.throws(() => decodeSafetensors(good.subarray(0, 5), 'f'), /f: too short/);
  assert.throws(() => decodeSafetensors(good.subarray(0, good.length - 4), 'f'), /do not fit/);
  const extra = new Uint8Array(good.length + 4);
  extra.set(good);
  assert.throws(() => decodeSafetensors(extra, 'f'), /4 bytes after the last tensor/);
  const huge = Uint8Array.from(good);
  new DataView(huge.buffer).setBigUint64(0, 1n << 40n, true);
  assert.throws(() => decodeSafetensors(huge, 'f'), /runs past the file/);
  assert.throws(
    () => encodeSafetensors({ tensors: [{ name: 'x', dtype: 'F32', shape: [3], bytes: f32([1, 2]) }], metadata: {} }),
    /needs 12 bytes, has 8/,
  );
});

test('permute: HWIO -> OIHW moves every value to its PyTorch index', () => {
  const shape = [2, 3, 4, 5];
  const data = Float32Array.from({ length: 120 }, (_, i) => i);
  const { data: out, shape: s } = permute(data, shape, [3, 2, 0, 1]);
  assert.deepEqual(s, [5, 4, 2, 3]);
  for (const [h, w, i, o] of [
    [0, 0, 0, 0],
    [1, 2, 3, 4],
    [1, 0, 2, 3],
  ] as const)
    assert.equal(out[((o * 4 + i) * 2 + h) * 3 + w], data[((h * 3 + w) * 4 + i) * 5 + o]);
});

test('export --format safetensors: every network in PyTorch layouts, the run weights, byte-stable', async () => {
  const a = path.join(tmp, 'st-a');
  const b = path.join(tmp, 'st-b');
  const out = await runCli(['export', run, a, '--format', 'safetensors']);
  assert.match(out, /exported D, G, G_ema of a dcgan run at step 2/);
  await exportRun(run, b, { format: 'safetensors' });
  const bytesA = readFileSync(path.join(a, 'model.safetensors'));
  assert.ok(bytesA.equals(readFileSync(path.join(b, 'model.safetensors'))), 'the same run gives the same bytes');
  assert.deepEqual(readdirSync(a).sort(), ['check.safetensors', 'model.safetensors', 'model.safetensors.json']);
  const file = decodeSafetensors(bytesA);
  assert.equal(file.metadata['tsgan.family'], 'dcgan');
  assert.equal(file.metadata['tsgan.synthetic'], 'true');
  const manifest = JSON.parse(readFileSync(path.join(a, 'model.safetensors.json'), 'utf8')) as SafetensorsManifest;
  assert.equal(manifest.generator, 'G_ema');
  // Every weight of every network is in the file, in PyTorch layout: undo the permutation and compare.
  const t = openRunTrainer(run);
  try {
    const nets = { G: t.model.networks.G!, D: t.model.networks.D!, G_ema: t.ema.G! };
    let count = 0;
    for (const [name, net] of Object.entries(nets)) {
      // The same layer graph, built in this process (tfjs names its layers with process-wide counters).
      const params = manifest.networks[name]!.layers.flatMap((l) =>
        l.params.map((p, i) => ({ p, w: net.layers[l.index]!.weights[i]! })),
      );
      assert.equal(params.length, net.weights.length, `${name}: one parameter per weight`);
      for (const { p, w: weight } of params) {
        const entry = file.tensors.find((x) => x.name === p.key)!;
        assert.ok(entry, `${p.key} in the file`);
        assert.deepEqual(entry.shape, p.shape);
        assert.equal(weight.name.split('/').pop(), p.tfjsName.split('/').pop());
        const want = weight.read().dataSync() as Float32Array;
        let got = bytesToF32(entry.bytes);
        if (p.perm.length) {
          const inverse = p.perm.map((_, i) => p.perm.indexOf(i));
          got = permute(got, p.shape, inverse).data;
        }
        assert.deepEqual([...got], [...want], `${p.key} holds ${p.tfjsName}`);
        count++;
      }
    }
    assert.equal(file.tensors.length, count);
    const convT = manifest.networks.G!.layers.find((l) => l.className === 'Conv2DTranspose')!;
    assert.match(convT.params[0]!.layout, /\[in, out, kh, kw\]/);
    const dense = manifest.networks.G!.layers.filter((l) => l.className === 'Dense')[1]!;
    assert.deepEqual(dense.params[0]!.shape, [...dense.params[0]!.tfjsShape].reverse());
  } finally {
    t.dispose();
  }
});

test('every family exports: all networks, every weight but the dropout RNG state, a check file per generator', async () => {
  for (const family of TINY_FAMILIES.filter((f) => f !== 'dcgan')) {
    const familyRun = await tinyRun(family, tmp);
    const dir = path.join(tmp, `st-${family}`);
    const r = await exportRun(familyRun, dir, { format: 'safetensors' });
    assert.equal(r.format, 'safetensors');
    if (r.format !== 'safetensors') return;
    const m = r.result.manifest;
    const t = openRunTrainer(familyRun);
    try {
      const nets = {
        ...t.model.networks,
        ...Object.fromEntries(Object.entries(t.ema).map(([n, e]) => [`${n}_ema`, e])),
      };
      assert.deepEqual(Object.keys(m.networks).sort(), Object.keys(nets).sort());
      const weights = Object.values(nets).reduce(
        (s, n) => s + n.weights.filter((w) => !w.name.endsWith('dropout_seed')).length,
        0,
      );
      assert.equal(r.result.tensors, weights, `${family}: one tensor per weight`);
      const mapped = Object.values(m.networks).flatMap((n) => n.layers.flatMap((l) => l.params));
      assert.ok(
        mapped.every((p) => !p.layout.startsWith('tfjs')),
        `${family}: every weight has a PyTorch layout`,
      );
      const check = decodeSafetensors(readFileSync(path.join(dir, 'check.safetensors')));
      for (const g of m.generators)
        assert.ok(
          check.tensors.some((x) => x.name === `${g}.output`),
          `${family}: ${g}`,
        );
    } finally {
      t.dispose();
    }
  }
});

function torchAvailable(): string | null {
  if (!existsSync('/usr/bin/python3')) return 'no /usr/bin/python3';
  const r = spawnSync('/usr/bin/python3', ['-c', 'import torch'], { encoding: 'utf8' });
  return r.status === 0 ? null : 'PyTorch does not import in /usr/bin/python3';
}

test('examples/load_dcgan_torch.py rebuilds the generator in PyTorch within 1e-4', {
  skip: torchAvailable() ?? false,
}, async () => {
  const dir = path.join(tmp, 'st-torch');
  await exportRun(run, dir, { format: 'safetensors' });
  // G: the raw generator (G_ema, two steps in, is still close to its initial weights).
  for (const network of ['G']) {
    const r = spawnSync('/usr/bin/python3', ['examples/load_dcgan_torch.py', dir, '--network', network], {
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, `${network}: ${r.stdout}${r.stderr}`);
    const m = /max \|torch - tsgan\| = (\S+)/.exec(r.stdout);
    assert.ok(m, r.stdout);
    assert.ok(Number(m[1]) <= 1e-4, r.stdout);
  }
  // The example fails when the outputs do not match (a check that can fail).
  const check = path.join(dir, 'check.safetensors');
  const file = decodeSafetensors(readFileSync(check));
  const out = file.tensors.find((x) => x.name === 'G.output')!;
  const v = bytesToF32(out.bytes);
  v[0] = v[0]! + 0.01;
  out.bytes = new Uint8Array(v.buffer);
  writeFileSync(check, encodeSafetensors(file));
  const r = spawnSync('/usr/bin/python3', ['examples/load_dcgan_torch.py', dir, '--network', 'G'], {
    encoding: 'utf8',
  });
  assert.equal(r.status, 1, r.stdout);
});

test('bad inputs: one sentence each, nothing written', async () => {
  const target = path.join(tmp, 'bad');
  await assert.rejects(
    exportRun(run, target, { format: 'pytorch' }),
    /unknown export format 'pytorch': choose one of tfjs, safetensors/,
  );
  await assert.rejects(
    exportRun(run, target, { format: 'safetensors', quantize: 'uint8' }),
    /--quantize applies to the tfjs format/,
  );
  await assert.rejects(
    exportRun(run, target, { quantize: 'int4' }),
    /unknown quantization 'int4': choose uint8 or float16/,
  );
  const empty = path.join(tmp, 'empty-run');
  mkdirSync(path.join(empty, 'checkpoints'), { recursive: true });
  await assert.rejects(
    exportRun(empty, target, { format: 'safetensors' }),
    /holds no checkpoint: it has no trained generator/,
  );
  await assert.rejects(exportRun(path.join(tmp, 'nope'), target, { format: 'safetensors' }), /no such run folder/);
  const tfjs = path.join(tmp, 'tfjs');
  await exportRun(run, tfjs, { page: false });
  await assert.rejects(exportRun(tfjs, target, { format: 'safetensors' }), /is an exported generator, not a run/);
  const foreign = path.join(tmp, 'foreign');
  mkdirSync(foreign);
  writeFileSync(path.join(foreign, 'notes.txt'), 'mine');
  await assert.rejects(
    exportRun(run, foreign, { format: 'safetensors' }),
    /holds files other than an export \(notes\.txt\)/,
  );
  assert.deepEqual(readdirSync(foreign), ['notes.txt']);
  assert.equal(existsSync(target), false);
  assert.deepEqual(
    readdirSync(tmp).filter((e) => e.includes('.tmp-')),
    [],
    'no temporary folder left',
  );
});
