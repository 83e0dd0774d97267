// Bad inputs to sample / interpolate / eval are sentences naming the option or the file, and leave
// no file behind; --separate writes unframed images at the model's resolution (runs and exports);
// long work reports progress. Runs on two tiny models trained through the CLI (dcgan, cgan).
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { workProgress } from '../../src/cli/progress.js';
import { runCli } from '../helpers/cli.js';
import { openGenerator, readPngText, sample, toUint8 } from '../../src/index.js';
import { readPngHeader } from '../../src/io/png.js';

/** Runs the CLI in-process; returns its stdout; errors (commander's or the command's) are thrown. */
const cli = (...args: string[]) => runCli(args, { echo: true, quiet: true });

const tmp = mkdtempSync(path.join(os.tmpdir(), 'tsgan-inputs-'));
const dc = path.join(tmp, 'dc');
const cg = path.join(tmp, 'cg');
const exp = path.join(tmp, 'dc-export');
const tiny = ['--steps', '1', '--batchSize', '4', '--data.limit', '16', '--sampleEvery', '1', '--sampleCount', '4'];
const quietTrain = ['--checkpointEvery', '1', '--progress', 'none'];

before(async () => {
  const small = ['--model.width', '2', '--model.latentDim', '4'];
  const info = ['--model.infoCategories', '2'];
  await cli(
    'train',
    '--preset',
    'dcgan-fmnist',
    ...small,
    ...info,
    '--model.widthD',
    '2',
    ...tiny,
    ...quietTrain,
    '--run-dir',
    dc,
  );
  await cli('train', '--preset', 'cgan-fmnist', ...small, ...tiny, ...quietTrain, '--run-dir', cg);
  await cli('export', dc, exp);
});

after(() => rmSync(tmp, { recursive: true, force: true }));

/** Files in the scratch folder other than the runs: what a failed command may have left. */
function leftovers(): string[] {
  return readdirSync(tmp).filter((f) => ![path.basename(dc), path.basename(cg), path.basename(exp)].includes(f));
}

test('bad option values are errors naming the option, and write nothing', async () => {
  const o = path.join(tmp, 'x.png');
  const w = path.join(tmp, 'walk');
  const cases: [string[], RegExp][] = [
    [['interpolate', dc, '--seeds', 'a,b', '-o', w], /--seeds .*'a' is not allowed/],
    [['interpolate', dc, '--seeds', '3', '-o', w], /--seeds .*at least 2 numbers/],
    [['interpolate', dc, '--fps', '-5', '-o', w], /--fps .*from 0\.1 to 100/],
    [['interpolate', dc, '--mode', 'cubic', '-o', w], /--mode .*one of: slerp, linear/],
    [['interpolate', dc, '--steps', '0', '--loop', '-o', w], /--steps .*whole number 1 or more/],
    [['interpolate', dc, '--scale', '0', '-o', w], /--scale .*from 1 to 64/],
    [['sample', dc, '--truncation', 'abc', '-o', o], /--truncation .*0 \(off\) or a number/],
    [['sample', dc, '--truncation', '1e-9', '-o', o], /--truncation .*0\.05 or more/],
    [['sample', dc, '-n', '2.5', '-o', o], /--n .*whole number 1 or more/],
    [['sample', dc, '-n', '-1', '-o', o], /--n .*whole number 1 or more/],
    [['sample', dc, '-n', '0', '-o', o], /--n .*whole number 1 or more/],
    [['sample', dc, '--cols', '0', '-o', o], /--cols .*whole number 1 or more/],
    [['sample', dc, '--scale', '0', '-o', o], /--scale .*from 1 to 64/],
    [['sample', dc, '--seeds', '1,', '-o', o], /--seeds .*An entry is empty/],
    [['sample', dc, '--seed', 'x', '-o', o], /--seed .*whole number/],
    [['sample', cg, '--class', '-2', '-o', o], /--class .*'-2' is not allowed/],
    [['eval', dc, '--real-n', '0'], /--real-n .*whole number 2 or more/],
    [['eval', dc, '-n', '1e-3'], /--n .*whole number 2 or more/],
  ];
  for (const [args, re] of cases) {
    await assert.rejects(cli(...args), (e: Error) => re.test(e.message), `${args.join(' ')} -> ${re}`);
  }
  assert.deepEqual(leftovers(), []);
});

