// `tsgan translate RUN INPUT... -o DIR`: image-to-image translation with a pix2pix or CycleGAN run.
import type { Command } from 'commander';

import { type Direction, translateFiles } from '../../train/translate.js';

export function registerTranslate(program: Command): void {
  program
    .command('translate')
    .description('translate images with a pix2pix or CycleGAN run (any size; alpha kept; outputs labelled synthetic)')
    .argument('<run>', 'run folder or checkpoint file')
    .argument('<inputs...>', 'image files (PNG, JPEG, WebP, GIF, TIFF, AVIF)')
    .requiredOption('-o, --out <dir>', 'folder for the translated PNGs (same base names)')
    .option('--direction <d>', 'CycleGAN: AtoB or BtoA', 'AtoB')
    .option('--no-ema', 'use the trained generator instead of its EMA copy')
    .addHelpText(
      'after',
      '\nExamples:\n  tsgan translate runs/pix2pix-emoji-<time> face.png -o out\n  tsgan translate runs/cyclegan-emoji-<time> *.png -o out --direction BtoA',
    )
    .action(async (run: string, inputs: string[], o: { out: string; direction: string; ema: boolean }) => {
      await translateFiles(run, inputs, o.out, {
        direction: o.direction as Direction,
        useEma: o.ema,
        warn: (m) => process.stderr.write(`warning: ${m}\n`),
        onFile: (written, i, n) => process.stdout.write(`[${i + 1}/${n}] ${written}\n`),
      });
    });
}
