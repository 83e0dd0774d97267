// `tsgan augment-eval`: does GAN data augmentation help a classifier? The protocol (issue 14):
//   1. For each training-set size (600, 6,000 and 60,000 labelled Fashion-MNIST training images,
//      class-balanced, drawn with the seed from the 60,000-image training split) and each seed:
//   2. a conditional GAN (preset cgan-fmnist, `ganSteps` steps) is trained on that labelled subset
//      only (no image outside it), and `tsgan augment`'s library function writes
//      `syntheticRatio` x size generated images from it, class-balanced (no confidence filter: the
//      project's Fashion-MNIST classifier saw the whole training split);
//   3. a fixed small classifier (./classifier.ts: same network, optimizer and `classifierSteps`
//      updates in every cell) is trained on (a) the real subset only, (b) the real subset with
//      classic augmentation (random flips and shifts of up to 2 pixels), (c) the real subset plus the
//      GAN samples, (d) the GAN samples only (the Classification Accuracy Score of Ravuri & Vinyals
//      2019), its initial weights fixed by the seed;
//   4. each is scored on the official 10,000-image test split; the table gives the mean and the
//      sample standard deviation over the seeds.
// Everything lands in one output folder, so an interrupted protocol resumes where it stopped:
//   OUT/protocol.json        the settings (a rerun with other settings is refused)
//   OUT/results.jsonl        one line per finished cell (and per finished GAN), appended at once
//   OUT/gan-<size>-seed<k>/  the cGAN run folder (checkpoints: an interrupted GAN resumes)
//   OUT/synthetic-<size>-seed<k>/  its class folders of PNGs (written whole, then renamed)
//   OUT/table.md             the accuracy table, rewritten after every cell
import { appendFileSync, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

import { z } from 'zod';

import { FASHION_MNIST_CLASSES, loadFashionMnist, SYSTEM_FASHION_MNIST_DIR } from '../data/fashion_mnist.js';
import { loadImageFolder } from '../data/image_folder.js';
import { type ImageDataset, mulberry32 } from '../data/types.js';
import { ensureFolder, writeFileAtomic } from '../io/files.js';
import { augmentFromRun } from '../train/augment.js';
import { listCheckpoints } from '../train/checkpoint.js';
import type { ProgressMode } from '../train/progress.js';
import { train } from '../train/run.js';
import { classifierAccuracy, type LabelledImages, trainSmallClassifier } from './classifier.js';

/** The four training sets of the table, in its order. */
export const AUGMENT_ROWS = ['real', 'real+classic', 'real+gan', 'gan'] as const;
export type AugmentRow = (typeof AUGMENT_ROWS)[number];

/** How each row reads in the table. */
export const AUGMENT_ROW_LABELS: Record<AugmentRow, string> = {
  real: '(a) real only',
  'real+classic': '(b) real + classic augmentation (flips, shifts)',
  'real+gan': '(c) real + GAN samples',
  gan: '(d) GAN samples only (CAS)',
};

const posInt = () => z.number().int().positive();

export const augmentEvalOptionsSchema = z.strictObject({
  /** Labelled training images per size (multiples of 10: class-balanced). */
  sizes: z.array(posInt()).min(1).default([600, 6000, 60000]),
  /** How many seeds: each draws its own subset, GAN and classifier initialization. */
  seeds: posInt().default(3),
  /** The first seed (seeds firstSeed..firstSeed+seeds-1: a later seed can run in another process and folder). */
  firstSeed: posInt().default(1),
  /** Training steps of the cGAN (the cgan-fmnist preset has 1,500). */
  ganSteps: posInt().default(1500),
  /** Classifier updates (batches of 64) in every cell. */
  classifierSteps: posInt().default(2000),
  /** Generated images per real image in rows (c) and (d). */
  syntheticRatio: z.number().positive().default(1),
  /** Rows to compute (default all four). */
  rows: z
    .array(z.enum(AUGMENT_ROWS))
    .min(1)
    .default([...AUGMENT_ROWS]),
  /** Folder with the Fashion-MNIST IDX files (default: Debian's dataset-fashion-mnist). */
  dataPath: z.string().optional(),
});
export type AugmentEvalOptions = z.infer<typeof augmentEvalOptionsSchema>;
export type AugmentEvalInput = z.input<typeof augmentEvalOptionsSchema>;

export interface AugmentEvalHooks {
  /** Training images instead of the 60,000-image split (tests). */
  train?: ImageDataset;
  /** Test images instead of the official test split (tests). */
  test?: ImageDataset;
  /** Config fields over the cgan-fmnist preset (tests: a narrow network). */
  ganConfig?: Record<string, unknown>;
  /** The GAN runs' progress display (default 'none'). */
  ganProgress?: ProgressMode;
  /** Classifier and sample-writing progress: (what, done, total). */
  onProgress?: (what: string, done: number, total: number) => void;
  /** One line per stage. */
  log?: (msg: string) => void;
  warn?: (msg: string) => void;
}

/** One finished cell (or, with row 'cgan', one finished GAN) of results.jsonl. */
export interface AugmentCell {
  size: number;
  seed: number;
  row: AugmentRow | 'cgan';
  /** Test accuracy in [0, 1] (absent for 'cgan'). */
  accuracy?: number;
  /** Wall-clock seconds of this cell. */
  seconds: number;
  /** Training images the classifier saw (real + synthetic). */
  trainImages?: number;
}

export interface AugmentEvalResult {
  dir: string;
  cells: AugmentCell[];
  /** The markdown table (also in OUT/table.md). */
  table: string;
}

/** Settings that change results: a folder's protocol.json must match them to be resumed. */
function fingerprint(o: AugmentEvalOptions, hooks: AugmentEvalHooks) {
  return {
    ganSteps: o.ganSteps,
    classifierSteps: o.classifierSteps,
    syntheticRatio: o.syntheticRatio,
    ganConfig: hooks.ganConfig ?? {},
    train: hooks.train ? `${hooks.train.name} (${hooks.train.n} images)` : 'fashion-mnist-train',
    test: hooks.test ? `${hooks.test.name} (${hooks.test.n} images)` : 'fashion-mnist-test',
  };
}

/** Validates the options, with one sentence per mistake. */
export function parseAugmentEvalOptions(input: AugmentEvalInput): AugmentEvalOptions {
  const r = augmentEvalOptionsSchema.safeParse(input);
  if (!r.success) {
    const i = r.error.issues[0]!;
    const key = i.path.length ? i.path[0] : 'options';
    const what: Record<string, string> = {
      sizes: '--sizes must be a comma list of whole numbers of at least 10, e.g. 600,6000',
      seeds: '--seeds must be a whole number of at least 1',
      firstSeed: '--first-seed must be a whole number of at least 1',
      ganSteps: '--gan-steps must be a whole number of at least 1',
      classifierSteps: '--classifier-steps must be a whole number of at least 1',
      syntheticRatio: '--synthetic-ratio must be a number above 0',
      rows: `--rows must be a comma list of ${AUGMENT_ROWS.join(', ')}`,
    };
    throw new Error(what[String(key)] ?? `augment-eval: ${String(key)}: ${i.message}`);
  }
  const o = r.data;
  for (const s of o.sizes)
    if (s % 10 !== 0)
      throw new Error(`--sizes: ${s} is not a multiple of 10 (the subsets hold the same number of each of 10 classes)`);
  return o;
}

function asLabelled(ds: ImageDataset, what: string): LabelledImages {
  if (ds.height !== 28 || ds.width !== 28 || ds.channels !== 1 || !ds.labels || ds.numClasses !== 10)
    throw new Error(`${what}: augment-eval needs labelled 28x28 grayscale images of 10 classes, got ${ds.name}`);
  return { images: ds.images, labels: ds.labels, n: ds.n };
}

/** A class-balanced subset of `size` images (size / 10 per class), drawn with `seed`. */
export function balancedSubset(data: LabelledImages, size: number, seed: number): LabelledImages {
  const per = size / 10;
  const byClass: number[][] = Array.from({ length: 10 }, () => []);
  for (let i = 0; i < data.n; i++) byClass[data.labels[i]!]!.push(i);
  const rand = mulberry32(seed * 104729 + size);
  const picked: number[] = [];
  byClass.forEach((idx, k) => {
    if (idx.length < per)
      throw new Error(
        `--sizes ${size} needs ${per} training images of class ${k} (${FASHION_MNIST_CLASSES[k]}); the training set has ${idx.length}`,
      );
    // Partial Fisher-Yates: the first `per` positions are a uniform draw without replacement.
    for (let i = 0; i < per; i++) {
      const j = i + Math.floor(rand() * (idx.length - i));
      const t = idx[i]!;
      idx[i] = idx[j]!;
      idx[j] = t;
    }
    picked.push(...idx.slice(0, per));
  });
  picked.sort((a, b) => a - b);
  const images = new Float32Array(size * 784);
  const labels = new Int32Array(size);
  picked.forEach((src, i) => {
    images.set(data.images.subarray(src * 784, (src + 1) * 784), i * 784);
    labels[i] = data.labels[src]!;
  });
  return { images, labels, n: size };
}

function concat(a: LabelledImages, b: LabelledImages): LabelledImages {
  const images = new Float32Array((a.n + b.n) * 784);
  images.set(a.images);
  images.set(b.images, a.n * 784);
  const labels = new Int32Array(a.n + b.n);
  labels.set(a.labels);
  labels.set(b.labels, a.n);
  return { images, labels, n: a.n + b.n };
}

function readCells(file: string): AugmentCell[] {
  if (!existsSync(file)) return [];
  const out: AugmentCell[] = [];
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (!line.trim()) return;
      try {
        const c = JSON.parse(line) as AugmentCell;
        if (typeof c.size !== 'number' || typeof c.seed !== 'number' || typeof c.row !== 'string') throw new Error();
        out.push(c);
      } catch {
        // A line cut short by a crash is the last one; anything else is damage the user should see.
        throw new Error(
          `${file}: line ${i + 1} is not a result line; remove it (the cell is then computed again) or give a new folder`,
        );
      }
    });
  return out;
}

