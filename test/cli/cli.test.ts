// The CLI end to end on a tiny model: train (config fields on the command line), sample, info,
// export (+ load back with loadGenerator: same images for the same latents), interpolate; typo
// errors; --help examples on every command.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { buildProgram } from '../../src/cli/main.js';
import { runCli } from '../helpers/cli.js';
import {
  isLabelledSynthetic,
  latentForSeed,
  loadGenerator,
  openGenerator,
  readPngText,
  sample,
  tf,
} from '../../src/index.js';

const cli = (...args: string[]) => runCli(args, { echo: true });

test('train -> sample -> info -> export -> interpolate on a tiny DCGAN', async () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'tsgan-cli-'));
  const run = path.join(tmp, 'run');
  try {
    await cli(
      'train',
      '--preset',
      'dcgan-fmnist',
      '--steps',
      '2',
      '--seed',
      '5',
      '--model.width',
      '2',
      '--model.widthD',
      '2',
      '--model.latentDim',
      '4',
      '--model.infoCategories',
      '2',
      '--batchSize',
      '4',
      '--data.limit',
      '32',
      '--logEvery',
      '1',
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
    const cfg = JSON.parse(readFileSync(path.join(run, 'config.json'), 'utf8'));
    assert.equal(cfg.preset, 'dcgan-fmnist');
    assert.equal(cfg.config.model.width, 2);
    assert.equal(cfg.config.seed, 5);
    const metrics = readFileSync(path.join(run, 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.equal(metrics.length, 2);
    for (const k of ['lossD', 'lossG', 'gradNormD', 'gradNormG', 'imgPerSec', 'dReal', 'dFake'])
      assert.ok(Number.isFinite(metrics[1][k]), k);
    assert.ok(existsSync(path.join(run, 'checkpoints', 'step-0000002.ckpt')));
    const grid = path.join(run, 'samples', 'step-0000002.png');
    assert.ok(isLabelledSynthetic(readPngText(grid)), 'sample grid labelled GAN-generated');

    const png = path.join(tmp, 's.png');
    await cli('sample', run, '-n', '6', '--seed', '3', '-o', png);
    const text = readPngText(png);
    assert.ok(isLabelledSynthetic(text));
    assert.equal(text['tsgan:seed'], '3,4,5,6,7,8');
    assert.match(text['tsgan:model-sha256'], /^[0-9a-f]{64}$/);

    const info = JSON.parse(await cli('info', run, '--json'));
    assert.equal(info.step, 2);
    assert.equal(info.model, 'dcgan');
    assert.equal(info.optimizers.G.t, 2);
    assert.equal(info.rng.length, 4);

    const exp = path.join(tmp, 'exported');
    await cli('export', run, exp);
    const loaded = await loadGenerator(exp);
    assert.equal(loaded.manifest.latentDim, 4);
    // Same latents -> same images from the checkpoint and from the export.
    const g = await openGenerator(run);
    const fromCk = sample(g, { seeds: [11, 12] });
    const z = tf.tensor2d([...latentForSeed(11, 4), ...latentForSeed(12, 4)], [2, 4]);
    const fromExport = loaded.model.predict(z) as tf.Tensor;
    const a = fromCk.samples.dataSync();
    const b = fromExport.dataSync();
    for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) < 1e-5, `pixel ${i}`);
    g.dispose();

    const walk = path.join(tmp, 'walk');
    await cli('interpolate', exp, '--seeds', '1,2,3', '--steps', '3', '-o', walk);
    assert.ok(isLabelledSynthetic(readPngText(`${walk}.png`)));
    assert.ok(readFileSync(`${walk}.gif`).subarray(0, 6).toString() === 'GIF89a');

    // Resume through the CLI continues from step 2.
    await cli('train', '--resume', run, '--steps', '3', '--progress', 'none');
    assert.ok(readdirSync(path.join(run, 'checkpoints')).includes('step-0000003.ckpt'));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('a config typo on the command line names the closest field', async () => {
  await assert.rejects(
    cli('train', '--preset', 'dcgan-fmnist', '--lrr', '0.1', '--progress', 'none'),
    /unknown key 'lrr', did you mean 'lr'\?/,
  );
  await assert.rejects(cli('train', '--preset', 'dcgan-fmnist', '--model.widht', '8'), /did you mean 'model.width'/);
  await assert.rejects(cli('train', '--preset', 'dcgan-fminst'), /did you mean 'dcgan-fmnist'/);
});

test('every command has --help with examples', () => {
  const program = buildProgram();
  for (const name of ['train', 'sample', 'interpolate', 'export', 'info']) {
    const cmd = program.commands.find((c) => c.name() === name);
    assert.ok(cmd, `command ${name}`);
    let help = '';
    cmd.configureOutput({ writeOut: (s) => (help += s) });
    cmd.outputHelp();
    assert.match(help, /Examples:/, name);
    assert.match(help, new RegExp(`tsgan ${name}`), name);
  }
});