test('class labels: out of range and on an unconditional model are sentences (sample and interpolate)', async () => {
  const w = path.join(tmp, 'walk');
  await assert.rejects(
    cli('interpolate', cg, '--class', '99', '-o', w),
    /^Error: class 99 is out of range: this generator has classes 0\.\.9$/,
  );
  await assert.rejects(
    cli('sample', cg, '--class', '3,99', '-o', path.join(tmp, 'c.png')),
    /class 99 is out of range: this generator has classes 0\.\.9/,
  );
  await assert.rejects(cli('interpolate', dc, '--class', '3', '-o', w), /this generator is unconditional/);
  assert.deepEqual(leftovers(), []);
});

test('-o: a .jpg name is refused (PNG only), an existing folder is named, nothing is left behind', async () => {
  await assert.rejects(
    cli('sample', dc, '-n', '2', '-o', path.join(tmp, 'x.jpg')),
    /-o .*x\.jpg: tsgan writes PNG images only .*give a name ending in \.png/,
  );
  const dir = path.join(tmp, 'out.png');
  mkdirSync(dir);
  await assert.rejects(cli('sample', dc, '-n', '2', '-o', dir), /cannot write '.*out\.png': it is an existing folder/);
  assert.deepEqual(leftovers(), ['out.png'], 'no out.png.tmp-* file');
  rmSync(dir, { recursive: true });
  const below = path.join(tmp, 'sub', 'deeper', 'g.png');
  assert.match(await cli('sample', dc, '-n', '3', '-o', below), /3 samples written/);
  assert.ok(existsSync(below));
  rmSync(path.join(tmp, 'sub'), { recursive: true });
});

test('a read-only output location is a sentence (tmpfs mounted read-only; skipped where mounting is not allowed)', async (t) => {
  const ro = path.join(tmp, 'ro');
  mkdirSync(ro);
  try {
    if (spawnSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=1m', 'tmpfs', ro]).status !== 0) {
      t.skip('mounting a tmpfs is not allowed here');
      return;
    }
    try {
      await assert.rejects(
        cli('sample', dc, '-n', '2', '-o', path.join(ro, 'sub', 'g.png')),
        /cannot create the folder '.*sub': the file system is read-only/,
      );
      await assert.rejects(
        cli('sample', dc, '-n', '2', '--separate', '-o', path.join(ro, 'many')),
        /the file system is read-only/,
      );
      await assert.rejects(
        cli('interpolate', dc, '-o', path.join(ro, 'walk')),
        /cannot write '.*walk\.png': the file system is read-only/,
      );
    } finally {
      spawnSync('umount', [ro]);
    }
  } finally {
    rmSync(ro, { recursive: true, force: true });
  }
});

test('--separate writes each sample at the model resolution, without a frame, from a run and an export', async () => {
  for (const src of [dc, exp]) {
    const out = path.join(tmp, 'separate');
    await cli('sample', src, '--seeds', '7,8', '--separate', '-o', out);
    assert.deepEqual(readdirSync(out).sort(), ['seed-7.png', 'seed-8.png']);
    const g = await openGenerator(src);
    const ref = sample(g, { seeds: [8] });
    const want = toUint8(await ref.samples.data(), ...g.valueRange);
    ref.samples.dispose();
    g.dispose();
    const file = path.join(out, 'seed-8.png');
    assert.deepEqual(readPngHeader(readFileSync(file)), { width: 28, height: 28, bitDepth: 8, colorType: 0 });
    const sharp = (await import('sharp')).default;
    const { data, info } = await sharp(file).raw().toBuffer({ resolveWithObject: true });
    const got = Uint8Array.from({ length: 28 * 28 }, (_, i) => data[i * info.channels]);
    assert.deepEqual([...got], [...want], `pixels of seed 8 from ${src}`);
    assert.equal(readPngText(file)['tsgan:seed'], '8');
    // --scale applies to the single images too (still no frame).
    await cli('sample', src, '--seeds', '7', '--separate', '--scale', '2', '-o', out);
    assert.deepEqual(readPngHeader(readFileSync(path.join(out, 'seed-7.png'))).width, 56);
    rmSync(out, { recursive: true });
  }
});