const fmtPct = (xs: number[]) => {
  if (xs.length === 0) return 'not run';
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  if (xs.length === 1) return `${(100 * m).toFixed(1)} (1 seed)`;
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1));
  return `${(100 * m).toFixed(1)} ± ${(100 * sd).toFixed(1)}${xs.length < 3 ? ` (${xs.length} seeds)` : ''}`;
};

const fmtMin = (s: number) => (s < 60 ? `${Math.round(s)} s` : `${(s / 60).toFixed(1)} min`);

/** The markdown accuracy table of `cells` (test accuracy in %, mean ± standard deviation over seeds). */
export function augmentTable(cells: AugmentCell[], sizes: number[]): string {
  const head = `| training set | ${sizes.map((s) => `${s.toLocaleString('en-US')} real`).join(' | ')} |`;
  const lines = [head, `|---|${sizes.map(() => '---').join('|')}|`];
  for (const row of AUGMENT_ROWS) {
    const vals = sizes.map((s) =>
      fmtPct(cells.filter((c) => c.size === s && c.row === row && c.accuracy !== undefined).map((c) => c.accuracy!)),
    );
    lines.push(`| ${AUGMENT_ROW_LABELS[row]} | ${vals.join(' | ')} |`);
  }
  const time = (s: number, which: (c: AugmentCell) => boolean) =>
    fmtMin(cells.filter((c) => c.size === s && which(c)).reduce((a, c) => a + c.seconds, 0));
  lines.push(`| run time: cGANs (all seeds) | ${sizes.map((s) => time(s, (c) => c.row === 'cgan')).join(' | ')} |`);
  lines.push(
    `| run time: classifiers (all rows, seeds) | ${sizes.map((s) => time(s, (c) => c.row !== 'cgan')).join(' | ')} |`,
  );
  return lines.join('\n');
}

