// `tsgan eval`: evaluates a run, a checkpoint or an exported generator with the -fmnist metrics
// (src/metrics/evaluate.ts), or the PacGAN mode coverage of a 2-D toy generator. `real:train` /
// `real:test` as the source evaluates real images instead (the baseline numbers).
import type { Command } from 'commander';

import { loadFashionMnist } from '../../data/fashion_mnist.js';
import { modeCoverage, toy2dSpec } from '../../data/toy2d.js';
import { FmnistEvaluator, formatResults, parseMetricList, type MetricResults } from '../../metrics/evaluate.js';
import { asFmnist28 } from '../../metrics/fmnist_crop.js';
import { onHostBackend } from '../../backend/select.js';
import { openGenerator, sample } from '../../index.js';
import { videoRefusal } from '../../train/inference.js';
import { intOption } from '../options.js';
import { evaluateSRRun, formatSREvaluation, isSRRun } from '../../train/sr_eval.js';

/** Images [n, ...] of a generator, in batches, with labels cycled over the classes. */
async function generate(source: string, n: number, seed: number, useEma: boolean, normalize = true, batch = 500) {
  const g = await openGenerator(source, { useEma, warn: (m) => process.stderr.write(`tsgan: ${m}\n`) });
  const video = videoRefusal(g, source);
  if (video) {
    g.dispose();
    throw new Error(video);
  }
  try {
    const per = g.outputShape.reduce((a, b) => a * b, 1);
    const out = new Float32Array(n * per);
    const labels: number[] = [];
    const [lo, hi] = g.valueRange;
    for (let b = 0; b < n; b += batch) {
      const m = Math.min(batch, n - b);
      const r = sample(g, {
        n: m,
        seed: seed + b,
        classes: g.numClasses > 0 ? Array.from({ length: m }, (_, i) => (b + i) % g.numClasses) : undefined,
      });
      const v = (await r.samples.data()) as Float32Array; // async: also on a GPU backend
      r.samples.dispose();
      // Images to [-1, 1] whatever the generator's value range; points as they are.
      for (let i = 0; i < v.length; i++) out[b * per + i] = normalize ? ((v[i] - lo) / (hi - lo)) * 2 - 1 : v[i];
      if (r.labels) labels.push(...r.labels);
    }
    return {
      images: out,
      shape: g.outputShape,
      labels: labels.length ? labels : undefined,
      step: g.step,
      model: g.model,
      valueRange: g.valueRange,
    };
  } finally {
    g.dispose();
  }
}

