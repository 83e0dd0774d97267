// Evaluation of a generator (or of any image set) with the named tsgan metrics, against real
// Fashion-MNIST images, through the fmnist classifier's features. What `tsgan eval` and the
// training loop's periodic metrics call.
//
// Metric names (the `-fmnist` suffix: these use tsgan's Fashion-MNIST classifier, not Inception, so
// the numbers are comparable only with other `-fmnist` numbers):
//   fid-fmnist   FID of the penultimate features (reference statistics cached in a file)
//   kid-fmnist   KID (mean, std over 100 subsets of up to 1,000)
//   is-fmnist    IS of the softmax (10 splits)
//   pr-fmnist    improved precision and recall (k = 3); alias 'pr'
//   dc-fmnist    density and coverage (k = 5); alias 'dc'
//   classes      class coverage and classifier confidence (conditional accuracy when labels are given)
// FID and KID are biased in the sample size: compare values computed with the same n (>= 10,000).
import { mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { loadFashionMnist } from '../data/fashion_mnist.js';
import { classCoverage, type ClassCoverage } from './class_coverage.js';
import { densityCoverage, type DensityCoverage } from './density_coverage.js';
import { featureStats, fidFromStats } from './fid.js';
import { FmnistClassifier } from './fmnist_classifier.js';
import { inceptionScore } from './inception_score.js';
import { kid } from './kid.js';
import type { Features } from './linalg.js';
import { precisionRecall, type PrecisionRecall } from './precision_recall.js';
import { cachedReferenceStats } from './reference_stats.js';

export const METRIC_NAMES = ['fid-fmnist', 'kid-fmnist', 'is-fmnist', 'pr-fmnist', 'dc-fmnist', 'classes'] as const;
export type MetricName = (typeof METRIC_NAMES)[number];
const ALIASES: Record<string, MetricName> = {
  pr: 'pr-fmnist',
  dc: 'dc-fmnist',
  fid: 'fid-fmnist',
  kid: 'kid-fmnist',
  is: 'is-fmnist',
};

/** Parses a comma-separated metric list ('fid-fmnist,kid-fmnist,pr'), rejecting unknown names. */
export function parseMetricList(s: string): MetricName[] {
  const out: MetricName[] = [];
  for (const raw of s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean)) {
    const name = (ALIASES[raw] ?? raw) as MetricName;
    if (!METRIC_NAMES.includes(name)) {
      throw new Error(
        `unknown metric '${raw}' (expected some of ${METRIC_NAMES.join(', ')}; aliases ${Object.keys(ALIASES).join(', ')})`,
      );
    }
    if (!out.includes(name)) out.push(name);
  }
  if (out.length === 0) throw new Error('no metric given');
  return out;
}

export interface MetricResults {
  /** Number of generated (or evaluated) images. */
  n: number;
  /** Number of real images compared against. */
  nReal: number;
  real: string;
  'fid-fmnist'?: number;
  'kid-fmnist'?: { mean: number; std: number };
  'is-fmnist'?: { mean: number; std: number };
  'pr-fmnist'?: PrecisionRecall;
  'dc-fmnist'?: DensityCoverage;
  classes?: Omit<ClassCoverage, 'numClasses'>;
  /** Seconds spent, feature extraction included. */
  seconds: number;
}

/** Where cached reference statistics go: $TSGAN_CACHE_DIR or ~/.cache/tsgan. */
export function cacheDir(): string {
  return process.env.TSGAN_CACHE_DIR ?? path.join(os.homedir(), '.cache', 'tsgan');
}

export interface RealReference {
  name: string;
  features: Features;
  probs: Features;
}

export interface EvaluatorOptions {
  /** Real split to compare against: 'test' (embedded, default) or 'train' (needs the full dataset). */
  real?: 'test' | 'train';
  /** Use at most this many real images (all by default). */
  realLimit?: number;
  /** Seed of KID's subsets (0). */
  kidSeed?: number;
  /** Cache reference statistics on disk (true). */
  cache?: boolean;
  /** A classifier already loaded (else the committed one). */
  classifier?: FmnistClassifier;
}

/** Holds the classifier and the real data's features, to evaluate many image sets cheaply. */
export class FmnistEvaluator {
  /** The real images' classifier outputs, extracted on first use (FID alone needs only cached statistics). */
  private real: RealReference | null = null;

  private constructor(
    readonly classifier: FmnistClassifier,
    private readonly realData: { name: string; n: number; images: Float32Array },
    private readonly opts: EvaluatorOptions,
  ) {}

  static create(opts: EvaluatorOptions = {}): FmnistEvaluator {
    const classifier = opts.classifier ?? FmnistClassifier.load();
    const split = opts.real ?? 'test';
    const ds = loadFashionMnist({ split, limit: opts.realLimit });
    return new FmnistEvaluator(classifier, { name: ds.name, n: ds.n, images: ds.images }, opts);
  }

