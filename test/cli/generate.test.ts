// tsgan generate: prompts to a labelled PNG grid from a (tiny) text2image run, and one sentence for
// each bad input: an empty prompt, a prompt of only unknown words, a prompt longer than the text
// encoder reads, a run that is not text-to-image, a file name that is not a PNG.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { isLabelledSynthetic, readPngText, train } from '../../src/index.js';
import { runCli } from '../helpers/cli.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'tsgan-generate-'));
const t2i = path.join(tmp, 't2i');
const ring = path.join(tmp, 'ring');

before(async () => {
  const tiny = { width: 4, latentDim: 4, wordDim: 8, textHidden: 8, embedDim: 8, condDim: 4, imageEncoderWidth: 4 };
  const r = await train({
    config: {
      model: { family: 'text2image', ...tiny },
      data: { source: 'shapes-text', limit: 64, size: 32 },
      steps: 2,
      batchSize: 4,
      sampleEvery: 1000,
      evalEvery: 0,
    },
    runDir: t2i,
    progress: 'none',
    handleSignals: false,
  });
  r.trainer.dispose();
  const v = await train({
    config: {
      model: { family: 'vanilla' },
      data: { source: 'ring8', points: 64 },
      steps: 1,
      batchSize: 4,
      sampleEvery: 1000,
    },
    runDir: ring,
    progress: 'none',
    handleSignals: false,
  });
  v.trainer.dispose();
});
after(() => rmSync(tmp, { recursive: true, force: true }));

test('generate: one row per prompt in a PNG labelled synthetic, with the prompts in its metadata; a walk between two prompts', async () => {
  const out = path.join(tmp, 'grid.png');
  const text = await runCli([
    'generate',
    t2i,
    '--prompt',
    'a large blue square',
    '--prompt',
    'a tiny red star',
    '-n',
    '3',
    '-o',
    out,
  ]);
  assert.match(text, /6 images \(2 rows\) written/);
  const meta = readPngText(out);
  assert.ok(isLabelledSynthetic(meta));
  assert.match(JSON.stringify(meta), /a large blue square \| a tiny red star/);
  const walk = path.join(tmp, 'walk.png');
  assert.match(
    await runCli([
      'generate',
      t2i,
      '--prompt',
      'a large blue square',
      '--prompt',
      'a tiny red star',
      '--interpolate',
      '4',
      '-o',
      walk,
    ]),
    /4 images \(1 row\)/,
  );
  // unknown words among known ones: a warning naming the closest known word, and the image
  const warned = await runCli(
    ['generate', t2i, '--prompt', 'a large blue sqaure', '-n', '1', '-o', path.join(tmp, 'w.png')],
    {
      capture: 'stderr',
    },
  );
  assert.match(warned, /'sqaure' is not a word this model knows .* did you mean 'square'/);
});

test('generate: a sentence for each bad input, and nothing written', async () => {
  const out = path.join(tmp, 'bad.png');
  const fails = async (args: string[], re: RegExp) =>
    assert.rejects(runCli(['generate', ...args, '-o', out], { quiet: true }), re);
  await fails([t2i, '--prompt', ''], /the prompt is empty/);
  await fails([t2i, '--prompt', 'zebra unicorn'], /none of the words of the prompt \('zebra', 'unicorn'\)/);
  await fails(
    [t2i, '--prompt', 'a large blue square at the top left a small red circle on the right'],
    /reads at most \d+ \(its longest training caption\)/,
  );
  await fails(
    [ring, '--prompt', 'a large blue square'],
    /holds a vanilla model, which does not draw from prompts: use tsgan sample/,
  );
  await fails([t2i, '--prompt', 'a blue square', '--interpolate', '4'], /give exactly two prompts/);
  await assert.rejects(
    runCli(['sample', t2i, '-n', '2', '-o', out], { quiet: true }),
    /text-to-image \(text2image\) model, which draws from prompts: use tsgan generate/,
  );
  await assert.rejects(
    runCli(['generate', t2i, '--prompt', 'a blue square', '-o', path.join(tmp, 'x.jpg')], { quiet: true }),
    /PNG images only/,
  );
  assert.equal(existsSync(out), false);
});
