// `tsgan bench translation-quality`: translation runs of one task scored on its held-out images,
// next to the trivial answers. Paired tasks: L1, PSNR and SSIM against the ground truth, for the
// runs, the input itself (the identity mapping) and the mean training target. Every task: FID to the
// target domain (fid-fmnist on the Fashion-MNIST classifier's features, fid-emoji on the emoji
// classifier's) of the same rows and of the held-out targets themselves. CycleGAN runs add their
// cycle-consistency error mean |G_BA(G_AB(a)) - a|. Unpaired tasks (cyclegan-fmnist) get FID only.
import { onHostBackend } from '../backend/select.js';
import type { FieldDataset } from '../data/fields.js';
import { EmojiClassifier } from '../metrics/emoji_classifier.js';
import { FmnistEvaluator } from '../metrics/evaluate.js';
import { featureStats, fidFromStats } from '../metrics/fid.js';
import { parseConfig } from '../train/config.js';
import { resolveCheckpointPath, trainerFromCheckpoint } from '../train/inference.js';
import { loadTranslationData, scoreOutputs, translateHeldOut } from '../train/translation_setup.js';

export interface QualityRow {
  name: string;
  step: number | null;
  /** Paired tasks only: against the held-out ground truth. */
  l1?: number;
  psnr?: number;
  ssim?: number;
  'fid-fmnist'?: number;
  /** FID of the outputs to the target style's training images, on the emoji classifier's features. */
  'fid-emoji'?: number;
  /** CycleGAN runs: mean |G_BA(G_AB(a)) - a| over the held-out inputs. */
  cycleL1?: number;
  /** Images the row's FID was computed on. */
  n: number;
}

export interface TranslationQualityResult {
  task: string;
  /** Held-out inputs translated. */
  heldOut: number;
  /** Whether the held-out inputs have ground truth (L1, PSNR and SSIM need it). */
  paired: boolean;
  /** What the FID column compares with. */
  fidReference: string;
  rows: QualityRow[];
  machine: { date: string };
}

/** Centre 28x28 crops of [n, 32, 32, 1] images (the Fashion-MNIST tasks pad 28 to 32). */
function crop28(x: Float32Array, n: number): Float32Array {
  const out = new Float32Array(n * 784);
  for (let k = 0; k < n; k++)
    for (let y = 0; y < 28; y++)
      out.set(x.subarray((k * 32 + y + 2) * 32 + 2, (k * 32 + y + 2) * 32 + 30), (k * 28 + y) * 28);
  return out;
}

type Field = FieldDataset['fields'][string];

/** FID to the target domain of image sets [n, H, W, C] of the task's target shape. */
async function targetFid(task: string, test: FieldDataset, trainTarget: Field) {
  const [h, w, co] = trainTarget.shape as [number, number, number];
  if (task.startsWith('fmnist-') && h === 32 && w === 32 && co === 1) {
    const evaluator = await onHostBackend(() => FmnistEvaluator.create());
    if (test.paired) {
      // Paired Fashion-MNIST tasks produce every class: FID to the whole real test split.
      return {
        metric: 'fid-fmnist' as const,
        reference: 'fid-fmnist: the real Fashion-MNIST test split (10,000), classifier features',
        fid: async (x: Float32Array, n: number) =>
          (await onHostBackend(() => evaluator.evaluate(crop28(x, n), n, ['fid-fmnist'])))['fid-fmnist']!,
      };
    }
    // Two-class domains: FID to the target class's training images.
    const feats = (x: Float32Array, n: number) => evaluator.classifier.extract(crop28(x, n), n).features;
    const ref = featureStats(await onHostBackend(() => feats(trainTarget.data as Float32Array, trainTarget.n)));
    return {
      metric: 'fid-fmnist' as const,
      reference: `fid-fmnist: the target domain's ${trainTarget.n} training images, classifier features`,
      fid: async (x: Float32Array, n: number) =>
        fidFromStats(featureStats(await onHostBackend(() => feats(x, n))), ref),
    };
  }
  if (task.startsWith('emoji-') && co === 3 && h === w) {
    const emoji = EmojiClassifier.load();
    const ref = featureStats(emoji.extract(trainTarget.data as Float32Array, trainTarget.n, h).features);
    return {
      metric: 'fid-emoji' as const,
      reference: `fid-emoji: the target style's ${trainTarget.n} training images, emoji classifier features`,
      fid: async (x: Float32Array, n: number) => fidFromStats(featureStats(emoji.extract(x, n, h).features), ref),
    };
  }
  return null;
}

