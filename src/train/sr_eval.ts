// Held-out evaluation of a super-resolution run (`tsgan eval RUN` on an srgan run): the run's own
// data source and held-out split (sr-emoji, sr-fmnist, sr-folder), upscaled by its generator (the
// EMA copy by default) and by bicubic resampling, scored by the standard protocol of
// src/metrics/sr_quality.ts: PSNR and SSIM on Y with `scale` pixels of border cropped, and the
// classifier-feature distance to the high-resolution image.
import { existsSync } from 'node:fs';
import path from 'node:path';

import { evaluateSR, type SREvaluation } from '../metrics/sr_quality.js';
import { parseConfig } from './config.js';
import { resolveCheckpointPath, trainerFromCheckpoint } from './inference.js';
import { loadSRData } from './sr_loop.js';

/** True when `source` is a run folder or checkpoint of an srgan model. */
export function isSRRun(source: string): boolean {
  if (!existsSync(path.resolve(source))) return false;
  try {
    return resolveCheckpointPath(source).checkpoint.header.model.family === 'srgan';
  } catch {
    return false;
  }
}

export interface SRRunEvaluation extends SREvaluation {
  source: string;
  step: number;
  data: string;
}

/** Scores an srgan run on its held-out images against bicubic upsampling. */
export async function evaluateSRRun(
  source: string,
  opts: { limit?: number; useEma?: boolean; warn?: (m: string) => void } = {},
): Promise<SRRunEvaluation> {
  const { file, checkpoint } = resolveCheckpointPath(source, opts.warn);
  if (checkpoint.header.model.family !== 'srgan')
    throw new Error(`${source} holds a ${checkpoint.header.model.family} model, not a super-resolution (srgan) one`);
  const config = parseConfig(checkpoint.header.state.config);
  const data = await loadSRData(config.data, 'srgan', config);
  if (!data.test || data.test.kind !== 'fields')
    throw new Error(`the run's data (${config.data.source}) has no held-out images to score against`);
  const trainer = trainerFromCheckpoint(checkpoint, file);
  try {
    const g = opts.useEma === false ? trainer.model.networks.G! : (trainer.ema.G ?? trainer.model.networks.G!);
    const r = evaluateSR(g, data.test, { limit: opts.limit });
    return {
      source,
      step: trainer.step,
      data: data.test.name,
      n: r.n,
      scale: r.scale,
      model: r.model,
      bicubic: r.bicubic,
    };
  } finally {
    trainer.dispose();
  }
}

/** The evaluation as lines of text. */
export function formatSREvaluation(r: SRRunEvaluation): string {
  const row = (name: string, s: SREvaluation['model']) =>
    `  ${name.padEnd(8)} PSNR-Y ${s.psnrY.toFixed(2)} dB   SSIM-Y ${s.ssimY.toFixed(4)}   feature distance ${s.featureDistance.toFixed(4)}`;
  return [
    `${r.source} (step ${r.step}): x${r.scale} on ${r.n} held-out images of ${r.data} (Y channel, ${r.scale}-pixel border cropped)`,
    row('model', r.model),
    row('bicubic', r.bicubic),
    `  model - bicubic: ${r.model.psnrY - r.bicubic.psnrY >= 0 ? '+' : ''}${(r.model.psnrY - r.bicubic.psnrY).toFixed(2)} dB`,
  ].join('\n');
}
