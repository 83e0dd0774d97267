// `tsgan train` inputs: --config merges deeply with command-line fields (a file's cgan stays a cgan
// under --model.width), a bad --config file is a sentence naming it, --lr under a preset's lrG / lrD
// sets both (and says so), --preset with --resume is refused when it differs, an existing run folder
// is refused without --resume or --overwrite.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { runCli } from '../helpers/cli.js';

/**
 * Runs the CLI in this process; resolves with what it wrote to stderr (stdout is left alone: the
 * test runner reports through it).
 */
async function cli(...args: string[]): Promise<{ err: string }> {
  return { err: await runCli(args, { capture: 'stderr' }) };
}

/** A tiny, fast run's fields (1 step, 32 images). */
const TINY = [
  '--steps',
  '1',
  '--batchSize',
  '4',
  '--data.limit',
  '32',
  '--sampleEvery',
  '1000',
  '--sampleCount',
  '4',
  '--progress',
  'none',
];

test('--config file.json --model.width 3: the file model section is kept (deep merge)', async () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'tsgan-cfgmerge-'));
  try {
    const file = path.join(tmp, 'c.json');
    writeFileSync(
      file,
      JSON.stringify({ model: { family: 'cgan', width: 2, latentDim: 4, embedDim: 3 }, loss: 'hinge', seed: 4 }),
    );
    const run = path.join(tmp, 'run');
    await cli('train', '--config', file, '--model.width', '3', '--run-dir', run, ...TINY);
    const saved = JSON.parse(readFileSync(path.join(run, 'config.json'), 'utf8'));
    assert.equal(saved.config.model.family, 'cgan');
    assert.equal(saved.config.model.width, 3);
    assert.equal(saved.config.model.latentDim, 4);
    assert.equal(saved.config.model.embedDim, 3);
    assert.equal(saved.config.loss, 'hinge');
    assert.equal(saved.model.family, 'cgan');
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('--resume refuses a --preset the run was not made with; an existing run folder needs --resume or --overwrite', async () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'tsgan-existing-'));
  try {
    const file = path.join(tmp, 'c.json');
    writeFileSync(file, JSON.stringify({ model: { family: 'dcgan', width: 2, latentDim: 4 } }));
    const run = path.join(tmp, 'run');
    await cli('train', '--config', file, '--run-dir', run, ...TINY);

    // --resume with a --preset the run was not made with: refused, naming both.
    await assert.rejects(
      cli('train', '--resume', run, '--preset', 'dcgan-fmnist', '--steps', '2'),
      /--preset dcgan-fmnist cannot change a resumed run: .* \(it was not started from a preset\); leave out --preset/,
    );

    // The same folder again without --resume: refused; with --overwrite: replaced.
    await assert.rejects(
      cli('train', '--config', file, '--run-dir', run, ...TINY),
      /already holds a run .*--resume .*--overwrite/,
    );
    await cli('train', '--config', file, '--seed', '8', '--run-dir', run, '--overwrite', ...TINY);
    assert.equal(JSON.parse(readFileSync(path.join(run, 'config.json'), 'utf8')).config.seed, 8);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('a --config file that is not JSON: a sentence naming the file', async () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'tsgan-badcfg-'));
  try {
    const bad = path.join(tmp, 'bad.json');
    writeFileSync(bad, '{"steps": 3,}');
    await assert.rejects(cli('train', '--config', bad), (e: Error) => {
      assert.ok(e.message.includes(`the config file ${bad} is not valid JSON`), e.message);
      return true;
    });
    await assert.rejects(
      cli('train', '--config', path.join(tmp, 'nope.json')),
      /cannot read the config file .*nope\.json: no such file/,
    );
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('a --config file holding an array ([1,2]): a sentence, not "unknown key \'0\'"', async () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'tsgan-arrcfg-'));
  try {
    const arr = path.join(tmp, 'arr.json');
    writeFileSync(arr, '[1,2]');
    await assert.rejects(cli('train', '--config', arr), (e: Error) => {
      assert.doesNotMatch(e.message, /unknown key/);
      assert.ok(e.message.includes(`the config file ${arr} must hold a JSON object of config fields`), e.message);
      assert.match(e.message, /not an array/);
      return true;
    });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test("--lr under a preset with lrG / lrD sets both networks' rate and says so", async () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'tsgan-lr-'));
  try {
    const run = path.join(tmp, 'run');
    const { err } = await cli(
      'train',
      '--preset',
      'dcgan-fmnist',
      '--lr',
      '1e-3',
      '--model.width',
      '2',
      '--model.widthD',
      '2',
      '--model.latentDim',
      '4',
      '--model.infoCategories',
      '2',
      '--evalEvery',
      '0',
      '--logEvery',
      '1',
      '--run-dir',
      run,
      ...TINY,
    );
    assert.match(err, /lr 0\.001 sets both networks' learning rate: it replaces lrG 0\.0012 and lrD 0\.0004/);
    const line = JSON.parse(readFileSync(path.join(run, 'metrics.jsonl'), 'utf8').trim().split('\n')[0]);
    assert.equal(line.lrG, 1e-3);
    assert.equal(line.lrD, 1e-3);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