test('a conditional model: files named by class, the grid has one column per class', async () => {
  const out = path.join(tmp, 'cls');
  await cli('sample', cg, '-n', '3', '--class', '4', '--separate', '-o', out);
  assert.deepEqual(readdirSync(out).sort(), ['seed-0-class-4.png', 'seed-1-class-4.png', 'seed-2-class-4.png']);
  const grid = path.join(tmp, 'cls.png');
  await cli('sample', cg, '-n', '20', '-o', grid);
  // 10 columns of 28 + 11 pads of 2; 2 rows.
  assert.deepEqual(
    [readPngHeader(readFileSync(grid)).width, readPngHeader(readFileSync(grid)).height],
    [10 * 28 + 11 * 2, 2 * 28 + 3 * 2],
  );
  rmSync(out, { recursive: true });
  rmSync(grid);
});

test('a grid too large for most viewers is written with a warning that suggests --separate', async () => {
  const grid = path.join(tmp, 'wide.png');
  const warnings: string[] = [];
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string) => {
    warnings.push(String(chunk));
    return true;
  }) as typeof process.stderr.write;
  try {
    await cli('sample', dc, '-n', '10', '--cols', '10', '--scale', '64', '-o', grid);
  } finally {
    process.stderr.write = write;
  }
  assert.equal(readPngHeader(readFileSync(grid)).width, 10 * 28 * 64 + 11 * 2);
  assert.ok(
    warnings.some((w) => /the grid will be 17942x1796 pixels; .*--separate/.test(w)),
    warnings.join(''),
  );
  rmSync(grid);
});

test('many samples: the grid is written row by row with progress lines; long walks wrap the strip', async () => {
  const grid = path.join(tmp, 'many.png');
  await cli('sample', dc, '-n', '1500', '-o', grid);
  const h = readPngHeader(readFileSync(grid));
  // ceil(sqrt(1500)) = 39 columns, 39 rows.
  assert.deepEqual([h.width, h.height], [39 * 30 + 2, 39 * 30 + 2]);
  assert.equal(readPngText(grid)['tsgan:seed'], '0..1499');
  rmSync(grid);
  const walk = path.join(tmp, 'long');
  assert.match(
    await cli('interpolate', dc, '--steps', '100', '-o', `${walk}.gif`),
    /^101 frames: .*long\.png and .*long\.gif/,
  );
  // 64 frames per strip row, 2 rows, each frame 28 x 2 + 2 pixels of padding.
  const s = readPngHeader(readFileSync(`${walk}.png`));
  assert.deepEqual([s.width, s.height], [64 * 58 + 2, 2 * 58 + 2]);
  rmSync(`${walk}.png`);
  rmSync(`${walk}.gif`);
});

test('progress: a line every few seconds off a terminal, nothing for short work, nothing after the end', () => {
  let now = 0;
  const lines: string[] = [];
  const out = { isTTY: false, write: (s: string) => lines.push(s) } as unknown as NodeJS.WriteStream;
  const p = workProgress('samples', { out, now: () => now, everyMs: 5000, minTotal: 100 });
  for (let done = 0; done <= 1000; done += 100) {
    now += 2000;
    p.update(done, 1000);
  }
  p.stop();
  assert.equal(lines.length, 3, lines.join(''));
  assert.match(lines[0], /^samples: 200\/1000 \(20\.0%\), about \d+ s left\n$/);
  const short = workProgress('samples', { out, now: () => (now += 10_000), minTotal: 100 });
  short.update(50, 100);
  assert.equal(lines.length, 3, 'a job of 100 units shows nothing');
});

test('Ctrl-C during a long walk removes the temporary files of the strip and the GIF', async () => {
  const base = path.join(tmp, 'interrupted');
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'test/cli/fixtures/run_cli.ts', 'interpolate', dc, '--steps', '50000', '-o', base],
    { stdio: 'ignore' },
  );
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, sig) => resolve(sig)));
  const tmpFiles = () => readdirSync(tmp).filter((f) => f.startsWith('interrupted'));
  for (let i = 0; i < 600 && tmpFiles().length < 2; i++) await new Promise((r) => setTimeout(r, 50));
  assert.equal(tmpFiles().length, 2, `both temporary files exist while writing: ${tmpFiles()}`);
  child.kill('SIGINT');
  assert.equal(await exited, 'SIGINT', 'ended by the signal');
  assert.deepEqual(tmpFiles(), [], 'no temporary file and no half-written file left');
});
