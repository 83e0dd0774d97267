// `tsgan bench mocogan` (one training step against PyTorch) and `tsgan bench video-quality` (a video
// run's clips against real held-out clips: per-frame FID, content distance, a motion classifier).
import type { Command } from 'commander';

import { benchMocogan, formatMocoganBench } from '../../bench/mocogan.js';
import { benchVideoQuality } from '../../bench/video_quality.js';
import { formatVideoQuality } from '../../video/measure.js';
import { workProgress } from '../progress.js';

const int = (name: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number, got '${v}'`);
  return n;
};

export function registerBenchVideo(bench: Command): void {
  bench
    .command('mocogan')
    .description('time one MoCoGAN training step; runs the PyTorch peer (bench/torch_mocogan.py) in the same call')
    .option('--size <n>', 'frame side (32 or 64)', int('size'), 32)
    .option('--channels <n>', 'frame channels', int('channels'), 3)
    .option('--frames <n>', 'frames per clip', int('frames'), 16)
    .option('--batch <n>', 'clips per step', int('batch'), 16)
    .option('--steps <n>', 'timed steps', int('steps'), 5)
    .option('--warmup <n>', 'untimed steps first', int('warmup'), 1)
    .option('--width <n>', 'widths of G and both discriminators (the presets: 32)', int('width'), 32)
    .option('--no-peer', 'do not run the PyTorch peer')
    .option('--threads <n>', "the peer's threads (default: the core count)", int('threads'))
    .option(
      '--peer-conv <kind>',
      "the peer's (2+1)-D convolutions: best (time Conv3d and reshaped Conv2d, keep the faster), 2d or 3d",
      'best',
    )
    .option('--json', 'print one JSON object')
    .addHelpText('after', '\nExamples:\n  tsgan bench mocogan\n  tsgan bench mocogan --channels 1 --batch 8 --json')
    .action(async (o: Record<string, number | boolean | undefined>) => {
      const r = await benchMocogan({
        size: o.size as number,
        channels: o.channels as number,
        frames: o.frames as number,
        batch: o.batch as number,
        steps: o.steps as number,
        warmup: o.warmup as number,
        width: o.width as number,
        peer: o.peer as boolean,
        threads: o.threads as number | undefined,
        peerConv: o.peerConv as unknown as 'best' | '2d' | '3d',
      });
      console.log(o.json ? JSON.stringify(r) : formatMocoganBench(r));
    });
  bench
    .command('video-quality')
    .description(
      "score a video run's clips beside real held-out clips: per-frame fid-fmnist, average content distance, a motion classifier trained on the real clips",
    )
    .argument('<run>', 'run folder or checkpoint of a mocogan run')
    .option('--n <count>', 'clips of each side', int('n'), 128)
    .option('--seed <n>', "seed of the generated clips' latents", int('seed'), 1000)
    .option(
      '--classifier-steps <n>',
      "the motion classifier's training steps (0: no classifier)",
      int('classifier-steps'),
      300,
    )
    .option('--json', 'print one JSON object')
    .addHelpText('after', '\nExample:\n  tsgan bench video-quality runs/mocogan-fmnist32-<time>')
    .action(async (run: string, o: { n: number; seed: number; classifierSteps: number; json?: boolean }) => {
      const bar = workProgress('motion classifier');
      let r: Awaited<ReturnType<typeof benchVideoQuality>>;
      try {
        r = await benchVideoQuality(run, { ...o, onClassifierStep: (k, total) => bar.update(k, total) });
      } finally {
        bar.stop();
      }
      console.log(o.json ? JSON.stringify(r) : formatVideoQuality(r));
    });
}
