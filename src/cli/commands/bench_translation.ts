// `tsgan bench translation` (the step's speed against PyTorch) and `tsgan bench translation-quality`
// (held-out scores of runs against the trivial answers).
import type { Command } from 'commander';

import { benchTranslation, formatTranslationBench } from '../../bench/translation.js';
import { formatTranslationQuality, translationQuality } from '../../bench/translation_quality.js';

const int = (name: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number, got '${v}'`);
  return n;
};

export function registerBenchTranslation(bench: Command): void {
  bench
    .command('translation')
    .description(
      'time one pix2pix or CycleGAN training step; runs the PyTorch peer (bench/torch_translation.py) in the same call',
    )
    .option('--model <m>', 'pix2pix or cyclegan', 'pix2pix')
    .option('--size <n>', 'image side', int('size'), 64)
    .option('--batch <n>', 'images per step', int('batch'), 4)
    .option('--steps <n>', 'timed steps', int('steps'), 10)
    .option('--warmup <n>', 'untimed steps first', int('warmup'), 2)
    .option('--width <n>', 'ngf = ndf (the reference: 64)', int('width'), 64)
    .option('--blocks <n>', "CycleGAN's residual blocks", int('blocks'), 6)
    .option('--no-peer', 'do not run the PyTorch peer')
    .option('--threads <n>', "the peer's threads (default: the core count)", int('threads'))
    .option(
      '--peer-grouped',
      "cyclegan: the peer makes tsgan's three generator calls on concatenated inputs, not the reference's six",
    )
    .option('--json', 'print one JSON object')
    .addHelpText(
      'after',
      '\nExamples:\n  tsgan bench translation --model pix2pix --batch 1\n  tsgan bench translation --model cyclegan --batch 4 --json',
    )
    .action(async (o: { model: 'pix2pix' | 'cyclegan'; json?: boolean } & Record<string, number | boolean>) => {
      const r = await benchTranslation({
        model: o.model,
        size: o.size as number,
        batch: o.batch as number,
        steps: o.steps as number,
        warmup: o.warmup as number,
        width: o.width as number,
        blocks: o.blocks as number,
        peer: o.peer as boolean,
        threads: o.threads as number | undefined,
        peerGrouped: o.peerGrouped === true,
      });
      console.log(o.json ? JSON.stringify(r) : formatTranslationBench(r));
    });
  bench
    .command('translation-quality')
    .description(
      'score translation runs and the trivial answers (the input, the mean target) on the held-out images of their task: L1, PSNR, SSIM (pairs), FID to the target domain, CycleGAN cycle error',
    )
    .argument('<runs...>', 'run folders or checkpoints of one task')
    .option('--json', 'print one JSON object')
    .addHelpText(
      'after',
      '\nExamples:\n  tsgan bench translation-quality runs/pix2pix-edges-fmnist-<time> runs/l1-only-<time>\n  tsgan bench translation-quality runs/cyclegan-fmnist-<time>',
    )
    .action(async (runs: string[], o: { json?: boolean }) => {
      const r = await translationQuality(runs);
      console.log(o.json ? JSON.stringify(r) : formatTranslationQuality(r));
    });
}