export async function translationQuality(runs: string[]): Promise<TranslationQualityResult> {
  if (runs.length === 0) throw new Error('give at least one run folder or checkpoint');
  const cks = runs.map((r) => ({ run: r, ...resolveCheckpointPath(r) }));
  const source = (ck: (typeof cks)[number]) => parseConfig(ck.checkpoint.header.state.config).data.source;
  const task = source(cks[0]!);
  for (const ck of cks)
    if (source(ck) !== task)
      throw new Error(`${ck.run} was trained on ${source(ck)}, the first run on ${task}: compare runs of one task`);
  const config = parseConfig(cks[0]!.checkpoint.header.state.config);
  const data = await loadTranslationData(config.data, config.model.family);
  const test = data.test as FieldDataset | null;
  if (!test) throw new Error(`${task} has no held-out images to score`);
  const paired = test.paired === true;
  const inName = test.fields.input ? 'input' : 'A';
  const refName = test.fields.target ? 'target' : 'B';
  const x = test.fields[inName]!;
  const ref = test.fields[refName]!;
  const tr = data.train.fields[refName]!;
  const [h, w, c] = x.shape as [number, number, number];
  const co = ref.shape[2]!;
  const n = x.n;
  const fid = await targetFid(task, test, tr);
  if (!paired && !fid) throw new Error(`${task} has neither held-out pairs nor a target-domain FID to score with`);
  // `m`: images in `out` (the held-out inputs' count unless it is another set); pixel scores need
  // outputs aligned with the ground truth.
  const score = async (
    name: string,
    step: number | null,
    out: Float32Array,
    m = n,
    extra: Partial<QualityRow> = {},
  ) => {
    const row: QualityRow = { name, step, n: m, ...extra };
    if (paired && out !== ref.data) Object.assign(row, scoreOutputs(out, ref));
    if (fid) row[fid.metric] = await fid.fid(out, m);
    return row;
  };
  const rows: QualityRow[] = [];
  for (const ck of cks) {
    const trainer = trainerFromCheckpoint(ck.checkpoint, ck.file);
    try {
      const m = trainer.model;
      const t = translateHeldOut(m, (name) => trainer.ema[name] ?? m.networks[name]!, test);
      const opts = m.options as { l1Only?: boolean };
      const name = `${m.family}${opts.l1Only ? ' (L1 only)' : ''}: ${ck.run}`;
      rows.push(await score(name, trainer.step, t.outputs, n, t.cycleL1 === undefined ? {} : { cycleL1: t.cycleL1 }));
    } finally {
      trainer.dispose();
    }
  }
  if (c === co) rows.push(await score('the input itself (identity)', null, x.data as Float32Array));
  if (fid && (!paired || task.startsWith('emoji-')))
    rows.push(await score('the held-out targets themselves', null, ref.data as Float32Array, ref.n));
  if (paired) {
    const per = h * w * co;
    const mean = new Float32Array(per);
    for (let k = 0; k < tr.n; k++) for (let i = 0; i < per; i++) mean[i]! += tr.data[k * per + i]! / tr.n;
    const meanOut = new Float32Array(n * per);
    for (let k = 0; k < n; k++) meanOut.set(mean, k * per);
    rows.push(await score('the mean training target', null, meanOut));
  }
  return {
    task,
    heldOut: n,
    paired,
    fidReference: fid?.reference ?? 'none',
    rows,
    machine: { date: new Date().toISOString() },
  };
}

export function formatTranslationQuality(r: TranslationQualityResult): string {
  const has = (k: keyof QualityRow) => r.rows.some((x) => x[k] !== undefined);
  const cols: [keyof QualityRow, string, number, number][] = [
    ['l1', 'L1', 8, 4],
    ['psnr', 'PSNR', 8, 2],
    ['ssim', 'SSIM', 8, 4],
    ['fid-fmnist', 'fid-fmnist', 12, 2],
    ['fid-emoji', 'fid-emoji', 11, 2],
    ['cycleL1', 'cycle L1', 10, 4],
  ];
  const shown = cols.filter(([k]) => has(k));
  const lines = [
    `${r.task}: ${r.heldOut} held-out ${r.paired ? 'pairs' : 'inputs (no ground truth: FID only)'}; FID against ${r.fidReference}`,
    `${'output'.padEnd(60)}${'step'.padStart(7)}${'n'.padStart(6)}${shown.map(([, t, wd]) => t.padStart(wd)).join('')}`,
  ];
  for (const x of r.rows)
    lines.push(
      `${x.name.slice(0, 59).padEnd(60)}${String(x.step ?? '').padStart(7)}${String(x.n).padStart(6)}${shown
        .map(([k, , wd, d]) => {
          const v = x[k];
          return (typeof v === 'number' ? v.toFixed(d) : '').padStart(wd);
        })
        .join('')}`,
    );
  return lines.join('\n');
}
