// tsgan export of a StyleGAN2 run: mapping (z -> w) and synthesis (ws [N, numWs, wDim] -> image) as
// two TF.js models beside model.json, the manifest stating w_avg, numWs, wDim and the coarse /
// middle / fine layer ranges; loadGenerator's `stylegan` takes z or w and equals the run's own
// generator (truncation and style mixing included); the page does the same in headless Chromium,
// offline; ONNX and safetensors exports of the run still work.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { exportRun, loadGenerator, serveFolder, tf, train } from '../../src/index.js';
import { layerResolutions, styleLayerRanges } from '../../src/export/stylegan_export.js';
import { openStyleRun, type StyleRun } from '../../src/style/control.js';
import { findBrowser, offlinePage } from '../helpers/browser.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'tsgan-sgexport-'));
const runDir = path.join(tmp, 'run');
const exp = path.join(tmp, 'export');
const Z = 8;

before(async () => {
  const r = await train({
    preset: 'stylegan-shapes32',
    config: {
      model: { resolution: 16, latentDim: Z, wDim: 8, mappingLayers: 2, channelBase: 64, channelMax: 8 },
      data: { limit: 8, size: 16 },
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
  r.trainer.dispose();
  await exportRun(runDir, exp);
});
after(() => rmSync(tmp, { recursive: true, force: true }));

const maxDiff = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);

/** The run's images for latents z: w truncated by psi, then the layers of `range` from zB's w. */
function runImages(run: StyleRun, z: tf.Tensor2D, psi: number, zB?: tf.Tensor2D, range?: [number, number]) {
  return tf.tidy(() => {
    const w = run.model.mapLatents(z, null, { generator: run.generator, psi });
    if (!zB || !range) return run.model.synthesize(w, { generator: run.generator });
    const wB = run.model.mapLatents(zB, null, { generator: run.generator, psi });
    const ws = Array.from({ length: run.model.numWs }, (_, l) => (l >= range[0] && l <= range[1] ? wB : w));
    return run.model.synthesize(ws, { generator: run.generator });
  });
}

test('layer ranges: coarse, middle and fine cover every w once; sides per w', () => {
  for (const numWs of [4, 6, 8, 10, 14]) {
    const r = styleLayerRanges(numWs);
    assert.equal(r.coarse[0], 0);
    assert.equal(r.middle[0], r.coarse[1] + 1);
    assert.equal(r.fine[0], r.middle[1] + 1);
    assert.equal(r.fine[1], numWs - 1);
    for (const k of ['coarse', 'middle', 'fine'] as const) assert.ok(r[k][0] <= r[k][1], `${numWs}: ${k} is empty`);
  }
  assert.deepEqual(layerResolutions(8), [4, 8, 8, 16, 16, 32, 32, 32]);
});

test('export: two models and a manifest with the W space; loadGenerator takes z or w and equals the run', async (t) => {
  const { model, manifest, stylegan } = await loadGenerator(exp);
  const sg = manifest.stylegan!;
  assert.deepEqual(
    [sg.mapping, sg.synthesis, sg.numWs, sg.wDim, sg.noise],
    ['mapping/model.json', 'synthesis/model.json', 6, 8, 'const'],
  );
  assert.deepEqual(sg.layers, { coarse: [0, 3], middle: [4, 4], fine: [5, 5] });
  assert.deepEqual(sg.layerResolutions, [4, 8, 8, 16, 16, 16]);
  for (const f of ['mapping/group1-shard1of1.bin', 'synthesis/group1-shard1of1.bin', 'group1-shard1of1.bin'])
    assert.match(manifest.files[f] ?? '', /^[0-9a-f]{64}$/, f);
  assert.match(readFileSync(path.join(exp, 'index.html'), 'utf8'), /id="psi"[\s\S]*id="mix"/);
  assert.ok(stylegan, 'loadGenerator returns the two halves');
  assert.deepEqual(stylegan.synthesis.inputs[0]!.shape, [null, 6, 8]);
  const run = await openStyleRun(runDir);
  try {
    assert.deepEqual(sg.wAvg, Array.from(run.model.wAvg));
    assert.ok(
      sg.wAvg.some((v) => v !== 0),
      'w_avg moved in training',
    );
    const z = tf.randomNormal([3, Z], 0, 1, 'float32', 42) as tf.Tensor2D;
    const zB = tf.randomNormal([3, Z], 0, 1, 'float32', 43) as tf.Tensor2D;
    const want = runImages(run, z, 1);
    assert.ok(tf.moments(want).variance.dataSync()[0]! > 1e-3, 'the run draws varied pixels');
    const d: Record<string, number> = {
      'model.json (z -> image)': maxDiff(model.predict(z) as tf.Tensor, want),
      'generate(z)': maxDiff(stylegan.generate(z), want),
      'generate(z, psi 0.7)': maxDiff(stylegan.generate(z, { psi: 0.7 }), runImages(run, z, 0.7)),
      'synthesize(w [N, wDim])': maxDiff(stylegan.synthesize(stylegan.mapLatents(z)), want),
    };
    for (const range of ['coarse', 'middle', 'fine'] as const) {
      const ws = stylegan.mix(stylegan.mapLatents(z, null, 0.7), stylegan.mapLatents(zB, null, 0.7), range);
      d[`mix ${range}, psi 0.7`] = maxDiff(stylegan.synthesize(ws), runImages(run, z, 0.7, zB, sg.layers[range]));
    }
    t.diagnostic(`export vs run in Node, max |difference|: ${Math.max(...Object.values(d)).toExponential(2)}`);
    for (const [k, v] of Object.entries(d)) assert.ok(v <= 1e-5, `${k}: max |export - run| = ${v}`);
    // psi 0: every latent gives the mean image; mixing styles changes the image.
    const mean = stylegan.generate(z, { psi: 0 });
    assert.ok(maxDiff(tf.slice(mean, [0], [1]), tf.slice(mean, [2], [1])) < 1e-5);
    const wA = stylegan.mapLatents(z);
    assert.ok(maxDiff(stylegan.synthesize(stylegan.mix(wA, stylegan.mapLatents(zB), 'coarse')), want) > 1e-3);
    assert.throws(() => stylegan.generate(z, { psi: 3 }), /psi must be a number from 0/);
    assert.throws(() => stylegan.mix(wA, wA, [2, 9]), /outside the model's layers 0-5/);
  } finally {
    run.dispose();
    model.dispose();
    stylegan.dispose();
  }
});

test('a StyleGAN2 run re-exports into its export folder; ONNX and safetensors still export', async () => {
  const r = await exportRun(runDir, exp, { quantize: 'float16', page: false });
  assert.equal(r.format, 'tfjs');
  const g = await loadGenerator(exp);
  assert.equal(g.manifest.extra?.quantized, 'float16');
  const z = tf.randomNormal([2, Z], 0, 1, 'float32', 1) as tf.Tensor2D;
  assert.ok(maxDiff(g.stylegan!.generate(z), g.model.predict(z) as tf.Tensor) < 1e-5, 'both float16 halves load');
  g.model.dispose();
  g.stylegan!.dispose();
  await exportRun(runDir, exp); // float32 again, for the page test
  const onnx = await exportRun(runDir, path.join(tmp, 'onnx'), { format: 'onnx' });
  assert.equal(onnx.format, 'onnx');
  assert.ok(existsSync(path.join(tmp, 'onnx', 'model.onnx')));
  const st = await exportRun(runDir, path.join(tmp, 'st'), { format: 'safetensors' });
  assert.equal(st.format, 'safetensors');
});

test('the StyleGAN2 page: truncation and style mixing in headless Chromium, offline, equal to Node', async (t) => {
  const browser = await findBrowser();
  if ('skip' in browser) {
    t.skip(browser.skip);
    return;
  }
  const { chromium } = await import('playwright-core');
  const server = await serveFolder(exp, { port: 0 });
  const b = await chromium.launch({ executablePath: browser.path, args: ['--disable-gpu'] });
  const run = await openStyleRun(runDir);
  try {
    const { page, blocked, errors } = await offlinePage(b, server.url);
    await page.goto(server.url);
    const drawn = (n: number) =>
      page.waitForFunction((k) => Number(document.getElementById('mixed')?.dataset.generated ?? 0) >= k, n, {
        timeout: 60_000,
      });
    await drawn(1);
    const pixels = () =>
      page.evaluate(() => {
        const c = document.getElementById('mixed') as HTMLCanvasElement;
        return Array.from(c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data);
      });
    const p1 = await pixels();
    assert.ok(new Set(p1).size > 10, 'the mixed image is not blank');
    await page.fill('#psi', '0.5');
    await page.dispatchEvent('#psi', 'input');
    await drawn(2);
    const p2 = await pixels();
    await page.selectOption('#mix', 'fine');
    await drawn(3);
    const p3 = await pixels();
    const changed = (a: number[], c: number[]) => a.filter((v, i) => v !== c[i]).length;
    assert.ok(changed(p1, p2) > 0, 'truncation changes the image');
    assert.ok(changed(p2, p3) > 0, 'another layer range changes the image');
    // The page's values against Node's, on fixed latents.
    const zA = tf.randomNormal([1, Z], 0, 1, 'float32', 11) as tf.Tensor2D;
    const zB = tf.randomNormal([1, Z], 0, 1, 'float32', 12) as tf.Tensor2D;
    let worst = 0;
    for (const [psi, range] of [
      [1, 'coarse'],
      [0.7, 'middle'],
      [0.5, 'fine'],
    ] as const) {
      const got = await page.evaluate(
        ([a, bb, p, r]) =>
          (window as unknown as { tsganStyle: { render: (...x: unknown[]) => Promise<number[]> } }).tsganStyle.render(
            a,
            bb,
            p,
            r,
          ),
        [Array.from(zA.dataSync()), Array.from(zB.dataSync()), psi, range] as const,
      );
      const want = tf.concat([
        runImages(run, zA, psi),
        runImages(run, zB, psi),
        runImages(run, zA, psi, zB, styleLayerRanges(6)[range]),
      ]);
      const w = want.dataSync();
      assert.equal(got.length, w.length);
      for (let i = 0; i < w.length; i++) worst = Math.max(worst, Math.abs(got[i]! - w[i]!));
    }
    t.diagnostic(`page (tfjs cpu in Chromium) vs the run in Node: max |difference| ${worst.toExponential(2)}`);
    assert.ok(worst <= 1e-4, `the page differs from Node by ${worst}`);
    mkdirSync(path.resolve('test-artifacts', 'export'), { recursive: true });
    await page.screenshot({ path: path.resolve('test-artifacts', 'export', 'stylegan-page.png') });
    assert.deepEqual(errors, []);
    assert.deepEqual(blocked, []);
  } finally {
    run.dispose();
    await b.close();
    await server.close();
  }
});

test('a class-conditional StyleGAN2 exports its mapping with the label input; the export equals the run per class', async () => {
  const cond = path.join(tmp, 'cond');
  const r = await train({
    preset: 'stylegan-shapes32',
    config: {
      model: { resolution: 8, latentDim: Z, wDim: 8, mappingLayers: 2, channelBase: 32, channelMax: 4, numClasses: 6 },
      data: { limit: 8, size: 8 },
      batchSize: 4,
      steps: 2,
      sampleEvery: 2,
      checkpointEvery: 2,
      evalEvery: 0,
      seed: 5,
    },
    runDir: cond,
    progress: 'none',
    overwrite: true,
    warn: () => {},
  });
  r.trainer.dispose();
  const out = path.join(tmp, 'cond-export');
  await exportRun(cond, out, { page: false });
  const { model, manifest, stylegan } = await loadGenerator(out);
  const run = await openStyleRun(cond);
  try {
    assert.equal(manifest.numClasses, 6);
    assert.deepEqual(
      stylegan!.mapping.inputs.map((i) => i.shape),
      [
        [null, Z],
        [null, 1],
      ],
    );
    assert.deepEqual(manifest.stylegan!.layers, { coarse: [0, 1], middle: [2, 2], fine: [3, 3] });
    const z = tf.randomNormal([4, Z], 0, 1, 'float32', 5) as tf.Tensor2D;
    const labels = [0, 3, 5, 2];
    const want = tf.tidy(() =>
      run.model.synthesize(
        run.model.mapLatents(z, tf.tensor1d(labels, 'int32'), { generator: run.generator, psi: 0.8 }),
        { generator: run.generator },
      ),
    );
    const d = maxDiff(stylegan!.generate(z, { labels, psi: 0.8 }), want);
    assert.ok(d <= 1e-5, `conditional export vs run: ${d}`);
    const other = stylegan!.generate(z, { labels: [1, 1, 1, 1], psi: 0.8 });
    assert.ok(maxDiff(other, want) > 1e-4, 'the label changes the image');
    assert.throws(() => stylegan!.generate(z), /class-conditional: give class labels/);
  } finally {
    run.dispose();
    model.dispose();
    stylegan!.dispose();
  }
});