  /** The real data's features and class probabilities. */
  get reference(): RealReference {
    if (this.real == null) {
      const { features, probs } = this.classifier.extract(this.realData.images, this.realData.n);
      this.real = { name: this.realData.name, features, probs };
    }
    return this.real;
  }

  /** Real-data FID statistics, from the cache file when it is there. */
  private async referenceStats() {
    const { name, n } = this.realData;
    const flip = this.classifier.manifest.flipAverage ? ':flip' : '';
    const key = `fmnist-classifier:${this.classifier.manifest.sha256}${flip}:${name}:${n}`;
    if (this.opts.cache === false) return featureStats(this.reference.features);
    const dir = cacheDir();
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `${name}-${n}-${this.classifier.manifest.sha256.slice(0, 12)}${flip}.stats`);
    return (await cachedReferenceStats(file, key, () => featureStats(this.reference.features))).stats;
  }

  /**
   * Evaluates images [n, 28, 28, 1] in [-1, 1] (quantized to 8 bits first). `labels`: the classes
   * the images were generated for (conditional models), for the 'classes' metric.
   */
  async evaluate(
    images: Float32Array,
    n: number,
    metrics: MetricName[],
    labels?: ArrayLike<number>,
  ): Promise<MetricResults> {
    const t0 = Date.now();
    const { features, probs } = this.classifier.extract(images, n);
    const out: MetricResults = { n, nReal: this.realData.n, real: this.realData.name, seconds: 0 };
    for (const m of metrics) {
      switch (m) {
        case 'fid-fmnist':
          out[m] = fidFromStats(await this.referenceStats(), featureStats(features));
          break;
        case 'kid-fmnist': {
          const k = kid(this.reference.features, features, { seed: this.opts.kidSeed ?? 0, gram: 'tfjs' });
          out[m] = { mean: k.mean, std: k.std };
          break;
        }
        case 'is-fmnist': {
          const s = inceptionScore(probs);
          out[m] = { mean: s.mean, std: s.std };
          break;
        }
        case 'pr-fmnist':
          out[m] = precisionRecall(this.reference.features, features, { distances: 'tfjs' });
          break;
        case 'dc-fmnist':
          out[m] = densityCoverage(this.reference.features, features, { distances: 'tfjs' });
          break;
        case 'classes': {
          const { numClasses: _, ...rest } = classCoverage(probs, { labels });
          out[m] = rest;
          break;
        }
      }
    }
    out.seconds = (Date.now() - t0) / 1000;
    return out;
  }
}

/** One line per metric, for people. */
export function formatResults(r: MetricResults): string {
  const f = (x: number, d = 4) => (Math.abs(x) >= 100 ? x.toFixed(2) : x.toPrecision(d));
  const lines = [`${r.n} images vs ${r.nReal} real (${r.real}), ${r.seconds.toFixed(1)} s`];
  if (r['fid-fmnist'] !== undefined) lines.push(`fid-fmnist  ${f(r['fid-fmnist'])}`);
  if (r['kid-fmnist']) lines.push(`kid-fmnist  ${f(r['kid-fmnist'].mean)} ± ${f(r['kid-fmnist'].std, 2)}`);
  if (r['is-fmnist']) lines.push(`is-fmnist   ${f(r['is-fmnist'].mean)} ± ${f(r['is-fmnist'].std, 2)}`);
  if (r['pr-fmnist']) lines.push(`precision   ${f(r['pr-fmnist'].precision)}\nrecall      ${f(r['pr-fmnist'].recall)}`);
  if (r['dc-fmnist']) lines.push(`density     ${f(r['dc-fmnist'].density)}\ncoverage    ${f(r['dc-fmnist'].coverage)}`);
  if (r.classes) {
    lines.push(
      `classes     coverage ${f(r.classes.classCoverage)}, confidence ${f(r.classes.confidence)}, histogram [${r.classes.classHistogram.join(' ')}]`,
    );
    if (r.classes.conditionalAccuracy !== undefined)
      lines.push(`            conditional accuracy ${f(r.classes.conditionalAccuracy)}`);
  }
  return lines.join('\n');
}

/** Flat numeric fields for a metrics.jsonl record (what `tsgan report` plots). */
export function flattenResults(r: MetricResults): Record<string, number> {
  const out: Record<string, number> = {};
  if (r['fid-fmnist'] !== undefined) out['fid-fmnist'] = r['fid-fmnist'];
  if (r['kid-fmnist']) out['kid-fmnist'] = r['kid-fmnist'].mean;
  if (r['is-fmnist']) out['is-fmnist'] = r['is-fmnist'].mean;
  if (r['pr-fmnist']) {
    out.precision = r['pr-fmnist'].precision;
    out.recall = r['pr-fmnist'].recall;
  }
  if (r['dc-fmnist']) {
    out.density = r['dc-fmnist'].density;
    out.coverage = r['dc-fmnist'].coverage;
  }
  if (r.classes) out.classCoverage = r.classes.classCoverage;
  return out;
}