/** Runs (or resumes) the protocol in `outDir`; see the file header. */
export async function augmentEval(
  outDir: string,
  input: AugmentEvalInput,
  hooks: AugmentEvalHooks = {},
): Promise<AugmentEvalResult> {
  const o = parseAugmentEvalOptions(input);
  const log = hooks.log ?? (() => {});
  const warn = hooks.warn ?? ((m: string) => process.stderr.write(`warning: ${m}\n`));
  if (existsSync(outDir) && !statSync(outDir).isDirectory())
    throw new Error(`-o ${outDir} is a file; give a folder (new, or one augment-eval wrote before, to resume)`);
  const protoFile = path.join(outDir, 'protocol.json');
  const fp = fingerprint(o, hooks);
  if (existsSync(protoFile)) {
    let old: Record<string, unknown>;
    try {
      old = JSON.parse(readFileSync(protoFile, 'utf8')) as Record<string, unknown>;
    } catch {
      throw new Error(`${protoFile} is not readable JSON; give a new folder`);
    }
    const diff = Object.keys(fp).filter(
      (k) => JSON.stringify((old as Record<string, unknown>)[k]) !== JSON.stringify((fp as Record<string, unknown>)[k]),
    );
    if (diff.length)
      throw new Error(
        `${outDir} holds results made with other settings (${diff.map((k) => `${k} was ${JSON.stringify(old[k])}`).join(', ')}); ` +
          'give the same settings to resume it, or a new folder',
      );
  } else if (existsSync(outDir) && !existsSync(path.join(outDir, 'results.jsonl'))) {
    if (readdirSync(outDir).length > 0)
      throw new Error(`-o ${outDir} is a folder with other files in it; give a new folder`);
  }

  // Data: the subsets come from the 60,000-image training split only.
  let trainSet: LabelledImages;
  if (hooks.train) trainSet = asLabelled(hooks.train, 'training data');
  else {
    const dir = o.dataPath ?? SYSTEM_FASHION_MNIST_DIR;
    if (!existsSync(dir))
      throw new Error(
        o.dataPath
          ? `--data-path ${o.dataPath} does not exist (it should hold Fashion-MNIST's IDX files)`
          : `augment-eval needs Fashion-MNIST's 60,000 training images, which are not installed: install Debian's ` +
              `dataset-fashion-mnist (files in ${SYSTEM_FASHION_MNIST_DIR}) or give --data-path DIR; ` +
              'tsgan embeds only the 10,000-image test split, which the protocol keeps for testing',
      );
    trainSet = asLabelled(loadFashionMnist({ split: 'train', path: dir }), 'training data');
  }
  const testSet = asLabelled(hooks.test ?? loadFashionMnist({ split: 'test' }), 'test data');
  for (const s of o.sizes)
    if (s > trainSet.n) throw new Error(`--sizes ${s} is larger than the ${trainSet.n} training images`);

  ensureFolder(outDir);
  writeFileAtomic(
    protoFile,
    Buffer.from(
      `${JSON.stringify({ ...fp, protocol: 'tsgan augment-eval (src/augment/eval.ts)', classifier: 'src/augment/classifier.ts' }, null, 2)}\n`,
    ),
  );
  const resultsFile = path.join(outDir, 'results.jsonl');
  const cells = readCells(resultsFile);
  const has = (size: number, seed: number, row: string) =>
    cells.some((c) => c.size === size && c.seed === seed && c.row === row);
  const record = (c: AugmentCell) => {
    appendFileSync(resultsFile, `${JSON.stringify(c)}\n`);
    cells.push(c);
    writeFileAtomic(path.join(outDir, 'table.md'), Buffer.from(`${augmentTable(cells, o.sizes)}\n`));
  };
  if (cells.length) log(`resuming ${outDir}: ${cells.length} finished result(s) kept`);

  for (const size of o.sizes) {
    for (let seed = o.firstSeed; seed < o.firstSeed + o.seeds; seed++) {
      const todo = o.rows.filter((r) => !has(size, seed, r));
      if (todo.length === 0) continue;
      const tag = `size ${size}, seed ${seed}`;
      const real = balancedSubset(trainSet, size, seed);
      let synthetic: LabelledImages | null = null;
      if (todo.includes('real+gan') || todo.includes('gan')) {
        synthetic = await syntheticSet(outDir, real, size, seed, o, hooks, log, warn, has, record);
      }
      for (const row of todo) {
        const data =
          row === 'real' || row === 'real+classic' ? real : row === 'gan' ? synthetic! : concat(real, synthetic!);
        log(`${tag}: classifier on ${AUGMENT_ROW_LABELS[row]} (${data.n} images, ${o.classifierSteps} steps)`);
        const t0 = Date.now();
        const model = await trainSmallClassifier(data, {
          steps: o.classifierSteps,
          seed,
          classic: row === 'real+classic',
          onProgress: (d, t) => hooks.onProgress?.(`${tag} ${row}`, d, t),
        });
        const accuracy = classifierAccuracy(model, testSet);
        model.dispose();
        const seconds = (Date.now() - t0) / 1000;
        log(`${tag}: ${row}: test accuracy ${(100 * accuracy).toFixed(2)}% (${seconds.toFixed(0)} s)`);
        record({ size, seed, row, accuracy, seconds, trainImages: data.n });
      }
    }
  }
  const table = augmentTable(cells, o.sizes);
  writeFileAtomic(path.join(outDir, 'table.md'), Buffer.from(`${table}\n`));
  return { dir: outDir, cells, table };
}

