// `tsgan bench text2image`: one text-to-image training step against the same networks in PyTorch.
import type { Command } from 'commander';

import { benchText2Image, formatText2ImageBench } from '../../bench/text2image.js';
import { formatText2ImageQuality, text2imageQuality } from '../../bench/text2image_quality.js';
import { intOption } from '../options.js';

export function registerBenchText2Image(bench: Command): void {
  bench
    .command('text2image')
    .description(
      'time one text-to-image (GAN-INT-CLS) training step; runs the PyTorch peer (bench/torch_text2image.py) in the same call',
    )
    .option('--batch <n>', 'images per step', intOption({ min: 1 }), 64)
    .option('--width <n>', 'G and D base width', intOption({ min: 1 }), 32)
    .option(
      '--discriminator <kind>',
      "projection (the t2i presets': spectral norm, hinge loss) or concat (the paper's GAN-CLS, non-saturating loss)",
      'projection',
    )
    .option('--steps <n>', 'timed steps', intOption({ min: 1 }), 10)
    .option('--warmup <n>', 'untimed steps first', intOption({ min: 0 }), 2)
    .option('--no-peer', 'do not run the PyTorch peer')
    .option('--threads <n>', "the peer's threads (default: the core count)", intOption({ min: 1 }))
    .option('--json', 'print one JSON object')
    .addHelpText(
      'after',
      '\nExamples:\n  tsgan bench text2image\n  tsgan bench text2image --batch 32 --threads 1 --json\n  tsgan bench text2image --discriminator concat',
    )
    .action(async (o: Record<string, unknown>) => {
      const r = await benchText2Image({
        batch: o.batch as number,
        width: o.width as number,
        discriminator: o.discriminator as 'projection' | 'concat',
        steps: o.steps as number,
        warmup: o.warmup as number,
        peer: o.peer as boolean,
        threads: o.threads as number | undefined,
      });
      console.log(o.json ? JSON.stringify(r) : formatText2ImageBench(r));
    });
  bench
    .command('text2image-quality')
    .description(
      'score a shapes-text run: attribute rates of generated vs real images vs chance, R-precision, held-out combinations apart',
    )
    .argument('<run>', 'run folder or checkpoint of a text2image model trained on shapes-text')
    .option('-n, --n <count>', 'captions per split', intOption({ min: 10 }), 500)
    .option('--raw', 'use the raw generator weights, not the EMA copy')
    .option('--json', 'print one JSON object')
    .addHelpText('after', '\nExample:\n  tsgan bench text2image-quality runs/t2i-shapes-<time>')
    .action(async (run: string, o: { n: number; raw?: boolean; json?: boolean }) => {
      const q = await text2imageQuality(run, {
        n: o.n,
        raw: o.raw,
        onProgress: (w) => process.stderr.write(`tsgan: ${w}\n`),
      });
      console.log(o.json ? JSON.stringify(q) : formatText2ImageQuality(q));
    });
}
