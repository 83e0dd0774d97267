// tsgan export of a text-to-image run: the text encoder and the generator joined in one TF.js model
// (z and word ids -> images) with the tokenizer in the manifest, whose outputs are `tsgan generate`'s;
// the page tokenizes prompts as Node does (ids and sentences, for good and bad prompts) and draws
// Node's images for a prompt in headless Chromium, offline; the ONNX export of the joined model (and
// of one with conditioning augmentation) runs in onnxruntime-web within 1e-4 of TF.js and passes
// ONNX's checker where python3-onnx is installed.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import * as ort from 'onnxruntime-web';

import { promptGeneratorModel } from '../../src/export/text2image_export.js';
import {
  exportRun,
  loadGenerator,
  modelToOnnx,
  openGenerator,
  openRunTrainer,
  Rng,
  serveFolder,
  Text2Image,
  tf,
  type tfl,
  train,
} from '../../src/index.js';
import { openPromptGenerator, promptImages } from '../../src/text/generate.js';
import { writeCheckpointFile } from '../../src/train/checkpoint.js';
import { findBrowser, offlinePage } from '../helpers/browser.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'tsgan-t2iexport-'));
const trained = path.join(tmp, 't2i');
const run = path.join(tmp, 't2i.ckpt');
const onnxFiles: string[] = [];
const PROMPT = 'a large blue square';

before(async () => {
  ort.env.wasm.numThreads = 1;
  const tiny = { width: 4, latentDim: 4, wordDim: 8, textHidden: 8, embedDim: 8, condDim: 4, imageEncoderWidth: 4 };
  const r = await train({
    config: {
      model: { family: 'text2image', ...tiny },
      data: { source: 'shapes-text', limit: 64, size: 32 },
      steps: 2,
      batchSize: 4,
      sampleEvery: 1000,
      evalEvery: 0,
      ema: 0.9,
    },
    runDir: trained,
    progress: 'none',
    handleSignals: false,
  });
  r.trainer.dispose();
  // Two steps leave G's BatchNorm statistics far from its activations (a nearly flat image): every
  // weight of T, G and G's EMA copy set to seeded values instead, so the images vary.
  const t = openRunTrainer(trained);
  let seed = 20;
  for (const net of [t.model.networks.T!, t.model.networks.G!, t.ema.G!]) {
    const rng = new Rng(seed++);
    for (const w of net.weights) {
      const k = w.shape.reduce((x, y) => x * y, 1);
      let v = rng.normals(k).map((x) => x * 0.3);
      if (/variance/.test(w.name)) v = v.map((x) => Math.abs(x) + 0.5);
      w.write(tf.tensor(v, w.shape));
    }
  }
  writeCheckpointFile(run, t.toCheckpoint());
  t.dispose();
});
after(() => rmSync(tmp, { recursive: true, force: true }));

