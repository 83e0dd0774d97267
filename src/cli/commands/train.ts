// `tsgan train`: parses options and calls the library's train() (src/train/run.ts).
import os from 'node:os';

import type { Command } from 'commander';

import { mergeConfigLayers, PRESETS, parseCliValue, readConfigFile, setPath, train } from '../../index.js';
import { EXPECTED_WALL_TIME } from '../../train/presets.js';

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
    .option('--overwrite', 'start a new run in a --run-dir that holds one (deletes its checkpoints, metrics, samples)')
    .option('--config <file.json>', 'config fields from a JSON file (over the preset; command-line fields win)')
    .option('--progress <mode>', 'auto | bar | lines | none', 'auto')
    .option('--list-presets', 'print the presets and exit')
    .allowUnknownOption(true)
    .allowExcessArguments(true)
    .addHelpText(
      'after',
      `
Any config field can be set as --field value, nested ones with dots (unknown names are rejected
with the closest valid one); nested fields merge with the preset's and the --config file's.
--lr sets both networks' learning rate, replacing a preset's lrG / lrD (set those to keep two).
Ctrl-C, SIGTERM and SIGHUP save a checkpoint and stop; --resume continues exactly. A run folder
that holds a run is refused without --resume or --overwrite.
Exit codes: 0 completed, 1 error, 3 stopped by the health monitor, 4 diverged (NaN or infinite
losses), 128 + the signal's number when stopped by one (130 for Ctrl-C, 143 for SIGTERM).

Examples:
  $ tsgan train --preset dcgan-fmnist                      # the main job (<= 10 min on 2 cores)
  $ tsgan train --preset vanilla-ring8 --steps 3000 --seed 1
  $ tsgan train --preset dcgan-fmnist --lrD 4e-4 --model.width 32 --ema 0.999
  $ tsgan train --preset cgan-fmnist --diffAugment color,translation,cutout
  $ tsgan train --resume runs/dcgan-fmnist-20260101-120000 --steps 3000`,
    )
    .action(async (opts: Record<string, unknown>, cmd: Command) => {
      if (opts.listPresets) {
        for (const [name, p] of Object.entries(PRESETS)) {
          const wall = EXPECTED_WALL_TIME[name];
          process.stdout.write(`${name.padEnd(24)} ${p.description}${wall ? ` [2 cores: ${wall}]` : ''}\n`);
        }
        return;
      }
      const fromFile = typeof opts.config === 'string' ? readConfigFile(opts.config) : {};
      // Command-line fields over the file's, merged deeply (--model.width keeps the file's model.family).
      const config = mergeConfigLayers([fromFile, parseConfigOverrides(cmd.args)], (m) =>
        process.stderr.write(`tsgan: ${m}\n`),
      );
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
        overwrite: opts.overwrite === true,
        progress: opts.progress as 'auto' | 'bar' | 'lines' | 'none',
      });
      res.trainer.dispose();
      process.stderr.write(
        `${res.reason} at step ${res.step}${res.message ? `: ${res.message}` : ''}\nrun folder: ${res.runDir}\n`,
      );
      if (res.reason === 'interrupted') process.exitCode = 128 + (os.constants.signals[res.signal ?? 'SIGINT'] ?? 2);
      else if (res.reason === 'stopped') process.exitCode = 3;
      else if (res.reason === 'diverged') process.exitCode = 4;
    });
}
