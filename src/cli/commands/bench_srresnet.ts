// `tsgan bench srresnet`: one SRResNet training step against the same network in PyTorch.
import type { Command } from 'commander';

import { benchSRResNet, formatSRResNetBench } from '../../bench/srresnet.js';

const int = (name: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number, got '${v}'`);
  return n;
};

export function registerBenchSRResNet(bench: Command): void {
  bench
    .command('srresnet')
    .description(
      'time one SRResNet training step (L1, x4, 16 blocks of 64); runs the PyTorch peer (bench/torch_srresnet.py) in the same call',
    )
    .option('--size <n>', 'output side', int('size'), 64)
    .option('--scale <n>', '2 or 4', int('scale'), 4)
    .option('--batch <n>', 'images per step', int('batch'), 16)
    .option('--blocks <n>', 'residual blocks', int('blocks'), 16)
    .option('--width <n>', 'trunk channels', int('width'), 64)
    .option('--steps <n>', 'timed steps', int('steps'), 10)
    .option('--warmup <n>', 'untimed steps first', int('warmup'), 2)
    .option('--no-peer', 'do not run the PyTorch peer')
    .option('--threads <n>', "the peer's threads (default: the core count)", int('threads'))
    .option('--json', 'print one JSON object')
    .addHelpText('after', '\nExamples:\n  tsgan bench srresnet\n  tsgan bench srresnet --steps 3 --json')
    .action(async (o: { json?: boolean } & Record<string, number | boolean>) => {
      const r = await benchSRResNet({
        size: o.size as number,
        scale: o.scale as 2 | 4,
        batch: o.batch as number,
        blocks: o.blocks as number,
        width: o.width as number,
        steps: o.steps as number,
        warmup: o.warmup as number,
        peer: o.peer as boolean,
        threads: o.threads as number | undefined,
      });
      console.log(o.json ? JSON.stringify(r) : formatSRResNetBench(r));
    });
}