/** Node's answer for a prompt: its ids, or the tokenizer's sentence. */
function nodeTokens(model: Text2Image, prompt: string): { ids?: number[]; error?: string } {
  try {
    return { ids: Array.from(model.tokenizer.encode(prompt).ids) };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

const BAD_AND_GOOD = [
  PROMPT,
  'A LARGE, blue square!',
  'a large blue sqaure',
  '',
  '   ...  ',
  'zebra unicorn',
  'a large blue square at the top left a small red circle on the right and a green star',
  'a small red circle in the top-left',
];

test('export of a text2image run: T and G joined, the tokenizer in the manifest, tsgan generate’s images', async () => {
  const exp = path.join(tmp, 'exp');
  const r = await exportRun(run, exp);
  assert.equal(r.format, 'tfjs');
  const { model, manifest } = await loadGenerator(exp);
  const pg = openPromptGenerator(run);
  try {
    assert.deepEqual(
      manifest.inputs.map((i) => [i.role, i.dtype]),
      [
        ['latent', 'float32'],
        ['token ids', 'int32'],
      ],
    );
    assert.deepEqual(manifest.text?.vocab, pg.model.tokenizer.vocab);
    assert.equal(manifest.text?.maxLen, pg.model.tokenizer.maxLen);
    assert.match(manifest.text?.policy.empty ?? '', /empty/);
    assert.match(readFileSync(path.join(exp, 'index.html'), 'utf8'), /id="prompt"/);
    const n = 3;
    const want = promptImages(pg.model, pg.generator, [PROMPT], { n, seed: 5 });
    const got = tf.tidy(() => {
      const zs = new Float32Array(n * 4);
      for (let i = 0; i < n; i++) zs.set(new Rng(5 + i).normals(4, 0), i * 4);
      const ids = tf.tile(tf.tensor2d(pg.model.tokenizer.encode(PROMPT).ids, [1, manifest.text!.maxLen], 'int32'), [
        n,
        1,
      ]);
      return model.predict([tf.tensor2d(zs, [n, 4]), ids]) as tf.Tensor;
    });
    const d = tf.max(tf.abs(tf.sub(got, want))).dataSync()[0]!;
    assert.ok(d < 1e-5, `export vs tsgan generate: ${d}`);
    // float16 weights: dequantized on load, the same images within half precision.
    const half = path.join(tmp, 'exp-f16');
    await exportRun(run, half, { quantize: 'float16', page: false });
    const h = await loadGenerator(half);
    const dh = tf.tidy(() => {
      const zs = new Float32Array(n * 4);
      for (let i = 0; i < n; i++) zs.set(new Rng(5 + i).normals(4, 0), i * 4);
      const ids = tf.tile(tf.tensor2d(pg.model.tokenizer.encode(PROMPT).ids, [1, manifest.text!.maxLen], 'int32'), [
        n,
        1,
      ]);
      return tf.max(tf.abs(tf.sub(h.model.predict([tf.tensor2d(zs, [n, 4]), ids]) as tf.Tensor, want))).dataSync()[0]!;
    });
    h.model.dispose();
    assert.equal(h.manifest.extra?.quantized, 'float16');
    assert.ok(dh < 2e-2, `float16 export vs tsgan generate: ${dh}`);
    tf.dispose([got, want]);
  } finally {
    pg.dispose();
    model.dispose();
  }
  await assert.rejects(exportRun(run, path.join(tmp, 'x1'), { classNames: 'a' }), /--class-names applies to/);
  await assert.rejects(openGenerator(exp), /draws from prompts: open its page \(tsgan serve/);
  assert.equal(existsSync(path.join(tmp, 'x1')), false);
});

test('the prompt page tokenizes as Node does (good and bad prompts) and draws Node’s images, offline', async (t) => {
  const browser = await findBrowser();
  if ('skip' in browser) {
    t.skip(browser.skip);
    return;
  }
  const { chromium } = await import('playwright-core');
  const exp = path.join(tmp, 'page');
  await exportRun(run, exp);
  const server = await serveFolder(exp, { port: 0 });
  const b = await chromium.launch({ executablePath: browser.path, args: ['--disable-gpu'] });
  const pg = openPromptGenerator(run);
  try {
    const { page, blocked, errors } = await offlinePage(b, server.url);
    await page.goto(server.url);
    await page.waitForFunction(() => document.getElementById('status')?.textContent === 'type a prompt', null, {
      timeout: 60_000,
    });
    for (const p of BAD_AND_GOOD) {
      const got = await page.evaluate((q) => {
        const r = (window as unknown as { tokenize: (s: string) => { ids?: number[]; error?: string } }).tokenize(q);
        return r.error !== undefined ? { error: r.error } : { ids: r.ids };
      }, p);
      assert.deepEqual(got, nodeTokens(pg.model, p), `prompt '${p}'`);
    }
    assert.ok(BAD_AND_GOOD.filter((p) => nodeTokens(pg.model, p).error).length >= 3, 'bad prompts are among them');
    // An empty prompt: the tokenizer's sentence on the page, no image.
    await page.fill('#prompt', '');
    await page.click('#go');
    await page.waitForFunction(() => document.getElementById('status')?.className === 'error');
    assert.match((await page.textContent('#status')) ?? '', /^the prompt is empty/);
    assert.equal(await page.evaluate(() => (document.getElementById('grid') as HTMLCanvasElement).hidden), true);
    // A prompt with a misspelt word: the warning, and Node's images for seeds 5, 6, 7.
    await page.fill('#prompt', 'a large blue sqaure');
    await page.fill('#n', '3');
    await page.fill('#seed', '5');
    await page.click('#go');
    await page.waitForFunction(() => / images of /.test(document.getElementById('status')?.textContent ?? ''), null, {
      timeout: 60_000,
    });
    assert.match((await page.textContent('#warnings')) ?? '', /'sqaure' is not a word .* did you mean 'square'/);
    const shot = await page.evaluate(() => {
      const c = document.getElementById('grid') as HTMLCanvasElement;
      return {
        width: c.width,
        height: c.height,
        scale: Number(c.dataset.scale),
        data: Array.from(c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data),
      };
    });
    const R = 32;
    assert.deepEqual([shot.width, shot.height], [3 * R * shot.scale, R * shot.scale]);
    const want = promptImages(pg.model, pg.generator, ['a large blue square'], { n: 3, seed: 5 });
    const w = want.dataSync();
    want.dispose();
    let worst = 0;
    const levels = new Set<number>();
    for (let i = 0; i < 3; i++)
      for (let y = 0; y < R; y++)
        for (let x = 0; x < R; x++)
          for (let k = 0; k < 3; k++) {
            const px = shot.data[4 * (y * shot.scale * shot.width + (i * R + x) * shot.scale) + k]!;
            const node = Math.round(Math.min(1, Math.max(0, (w[((i * R + y) * R + x) * 3 + k]! + 1) / 2)) * 255);
            worst = Math.max(worst, Math.abs(px - node));
            levels.add(px);
          }
    t.diagnostic(`page vs Node: at most ${worst} levels apart; ${levels.size} distinct levels`);
    assert.ok(worst <= 2, `the page's images differ from Node's by ${worst} levels`);
    assert.ok(levels.size > 10, 'the images are not blank');
    if (process.env.TSGAN_SCREENSHOTS)
      await page.screenshot({ path: path.join(process.env.TSGAN_SCREENSHOTS, 't2i-page.png'), fullPage: true });
    assert.deepEqual(errors, []);
    assert.deepEqual(blocked, []);
  } finally {
    pg.dispose();
    await b.close();
    await server.close();
  }
});

/** Max |onnxruntime - tfjs| of a joined prompt generator on seeded latents and the ids of prompts. */
async function onnxDiff(net: tfl.LayersModel, bytes: Uint8Array, ids: Int32Array, n: number, z: number, len: number) {
  const zs = new Rng(9).normals(n * z);
  const session = await ort.InferenceSession.create(bytes);
  const got = (
    await session.run({ z: new ort.Tensor('float32', zs, [n, z]), ids: new ort.Tensor('int32', ids, [n, len]) })
  ).output!;
  const want = net.predict([tf.tensor2d(zs, [n, z]), tf.tensor2d(ids, [n, len], 'int32')]) as tf.Tensor;
  assert.deepEqual([...got.dims], want.shape);
  const w = want.dataSync();
  const o = got.data as Float32Array;
  let d = 0;
  let spread = 0;
  for (let i = 0; i < w.length; i++) {
    d = Math.max(d, Math.abs(w[i]! - o[i]!));
    spread = Math.max(spread, Math.abs(w[i]! - w[0]!));
  }
  assert.ok(spread > 1e-3, 'the outputs vary (a comparison that can fail)');
  want.dispose();
  await session.release();
  return d;
}

test('ONNX: the run’s joined T and G (tsgan export --format onnx) match TF.js within 1e-4 in onnxruntime', async () => {
  const dir = path.join(tmp, 'onnx');
  const r = await exportRun(run, dir, { format: 'onnx' });
  assert.equal(r.format, 'onnx');
  const sidecar = JSON.parse(readFileSync(path.join(dir, 'model.onnx.json'), 'utf8'));
  assert.deepEqual(
    sidecar.inputs.map((i: { name: string; dtype: string }) => [i.name, i.dtype]),
    [
      ['z', 'float32'],
      ['ids', 'int32'],
    ],
  );
  const exp = path.join(tmp, 'onnx-tfjs');
  await exportRun(run, exp, { page: false });
  const { model, manifest } = await loadGenerator(exp);
  assert.deepEqual(sidecar.tokenizer.vocab, manifest.text?.vocab);
  const pg = openPromptGenerator(run);
  const len = manifest.text!.maxLen;
  const prompts = ['a large blue square', 'a small red circle', 'a green star'];
  const ids = new Int32Array(prompts.length * len);
  prompts.forEach((p, i) => {
    ids.set(pg.model.tokenizer.encode(p).ids, i * len);
  });
  pg.dispose();
  const file = path.join(dir, 'model.onnx');
  onnxFiles.push(file);
  const d = await onnxDiff(model, readFileSync(file), ids, prompts.length, manifest.latentDim, len);
  console.log(`text2image run (EMA T+G): onnxruntime vs TF.js max diff ${d.toExponential(2)}`);
  assert.ok(d <= 1e-4, `max diff ${d}`);
  model.dispose();
});

test('ONNX: conditioning augmentation and the projection D’s generator (c = mu) match TF.js within 1e-4', async () => {
  const m = new Text2Image({
    resolution: 32,
    channels: 3,
    width: 4,
    latentDim: 5,
    vocab: ['<pad>', '<unk>', 'a', 'red', 'blue', 'square', 'circle'],
    maxLen: 4,
    embedDim: 6,
    condDim: 3,
    wordDim: 5,
    textHidden: 7,
    imageEncoderWidth: 4,
    condAugment: true,
    discriminator: 'projection',
  });
  const rng = new Rng(12);
  for (const net of [m.networks.T!, m.networks.G!])
    for (const w of net.weights) {
      const k = w.shape.reduce((a, b) => a * b, 1);
      let v = rng.normals(k).map((x) => x * 0.4);
      if (/variance/.test(w.name)) v = v.map((x) => Math.abs(x) + 0.5);
      w.write(tf.tensor(v, w.shape));
    }
  const joined = promptGeneratorModel(m, m.networks.G!);
  const bytes = modelToOnnx(joined, { name: 't2i_ca', inputNames: ['z', 'ids'] });
  const file = path.join(tmp, 't2i_ca.onnx');
  writeFileSync(file, bytes);
  onnxFiles.push(file);
  // Prompts of 1 to 4 words, one with a padding-only tail (the masked mean's count).
  const ids = Int32Array.from([2, 3, 5, 0, 4, 6, 0, 0, 2, 4, 3, 5]);
  const d = await onnxDiff(joined, bytes, ids, 3, 5, 4);
  console.log(`text2image conditioning augmentation (T+G): max diff ${d.toExponential(2)}`);
  assert.ok(d <= 1e-4, `max diff ${d}`);
  // c = mu: the joined model equals G fed T's embedding and zero noise.
  const direct = tf.tidy(() => {
    const zs = tf.tensor2d(new Rng(9).normals(15), [3, 5]);
    const idt = tf.tensor2d(ids, [3, 4], 'int32');
    const [img] = m.networks.G!.predict([zs, m.embedText(idt), tf.zeros([3, 3])]) as tf.Tensor[];
    return tf.max(tf.abs(tf.sub(img!, joined.predict([zs, idt]) as tf.Tensor))).dataSync()[0]!;
  });
  assert.ok(direct < 1e-6, `joined vs G(z, T(ids), eps = 0): ${direct}`);
  joined.dispose();
  m.dispose();
});

function onnxChecker(): string | null {
  if (!existsSync('/usr/bin/python3')) return 'no /usr/bin/python3';
  const r = spawnSync('/usr/bin/python3', ['-c', 'import onnx.checker'], { encoding: 'utf8' });
  return r.status === 0 ? null : "the onnx Python package is not installed (Debian's python3-onnx)";
}

test("the text2image ONNX files pass ONNX's checker (full check, with shape inference)", {
  skip: onnxChecker() ?? false,
}, () => {
  const script = [
    'import sys, onnx',
    'for f in sys.argv[1:]:',
    '    onnx.checker.check_model(onnx.load(f), full_check=True)',
    'print(len(sys.argv) - 1, "ok")',
  ].join('\n');
  assert.equal(onnxFiles.length, 2);
  const r = spawnSync('/usr/bin/python3', ['-c', script, ...onnxFiles], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), '2 ok');
});
