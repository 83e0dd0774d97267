import { onHostBackend } from '../backend/select.js';
import type { FieldDataset } from '../data/fields.js';
import { EmojiClassifier } from '../metrics/emoji_classifier.js';
import { FmnistEvaluator } from '../metrics/evaluate.js';
import { featureStats, fidFromStats } from '../metrics/fid.js';
import { parseConfig } from '../train/config.js';
import { resolveCheckpointPath, trainerFromCheckpoint } from '../train/inference.js';
import { evaluateTranslation, loadTranslationData, scoreOutputs } from '../train/translation_setup.js';

export interface QualityRow {
  name: string;
  step: number | null;
  l1: number;
  psnr: number;
  ssim: number;
  'fid-fmnist'?: number;
  /** FID of the outputs to the target style's training images, on the emoji classifier's features. */
  'fid-emoji'?: number;
}

export interface TranslationQualityResult {
  task: string;
  heldOut: number;
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
  if (!test?.paired) throw new Error(`${task} has no paired held-out images to score against`);
  const inName = test.fields.input ? 'input' : 'A';
  const refName = test.fields.target ? 'target' : 'B';
  const x = test.fields[inName]!;
  const ref = test.fields[refName]!;
  const [h, w, c] = x.shape as [number, number, number];
  const co = ref.shape[2]!;
  const n = ref.n;
  const _shape: [number, number, number, number] = [n, h, w, co];
  const fmnist = task.startsWith('fmnist-') && h === 32 && co === 1;
  const evaluator = fmnist ? await onHostBackend(() => FmnistEvaluator.create()) : null;
  // Emoji tasks: FID to the target style (its training images), on the emoji classifier's features.
  const tr = data.train.fields[refName]!;
  const emoji = task.startsWith('emoji-') && co === 3 && h === w ? EmojiClassifier.load() : null;
  const targetStats = emoji ? featureStats(emoji.extract(tr.data as Float32Array, tr.n, h).features) : null;
  const score = async (name: string, step: number | null, out: Float32Array, scores = scoreOutputs(out, ref)) => {
    const row: QualityRow = { name, step, l1: scores.l1, psnr: scores.psnr, ssim: scores.ssim };
    if (evaluator) {
      const r = await onHostBackend(() => evaluator.evaluate(crop28(out, n), n, ['fid-fmnist']));
      row['fid-fmnist'] = r['fid-fmnist'];
    }
    if (emoji && targetStats)
      row['fid-emoji'] = fidFromStats(featureStats(emoji.extract(out, n, h).features), targetStats);
    return row;
  };
  const rows: QualityRow[] = [];
  for (const ck of cks) {
    const trainer = trainerFromCheckpoint(ck.checkpoint, ck.file);
    try {
      const m = trainer.model;
      const { scores, outputs } = evaluateTranslation(m, (name) => trainer.ema[name] ?? m.networks[name]!, test);
      const opts = m.options as { l1Only?: boolean };
      rows.push(await score(`${m.family}${opts.l1Only ? ' (L1 only)' : ''}: ${ck.run}`, trainer.step, outputs, scores));
    } finally {
      trainer.dispose();
    }
  }
  if (c === co) rows.push(await score('the input itself', null, x.data as Float32Array));
  if (emoji) rows.push(await score('the held-out targets themselves', null, ref.data as Float32Array));
  const per = h * w * co;
  const mean = new Float32Array(per);
  for (let k = 0; k < tr.n; k++) for (let i = 0; i < per; i++) mean[i]! += tr.data[k * per + i]! / tr.n;
  const meanOut = new Float32Array(n * per);
  for (let k = 0; k < n; k++) meanOut.set(mean, k * per);
  rows.push(await score('the mean training target', null, meanOut));
  return { task, heldOut: n, rows, machine: { date: new Date().toISOString() } };
}

export function formatTranslationQuality(r: TranslationQualityResult): string {
  const fid = r.rows.some((x) => x['fid-fmnist'] !== undefined);
  const fe = r.rows.some((x) => x['fid-emoji'] !== undefined);
  const lines = [
    `${r.task}: ${r.heldOut} held-out pairs`,
    `${'output'.padEnd(60)}${'step'.padStart(7)}${'L1'.padStart(8)}${'PSNR'.padStart(8)}${'SSIM'.padStart(8)}${fid ? 'fid-fmnist'.padStart(12) : ''}${fe ? 'fid-emoji'.padStart(11) : ''}`,
  ];
  for (const x of r.rows)
    lines.push(
      `${x.name.slice(0, 59).padEnd(60)}${String(x.step ?? '').padStart(7)}${x.l1.toFixed(4).padStart(8)}${x.psnr.toFixed(2).padStart(8)}${x.ssim.toFixed(4).padStart(8)}${fid ? (x['fid-fmnist']?.toFixed(2) ?? '').padStart(12) : ''}${fe ? (x['fid-emoji']?.toFixed(2) ?? '').padStart(11) : ''}`,
    );
  return lines.join('\n');
}
