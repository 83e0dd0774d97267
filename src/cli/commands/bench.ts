// `tsgan bench dcgan28`: times the reference GAN step (and the PyTorch peer in the same run).
import type { Command } from 'commander';

import { benchDcgan28, profileDcgan28, type Dcgan28Profile, type Dcgan28Result } from '../../bench/dcgan28.js';
import { benchPresets, benchableNames, formatPresetBench } from '../../bench/presets.js';
import { registerBenchExplorer } from './bench_explorer.js';
import { registerBenchLighter } from './bench_lighter.js';
import { registerBenchModes } from './bench_modes.js';
import { registerBenchStylegan } from './bench_stylegan.js';
import { registerBenchTranslation } from './bench_translation.js';
import { registerBenchSRResNet } from './bench_srresnet.js';
import { registerBenchText2Image } from './bench_text2image.js';
import { registerBenchVideo } from './bench_video.js';

function formatResult(r: Dcgan28Result): string {
  const lines = [
    `dcgan28 on ${r.backend}, batch ${r.batch}, ${r.steps} steps (${r.machine.cpus} x ${r.machine.cpu_model})`,
    `  train: ${r.train_img_per_s} img/s (${r.train_ms_per_step} ms/step)`,
    `  infer: ${r.infer_img_per_s} img/s`,
  ];
  if (r.peer) {
    lines.push(
      `  peer ${r.peer.peer} ${r.peer.version} (${r.peer.device}, ${r.peer.threads} threads): train ${r.peer.train_img_per_s} img/s, infer ${r.peer.infer_img_per_s} img/s`,
    );
    lines.push(`  ratio: train ${r.peer.train_ratio}x, infer ${r.peer.infer_ratio}x`);
  } else if (r.peer_error) {
    lines.push(`  peer: not run (${r.peer_error})`);
  }
  return lines.join('\n');
}

function formatProfile(p: Dcgan28Profile): string {
  const lines = [
    `dcgan28 kernel profile on ${p.backend}, batch ${p.batch}: ${p.wall_ms_per_step} ms/step wall (profiled), ${p.kernel_ms_per_step} ms in kernels`,
    'kernel                        calls/step   ms/step   share',
  ];
  for (const r of p.rows) {
    lines.push(
      `${r.kernel.padEnd(30)}${String(r.calls_per_step).padStart(10)}${r.ms_per_step.toFixed(3).padStart(10)}${(r.share * 100).toFixed(1).padStart(7)}%`,
    );
  }
  return lines.join('\n');
}

export function registerBench(program: Command): void {
  const bench = program.command('bench').description('benchmarks (not tests): time reference workloads against a peer');
  registerBenchPresets(bench);
  registerBenchModes(bench);
  registerBenchLighter(bench);
  registerBenchTranslation(bench);
  registerBenchSRResNet(bench);
  registerBenchVideo(bench);
  registerBenchText2Image(bench);
  registerBenchStylegan(bench);
  registerBenchExplorer(bench);
  bench
    .command('dcgan28')
    .description(
      'time the dcgan28 training step and generator inference; runs the PyTorch peer in the same call when torch is installed',
    )
    .option('--batch <n>', 'images per step', (v) => Number(v), 64)
    .option('--steps <n>', 'timed training steps', (v) => Number(v), 30)
    .option('--warmup <n>', 'untimed steps first', (v) => Number(v), 3)
    .option('--no-peer', 'do not run the PyTorch peer')
    .option('--threads <n>', 'threads for the peer (default: the core count)', (v) => Number(v))
    .option(
      '--peer-device <device>',
      'where the PyTorch peer runs: cpu or cuda (default: cuda with --backend webgpu, else cpu)',
    )
    .option('--json', 'print one JSON object')
    .option('--profile', 'print where the step time goes, kernel by kernel, instead of timing')
    .addHelpText(
      'after',
      '\nExamples:\n  tsgan bench dcgan28\n  tsgan bench dcgan28 --batch 64 --steps 30 --json\n  tsgan --backend webgpu bench dcgan28 --batch 512 --json   (GPU; the peer runs on CUDA)\n  TSGAN_NUM_THREADS=1 tsgan bench dcgan28 --no-peer',
    )
    .action(
      async (o: {
        batch: number;
        steps: number;
        warmup: number;
        peer: boolean;
        threads?: number;
        peerDevice?: string;
        json?: boolean;
        profile?: boolean;
      }) => {
        if (o.peerDevice != null && o.peerDevice !== 'cpu' && o.peerDevice !== 'cuda')
          throw new Error(`--peer-device must be cpu or cuda, got '${o.peerDevice}'`);
        if (o.profile) {
          const p = await profileDcgan28(o.batch, Math.min(o.steps, 5));
          console.log(o.json ? JSON.stringify(p) : formatProfile(p));
          return;
        }
        const r = await benchDcgan28({
          batch: o.batch,
          steps: o.steps,
          warmup: o.warmup,
          peer: o.peer ? 'auto' : false,
          threads: o.threads,
          peerDevice: o.peerDevice as 'cpu' | 'cuda' | undefined,
        });
        console.log(o.json ? JSON.stringify(r) : formatResult(r));
      },
    );
}

/** `tsgan bench presets`: every preset's training step (src/bench/presets.ts). */
function registerBenchPresets(bench: Command): void {
  bench
    .command('presets')
    .description(
      "time every training preset's step (ms, images/s, the full run's training time); --profile adds the kernel census (native or tfjs cpu fallback); runs cgan-fmnist's PyTorch peer in the same call when torch is installed",
    )
    .option('--preset <names>', `comma-separated subset (${benchableNames().join(', ')})`)
    .option('--steps <n>', 'timed steps per preset (and profiled steps with --profile)', (v) => Number(v), 3)
    .option('--warmup <n>', 'untimed steps first', (v) => Number(v), 1)
    .option('--profile', "add each preset's kernel census")
    .option('--no-peer', 'do not run the PyTorch peer of cgan-fmnist')
    .option('--threads <n>', 'threads for the peer (default: the core count)', (v) => Number(v))
    .option('--json', 'print one JSON object')
    .addHelpText(
      'after',
      '\nExamples:\n  tsgan bench presets\n  tsgan bench presets --profile --preset cgan-fmnist,ref:dcgan-64\n  tsgan bench presets --steps 5 --json',
    )
    .action(
      async (o: {
        preset?: string;
        steps: number;
        warmup: number;
        profile?: boolean;
        peer: boolean;
        threads?: number;
        json?: boolean;
      }) => {
        if (o.threads !== undefined && !(Number.isInteger(o.threads) && o.threads >= 1))
          throw new Error(`--threads must be a positive integer, got ${o.threads}`);
        const r = await benchPresets({
          presets: o.preset
            ?.split(',')
            .map((s) => s.trim())
            .filter((s) => s.length > 0),
          steps: o.steps,
          warmup: o.warmup,
          profile: o.profile,
          peer: o.peer ? 'auto' : false,
          threads: o.threads,
          onProgress: (m) => process.stderr.write(`${m}\n`),
        });
        console.log(o.json ? JSON.stringify(r) : formatPresetBench(r));
      },
    );
}
