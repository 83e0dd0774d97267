// `tsgan export` end to end on a tiny trained DCGAN: the folder gets the web page and a local
// TensorFlow.js; the page, served by `tsgan serve`'s server, draws in headless Chromium with every
// request outside that server blocked (offline), the same pixels as Node for ?seed=N; opened as a file
// it says to serve it. Bad inputs (class names, a file as the target, a foreign folder) fail with a
// sentence and leave nothing behind.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';

import { runCli } from '../helpers/cli.js';
import { loadGenerator, resolveClassNames, serveFolder, tf } from '../../src/index.js';
import { findBrowser, offlinePage } from '../helpers/browser.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'tsgan-export-cli-'));
const run = path.join(tmp, 'run');

const cli = (...args: string[]) => runCli(args);

/** Entries of `dir` left by an export under a temporary name. */
const leftovers = (dir: string) => readdirSync(dir).filter((e) => e.includes('.tmp-'));

before(async () => {
  await cli(
    'train',
    '--preset',
    'dcgan-fmnist',
    '--steps',
    '2',
    '--seed',
    '3',
    '--model.width',
    '8',
    '--model.widthD',
    '2',
    '--model.latentDim',
    '8',
    '--model.infoCategories',
    '0',
    // Large steps: two of them move G's weights far enough from their N(0, 0.02) start that its images
    // are not one flat gray (a page that drew nothing, or something else, would then show).
    '--lrG',
    '0.1',
    '--batchSize',
    '4',
    '--data.limit',
    '16',
    '--sampleEvery',
    '2',
    '--checkpointEvery',
    '2',
    '--sampleCount',
    '4',
    '--run-dir',
    run,
    '--progress',
    'none',
  );
});

after(() => rmSync(tmp, { recursive: true, force: true }));