/** Trains (or resumes, or reuses) the cGAN of one subset and returns its class-balanced samples. */
async function syntheticSet(
  outDir: string,
  real: LabelledImages,
  size: number,
  seed: number,
  o: AugmentEvalOptions,
  hooks: AugmentEvalHooks,
  log: (m: string) => void,
  warn: (m: string) => void,
  has: (size: number, seed: number, row: string) => boolean,
  record: (c: AugmentCell) => void,
): Promise<LabelledImages> {
  const tag = `size ${size}, seed ${seed}`;
  const runDir = path.join(outDir, `gan-${size}-seed${seed}`);
  const synthDir = path.join(outDir, `synthetic-${size}-seed${seed}`);
  if (!has(size, seed, 'cgan')) {
    const dataset: ImageDataset = {
      kind: 'image',
      name: `fashion-mnist-train-subset-${size}-seed${seed}`,
      n: real.n,
      height: 28,
      width: 28,
      channels: 1,
      images: real.images,
      labels: real.labels,
      numClasses: 10,
      classNames: [...FASHION_MNIST_CLASSES],
    };
    const t0 = Date.now();
    const done = listCheckpoints(path.join(runDir, 'checkpoints'))[0]?.step ?? 0;
    if (done < o.ganSteps) {
      log(
        `${tag}: cGAN (cgan-fmnist) on the ${size} labelled images, ${done ? `resuming at step ${done} of` : ''} ${o.ganSteps} steps`,
      );
      const common = { dataset, progress: hooks.ganProgress ?? 'none', warn } as const;
      const every = Math.min(250, o.ganSteps);
      const r = done
        ? await train({ ...common, resume: runDir, config: { steps: o.ganSteps } })
        : await train({
            ...common,
            preset: 'cgan-fmnist',
            runDir,
            overwrite: true,
            config: {
              ...(hooks.ganConfig ?? {}),
              steps: o.ganSteps,
              seed,
              logEvery: Math.min(50, o.ganSteps),
              sampleEvery: o.ganSteps,
              checkpointEvery: every,
              keepCheckpoints: 2,
              evalEvery: 0,
            },
          });
      r.trainer.dispose();
      if (r.reason !== 'completed')
        throw new Error(
          `the cGAN of ${tag} ${r.reason === 'diverged' ? 'diverged' : 'was stopped'} at step ${r.step}${r.message ? ` (${r.message})` : ''}; ` +
            'run the same command again to resume it',
        );
    }
    record({ size, seed, row: 'cgan', seconds: (Date.now() - t0) / 1000 });
  }
  const perClass = Math.max(1, Math.round((size * o.syntheticRatio) / 10));
  if (!existsSync(synthDir)) {
    log(`${tag}: writing ${perClass * 10} cGAN samples (${perClass} per class)`);
    await augmentFromRun(runDir, synthDir, {
      perClass,
      seed: seed * 1_000_000 + 1,
      classNames: FASHION_MNIST_CLASSES.map((c, k) => `${k}-${c}`),
      onProgress: (d, t) => hooks.onProgress?.(`${tag} samples`, d, t),
      warn,
    });
  }
  const ds = await loadImageFolder(synthDir, { size: 28, color: 'grayscale', onCorrupt: 'error', warn });
  if (!ds.labels || ds.n !== perClass * 10)
    throw new Error(`${synthDir} holds ${ds.n} images, expected ${perClass * 10}; delete the folder to write it again`);
  const labels = new Int32Array(ds.n);
  for (let i = 0; i < ds.n; i++) labels[i] = Number.parseInt(ds.classNames[ds.labels[i]!]!, 10);
  return { images: ds.images, labels, n: ds.n };
}
