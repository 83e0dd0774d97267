// `tsgan bench stylegan`: one StyleGAN2 training step against its PyTorch peer (bench/torch_stylegan.py).
import type { Command } from 'commander';

import { benchStylegan, formatStyleganBench } from '../../bench/stylegan.js';
import { intOption } from '../options.js';

export function registerBenchStylegan(bench: Command): void {
  bench
    .command('stylegan')
    .description(
      'time one StyleGAN2 training step (D + G); runs the PyTorch peer (bench/torch_stylegan.py) in the same call',
    )
    .option('--size <n>', 'image side', intOption({ min: 8 }), 32)
    .option('--channels <n>', 'image channels', intOption({ min: 1, max: 4 }), 1)
    .option('--batch <n>', 'images per step', intOption({ min: 1 }), 16)
    .option('--steps <n>', 'timed steps a round', intOption({ min: 1 }), 30)
    .option(
      '--warmup <n>',
      "untimed steps first, on both sides (tsgan's step settles after ~50)",
      intOption({ min: 0 }),
      50,
    )
    .option(
      '--rounds <n>',
      'tsgan then the peer, n times: prints each ratio and the median round',
      intOption({ min: 1 }),
      1,
    )
    .option('--channel-base <n>', 'channels at resolution r: min(base / r, max)', intOption({ min: 1 }), 512)
    .option('--channel-max <n>', 'largest channel count', intOption({ min: 1 }), 64)
    .option('--z-dim <n>', 'z and w size', intOption({ min: 1 }), 64)
    .option('--no-peer', 'do not run the PyTorch peer')
    .option('--threads <n>', "the peer's threads (default: the core count)", intOption({ min: 1 }))
    .option('--json', 'print one JSON object')
    .addHelpText(
      'after',
      '\nExamples:\n  tsgan bench stylegan\n  tsgan bench stylegan --rounds 5\n  tsgan bench stylegan --channel-base 1024 --json',
    )
    .action(async (o: Record<string, unknown>) => {
      const r = await benchStylegan({
        size: o.size as number,
        channels: o.channels as number,
        batch: o.batch as number,
        steps: o.steps as number,
        warmup: o.warmup as number,
        rounds: o.rounds as number,
        channelBase: o.channelBase as number,
        channelMax: o.channelMax as number,
        zDim: o.zDim as number,
        peer: o.peer as boolean,
        threads: o.threads as number | undefined,
      });
      console.log(o.json ? JSON.stringify(r) : formatStyleganBench(r));
    });
}
