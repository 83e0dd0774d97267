// `tsgan train`: parses options and calls the library's train() (src/train/run.ts).
import { readFileSync } from 'node:fs';

import type { Command } from 'commander';

import { PRESETS, parseCliValue, setPath, train } from '../../index.js';

/** Turns leftover `--a.b value`, `--a.b=value` and bare `--flag` tokens into a config object. */
export function parseConfigOverrides(tokens: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (!t.startsWith('--')) throw new Error(`unexpected argument '${t}' (config fields are given as --field value)`);
    const eq = t.indexOf('=');
    let key: string;
    let value: unknown;
    if (eq > 0) {
      key = t.slice(2, eq);
      value = parseCliValue(t.slice(eq + 1));
    } else {
      key = t.slice(2);
      const next = tokens[i + 1];
      if (next === undefined || (next.startsWith('--') && !/^--?\d/.test(next))) value = true;
      else {
        value = parseCliValue(next);
        i++;
      }
    }
    setPath(
      out,
      key.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()),
      value,
    );
  }
  return out;
}

export function registerTrain(program: Command): void {
  program
    .command('train')
    .description(
      'train a GAN from a preset and/or config fields; writes a run folder (config, metrics, samples, checkpoints)',
    )
    .option('-p, --preset <name>', `preset (${Object.keys(PRESETS).join(', ')})`)
    .option('--steps <n>', 'total training steps (also when resuming)', Number)
    .option('--seed <n>', 'seed of everything random in the run', Number)
    .option('--resume <run>', 'continue the run in this folder from its newest intact checkpoint')
    .option('--run-dir <dir>', 'run folder (default runs/<preset>-<time>)')
    .option('--config <file.json>', 'config fields from a JSON file (command-line fields win)')
    .option('--progress <mode>', 'auto | bar | lines | none', 'auto')
    .option('--list-presets', 'print the presets and exit')
    .allowUnknownOption(true)
    .allowExcessArguments(true)
    .addHelpText(
      'after',
      `
Any config field can be set as --field value, nested ones with dots (unknown names are rejected
with the closest valid one). Ctrl-C saves a checkpoint and stops; --resume continues exactly.

Examples:
  $ tsgan train --preset dcgan-fmnist                      # the main job (<= 10 min on 2 cores)
  $ tsgan train --preset vanilla-ring8 --steps 3000 --seed 1
  $ tsgan train --preset dcgan-fmnist --lrD 4e-4 --model.width 32 --ema 0.999
  $ tsgan train --preset cgan-fmnist --diffAugment color,translation,cutout
  $ tsgan train --resume runs/dcgan-fmnist-20260101-120000 --steps 3000`,
    )
    .action(async (opts: Record<string, unknown>, cmd: Command) => {
      if (opts.listPresets) {
        for (const [name, p] of Object.entries(PRESETS)) process.stdout.write(`${name.padEnd(24)} ${p.description}\n`);
        return;
      }
      let config: Record<string, unknown> = {};
      if (typeof opts.config === 'string')
        config = JSON.parse(readFileSync(opts.config, 'utf8')) as Record<string, unknown>;
      const extra = parseConfigOverrides(cmd.args);
      config = { ...config, ...extra };
      if (opts.steps !== undefined) config.steps = opts.steps;
      if (opts.seed !== undefined) config.seed = opts.seed;
      if (!opts.preset && !opts.resume && Object.keys(config).length === 0) {
        process.stderr.write('tsgan train: give --preset NAME (see --list-presets), config fields, or --resume RUN\n');
        process.exitCode = 2;
        return;
      }
      const res = await train({
        preset: opts.preset as string | undefined,
        config,
        resume: opts.resume as string | undefined,
        runDir: opts.runDir as string | undefined,
        progress: opts.progress as 'auto' | 'bar' | 'lines' | 'none',
      });
      res.trainer.dispose();
      process.stderr.write(
        `${res.reason} at step ${res.step}${res.message ? `: ${res.message}` : ''}\nrun folder: ${res.runDir}\n`,
      );
      if (res.reason === 'interrupted') process.exitCode = 130;
      else if (res.reason === 'stopped') process.exitCode = 3;
    });
}