test('export writes the model, the manifest, the page and a local TensorFlow.js (no CDN)', async () => {
  const exp = path.join(tmp, 'exp-files');
  const out = await cli('export', run, exp);
  assert.match(out, /tsgan serve /);
  assert.deepEqual(readdirSync(exp).sort(), [
    'group1-shard1of1.bin',
    'index.html',
    'manifest.json',
    'model.json',
    'tf.min.js',
    'tsgan-layers.js',
  ]);
  const html = readFileSync(path.join(exp, 'index.html'), 'utf8');
  assert.doesNotMatch(html, /src="https?:/, 'the page loads nothing from the network');
  assert.match(html, /<script src="\.\/tf\.min\.js">/);
  // Exporting again into the same folder replaces the previous export.
  await cli('export', run, exp, '--no-page');
  assert.deepEqual(readdirSync(exp).sort(), ['group1-shard1of1.bin', 'manifest.json', 'model.json']);
  assert.deepEqual(leftovers(tmp), []);
});

test('export: wrong class names, a file as the target, a foreign folder: a sentence, nothing written', async () => {
  const target = path.join(tmp, 'exp-bad');
  // This run's generator is unconditional.
  await assert.rejects(cli('export', run, target, '--class-names', 'a,b'), /--class-names: .*unconditional/);
  assert.equal(existsSync(target), false);
  // A path that is an existing file (was: ENOTDIR ... scandir).
  const file = path.join(tmp, 'a-file.txt');
  writeFileSync(file, 'keep me');
  await assert.rejects(cli('export', run, file), (e: Error) => {
    assert.match(e.message, /a-file\.txt: is a file, not a folder; choose a folder path/);
    assert.doesNotMatch(e.message, /ENOTDIR|scandir/);
    return true;
  });
  assert.equal(readFileSync(file, 'utf8'), 'keep me');
  await assert.rejects(
    cli('export', run, path.join(file, 'sub')),
    /cannot create the export folder: .*a-file\.txt is a file/,
  );
  // A folder with other files in it is not replaced.
  const foreign = path.join(tmp, 'my-photos');
  mkdirSync(foreign);
  writeFileSync(path.join(foreign, 'holiday.jpg'), 'x');
  await assert.rejects(cli('export', run, foreign), /holds files other than an exported generator \(holiday\.jpg\)/);
  assert.deepEqual(readdirSync(foreign), ['holiday.jpg']);
  assert.deepEqual(leftovers(tmp), []);
});

test('export into a read-only folder is a sentence (tmpfs mounted read-only; skipped where mounting is not allowed)', async (t) => {
  const ro = path.join(tmp, 'read-only');
  mkdirSync(ro);
  if (spawnSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=1m', 'tmpfs', ro]).status !== 0) {
    t.skip('mounting a tmpfs is not allowed here');
    return;
  }
  try {
    await assert.rejects(cli('export', run, path.join(ro, 'exp')), (e: Error) => {
      assert.match(e.message, /read-only[\\/]exp: cannot create the export folder: the file system is read-only/);
      assert.doesNotMatch(e.message, /EROFS|mkdir/);
      return true;
    });
  } finally {
    spawnSync('umount', [ro]);
  }
});

test('--class-names: one non-empty, distinct name per class', () => {
  const g = { numClasses: 3 };
  assert.deepEqual(resolveClassNames(' a, b ,c', g), ['a', 'b', 'c']);
  assert.throws(
    () => resolveClassNames('a,b', g),
    /--class-names: 2 names given, but the generator has 3 classes \(give one name per class/,
  );
  assert.throws(() => resolveClassNames('a,b,c,d', g), /4 names given, but the generator has 3 classes/);
  assert.throws(() => resolveClassNames('a,,c', g), /--class-names: empty name/);
  assert.throws(() => resolveClassNames('a,b,a', g), /--class-names: 'a' is given twice/);
  assert.throws(() => resolveClassNames('a', { numClasses: 0 }), /unconditional/);
  assert.deepEqual(resolveClassNames(undefined, g), []);
  const fmnist = { numClasses: 10, trainer: { config: { data: { source: 'fashion-mnist' } } } };
  assert.equal(resolveClassNames(undefined, fmnist)[0], 'T-shirt/top');
});

test('serve: the folder only, a busy port named', async () => {
  const exp = path.join(tmp, 'exp-serve');
  await cli('export', run, exp);
  const server = await serveFolder(exp, { port: 0 });
  try {
    const page = await fetch(server.url);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
    assert.equal((await fetch(`${server.url}model.json`)).headers.get('content-type'), 'application/json');
    assert.equal((await fetch(`${server.url}..%2f..%2fetc%2fpasswd`)).status, 404);
    assert.equal((await fetch(`${server.url}no-such-file`)).status, 404);
    assert.equal((await fetch(server.url, { method: 'POST' })).status, 405);
    await assert.rejects(serveFolder(exp, { port: server.port }), /port \d+ is in use; choose another with --port/);
  } finally {
    await server.close();
  }
  await assert.rejects(serveFolder(path.join(exp, 'index.html')), /is a file, not a folder/);
  await assert.rejects(serveFolder(exp, { port: 70000 }), /--port must be an integer from 0 to 65535/);
});

test('the exported page draws in headless Chromium offline, the same pixels as Node', async (t) => {
  const browser = await findBrowser();
  if ('skip' in browser) {
    t.skip(browser.skip);
    return;
  }
  const { chromium } = await import('playwright-core');
  const exp = path.join(tmp, 'exp-browser');
  await cli('export', run, exp, '--raw'); // the raw weights: the EMA copy has barely left its start
  const server = await serveFolder(exp, { port: 0 });
  const b = await chromium.launch({ executablePath: browser.path, args: ['--disable-gpu'] });
  try {
    // Offline: only the local server answers; anything else (a CDN, fonts...) is refused and noted.
    const { page, blocked, errors } = await offlinePage(b, server.url, { files: true });

    const seed = 42;
    await page.goto(`${server.url}?seed=${seed}`);
    await page.waitForFunction(
      () => {
        const status = document.getElementById('status')?.textContent;
        return status !== 'loading model…' && (document.getElementById('grid') as HTMLCanvasElement).width > 300;
      },
      null,
      { timeout: 60_000 },
    );
    assert.equal(await page.textContent('#status'), '', 'no error on the page');
    const shot = await page.evaluate(() => {
      const c = document.getElementById('grid') as HTMLCanvasElement;
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      return { width: c.width, height: c.height, data: Array.from(d) };
    });
    // 16 samples of 28x28 in a 4x4 grid, scaled by floor(96 / 28) = 3.
    assert.deepEqual([shot.width, shot.height], [4 * 28 * 3, 4 * 28 * 3]);
    // Not blank: every pixel drawn (opaque), and the same gray levels as the generator gives in Node
    // for tf.randomNormal's latents with that seed.
    const { model, manifest } = await loadGenerator(exp);
    const x = tf.tidy(
      () => model.predict(tf.randomNormal([16, manifest.latentDim], 0, 1, 'float32', seed)) as tf.Tensor,
    );
    const want = x.dataSync();
    x.dispose();
    let worst = 0;
    let opaque = 0;
    const levels = new Set<number>();
    for (let i = 0; i < 16; i++) {
      const [row, col] = [Math.floor(i / 4), i % 4];
      for (let py = 0; py < 28; py++) {
        for (let px = 0; px < 28; px++) {
          const expected = Math.min(1, Math.max(0, (want[i * 784 + py * 28 + px]! + 1) / 2)) * 255;
          const at = (((row * 28 + py) * 3 + 1) * shot.width + (col * 28 + px) * 3 + 1) * 4; // centre of the 3x3 block
          worst = Math.max(worst, Math.abs(shot.data[at]! - expected));
          if (shot.data[at + 3] === 255) opaque++;
          levels.add(shot.data[at]!);
        }
      }
    }
    t.diagnostic(`page vs Node: at most ${worst.toFixed(2)} gray levels apart; ${levels.size} distinct levels`);
    assert.equal(opaque, 16 * 784, 'every sample pixel drawn');
    assert.ok(worst <= 1, `page and Node differ by ${worst} gray levels`);
    assert.ok(levels.size > 20, `the grid is not flat (${levels.size} gray levels)`);

    // "New samples" draws a new grid without errors.
    await page.click('#again');
    await page.waitForTimeout(500);
    assert.equal(await page.textContent('#status'), '');

    // Opened as a file: the page says to serve it, and "New samples" does nothing (no exception).
    const filePage = await page.context().newPage();
    filePage.on('pageerror', (e) => errors.push(e.message));
    await filePage.goto(pathToFileURL(path.join(exp, 'index.html')).href);
    assert.match((await filePage.textContent('#status')) ?? '', /must be served over HTTP/);
    assert.equal(await filePage.isVisible('#help'), true);
    assert.match((await filePage.textContent('#help')) ?? '', /tsgan serve/);
    await filePage.evaluate(() =>
      (document.getElementById('again') as HTMLButtonElement).onclick?.(new MouseEvent('click')),
    );
    await filePage.waitForTimeout(200);

    assert.deepEqual(errors, [], 'no uncaught errors in the page');
    assert.deepEqual(blocked, [], 'the page asked for nothing outside its folder');
  } finally {
    await b.close();
    await server.close();
  }
});
