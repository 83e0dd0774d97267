// `tsgan distill`: a narrower student generator trained to reproduce a run's generator, written as
// a new run folder that sample, export, eval and info read (src/train/distill.ts).
import type { Command } from 'commander';

import { distill } from '../../index.js';
import { workProgress } from '../progress.js';

interface DistillFlags {
  width: string;
  steps?: string;
  batch?: string;
  lr?: string;
  loss?: string;
  featureWeight?: string;
  seed?: string;
  logEvery?: string;
  runDir?: string;
  overwrite?: boolean;
}

/** A number option, or one sentence naming it. */
function num(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new Error(`--${name} must be a number, got '${v}'`);
  return n;
}

export function registerDistill(program: Command): void {
  program
    .command('distill <run>')
    .description("train a narrower generator (same family) to reproduce a run's generator: a lighter student run")
    .requiredOption('--width <n>', "the student's generator width (dcgan/cgan: widthG; vanilla: hidden units)")
    .option('--steps <n>', 'distillation steps (default 3000)')
    .option('--batch <n>', 'latents per step (default 64)')
    .option('--lr <x>', 'Adam learning rate (default 1e-3)')
    .option('--loss <l1|l2>', 'output loss (default l1)')
    .option('--feature-weight <x>', "weight of matching the teacher D's last hidden features (default 0: off)")
    .option('--seed <n>', 'seed of the latents and the initial weights (default 0)')
    .option('--log-every <n>', 'write the loss to metrics.jsonl every n steps (default 100)')
    .option('--run-dir <dir>', 'the student run folder (default <run>-distilled-w<width>)')
    .option('--overwrite', 'replace a run in --run-dir')
    .addHelpText(
      'after',
      `
The teacher is the run's sampling generator (its EMA copy when kept), in inference mode; the student
is the same architecture with a narrower generator, trained on fresh latents to match its outputs
(L1 or L2, plus optional feature matching through the teacher's D), as in Aguinaldo et al. 2019.
The student run holds a checkpoint, config.json, metrics.jsonl and distill.json.

Examples:
  $ tsgan distill runs/dcgan-fmnist-20260101-120000 --width 16
  $ tsgan sample runs/dcgan-fmnist-20260101-120000-distilled-w16 -o student.png
  $ tsgan eval runs/dcgan-fmnist-20260101-120000-distilled-w16 --metrics fid-fmnist`,
    )
    .action(async (run: string, o: DistillFlags) => {
      const width = num('width', o.width)!;
      const runDir = o.runDir ?? `${run.replace(/[/\\]+$/, '')}-distilled-w${o.width}`;
      const bar = workProgress('distill steps', { minTotal: 0 });
      try {
        const r = await distill(
          run,
          runDir,
          {
            width,
            ...(o.steps !== undefined ? { steps: num('steps', o.steps) } : {}),
            ...(o.batch !== undefined ? { batchSize: num('batch', o.batch) } : {}),
            ...(o.lr !== undefined ? { lr: num('lr', o.lr) } : {}),
            ...(o.loss !== undefined ? { loss: o.loss as 'l1' | 'l2' } : {}),
            ...(o.featureWeight !== undefined ? { featureWeight: num('feature-weight', o.featureWeight) } : {}),
            ...(o.seed !== undefined ? { seed: num('seed', o.seed) } : {}),
            ...(o.logEvery !== undefined ? { logEvery: num('log-every', o.logEvery) } : {}),
          },
          {
            overwrite: o.overwrite ?? false,
            onStep: (s, total) => bar.update(s, total),
            warn: (m) => process.stderr.write(`tsgan: ${m}\n`),
          },
        );
        bar.stop();
        process.stdout.write(
          `distilled a ${r.studentParams.toLocaleString('en-US')}-parameter generator from a ${r.teacherParams.toLocaleString('en-US')}-parameter one in ${r.step} steps (final loss ${r.loss.toFixed(4)}) into ${r.runDir}\n`,
        );
      } finally {
        bar.stop();
      }
    });
}