export function registerEval(program: Command): void {
  program
    .command('eval <source>')
    .description(
      'evaluate a run folder, checkpoint or exported generator: fid-fmnist, kid-fmnist, is-fmnist, pr, dc, classes',
    )
    .option(
      '--metrics <list>',
      'comma-separated metrics: fid-fmnist,kid-fmnist,is-fmnist,pr-fmnist (pr),dc-fmnist (dc),classes',
      'fid-fmnist,kid-fmnist,is-fmnist,pr',
    )
    .option(
      '-n, --n <count>',
      'number of generated samples (FID needs >= 10000 to compare)',
      intOption({ min: 2 }),
      10000,
    )
    .option('--real <split>', "real images to compare against: 'test' (embedded) or 'train' (full dataset)", 'test')
    .option(
      '--real-n <count>',
      'number of real images to compare against (the first of the split)',
      intOption({ min: 2 }),
      10000,
    )
    .option('--seed <n>', 'base latent seed of the evaluated samples', intOption(), 1_000_000)
    .option('--toy <name>', '2-D toy generator: report PacGAN mode coverage on ring8 or grid25 (2,500 samples) instead')
    .option('--raw', 'use the raw generator weights, not the EMA copy')
    .option('--json', 'print the results as one JSON object')
    .addHelpText(
      'after',
      `
The -fmnist metrics use tsgan's Fashion-MNIST classifier (data/classifier/), not Inception: compare
them only with other -fmnist numbers, computed with the same --n.

Examples:
  $ tsgan eval runs/dcgan-fmnist-20260101-120000
  $ tsgan eval runs/x/checkpoints/step-00005000.ckpt --metrics fid-fmnist,pr --n 5000 --json
  $ tsgan eval real:test --real train          # real held-out data vs (10,000 of) the training split
  $ tsgan eval runs/vanilla-ring8-xyz --toy ring8
  $ tsgan eval runs/srresnet-emoji-x4-xyz        # super-resolution: PSNR/SSIM on Y vs bicubic, held out`,
    )
    .action(async (source: string, o: Record<string, unknown>) => {
      const n = o.n as number;
      if (!Number.isInteger(n) || n < 2) throw new Error(`--n must be an integer >= 2, got ${o.n}`);
      if (isSRRun(source)) {
        // Super-resolution: PSNR/SSIM on Y and feature distance on the run's held-out images, vs bicubic.
        const r = await onHostBackend(() =>
          evaluateSRRun(source, { limit: o.n === 10000 ? undefined : n, useEma: !o.raw }),
        );
        process.stdout.write(o.json ? `${JSON.stringify(r)}\n` : `${formatSREvaluation(r)}\n`);
        return;
      }
      if (o.toy) {
        const toy = o.toy as string;
        if (toy !== 'ring8' && toy !== 'grid25') throw new Error(`--toy must be ring8 or grid25, got '${toy}'`);
        const nToy = o.n === 10000 ? 2500 : n;
        const g = await generate(source, nToy, o.seed as number, !o.raw, false);
        if (g.shape.join(',') !== '2')
          throw new Error(`--toy needs a 2-D point generator; this one makes [${g.shape}]`);
        const pts = g.images;
        const spec = toy2dSpec(toy);
        const r = modeCoverage(pts, spec.modes, spec.sigma);
        if (o.json) process.stdout.write(`${JSON.stringify({ source, toy, ...r })}\n`);
        else
          process.stdout.write(
            `${toy}: ${r.modesCovered}/${r.numModes} modes covered, ${(100 * r.highQualityFraction).toFixed(1)}% high-quality samples (${r.n} samples, 3 sigma)\n`,
          );
        return;
      }
      const metrics = parseMetricList(o.metrics as string);
      const real = o.real as string;
      if (real !== 'test' && real !== 'train') throw new Error(`--real must be test or train, got '${real}'`);
      // The metric networks run on the CPU backend whatever --backend is (they read synchronously);
      // a GPU only generates the samples.
      const evaluator = await onHostBackend(() => FmnistEvaluator.create({ real, realLimit: o.realN as number }));
      let results: MetricResults;
      let meta: Record<string, unknown>;
      const m = /^real:(test|train)$/.exec(source);
      if (m) {
        const ds = loadFashionMnist({ split: m[1] as 'test' | 'train', limit: n });
        results = await onHostBackend(() =>
          evaluator.evaluate(ds.images, ds.n, metrics, metrics.includes('classes') ? ds.labels! : undefined),
        );
        meta = { source, split: m[1] };
      } else {
        const g = await generate(source, n, o.seed as number, !o.raw);
        const images = asFmnist28(g.images, n, g.shape); // 32x32 (padded Fashion-MNIST): the centre 28x28
        if (!images) {
          throw new Error(
            `the -fmnist metrics need 28x28 (or padded 32x32) grayscale images; this generator makes [${g.shape}] (use --toy for 2-D toys)`,
          );
        }
        results = await onHostBackend(() => evaluator.evaluate(images, n, metrics, g.labels));
        meta = { source, model: g.model, step: g.step, seed: o.seed };
      }
      if (o.json) process.stdout.write(`${JSON.stringify({ ...meta, ...results })}\n`);
      else
        process.stdout.write(
          `${source}${meta.step != null ? ` (step ${meta.step})` : ''}\n${formatResults(results)}\n`,
        );
    });
}
