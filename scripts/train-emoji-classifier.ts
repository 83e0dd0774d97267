// Trains the emoji feature classifier of `fid-emoji` (src/metrics/emoji_classifier.ts) and writes its
// weights, with their sha256, to data/classifier/. Reproducible: seeded initial weights, shuffling,
// shifts and flips (same backend and thread count give the same weights).
//
//   npx tsx scripts/train-emoji-classifier.ts [--epochs 20] [--batch 64] [--lr 0.001] [--seed 0]
//        [--out data/classifier]
//
// Data: the 64x64 emoji of both styles (npm emoji-datasource-twitter and -google) in the training
// split of the translation tasks (src/data/emoji.ts: split seed 0, 10% held out, no skin-tone
// variants); labels are emoji.json's categories. The held-out 10% (both styles) is the test set.
// Adam, cross-entropy, random shifts of up to 4 pixels (filled white) and horizontal flips, learning
// rate cosine-decayed to 1/20 over the run.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { tf } from '../src/index.js';
import { listEmoji, readEmojiImages, splitEmoji } from '../src/data/emoji.js';
import { buildEmojiClassifier, EMOJI_CLASSIFIER_NAME, EmojiClassifier } from '../src/metrics/emoji_classifier.js';
import { serializeWeights } from '../src/metrics/fmnist_classifier.js';
import { mulberry32 } from '../src/metrics/rng.js';

const { values: args } = parseArgs({
  options: {
    epochs: { type: 'string', default: '20' },
    batch: { type: 'string', default: '64' },
    lr: { type: 'string', default: '0.001' },
    seed: { type: 'string', default: '0' },
    out: { type: 'string', default: 'data/classifier' },
  },
});

const S = 64;
const PX = S * S * 3;

async function split(which: 'train' | 'test', categories: string[]) {
  const items = splitEmoji(listEmoji(false), which, 0.1, 0);
  const tw = await readEmojiImages('twitter', items, S);
  const go = await readEmojiImages('google', items, S);
  const images = new Float32Array(2 * items.length * PX);
  images.set(tw, 0);
  images.set(go, items.length * PX);
  const labels = Int32Array.from([...items, ...items], (it) => categories.indexOf(it.category));
  return { images, labels, n: 2 * items.length };
}

async function main(): Promise<void> {
  const epochs = Number(args.epochs);
  const batch = Number(args.batch);
  const lr0 = Number(args.lr);
  const seed = Number(args.seed);
  const categories = [...new Set(listEmoji(false).map((e) => e.category))];
  const train = await split('train', categories);
  const test = await split('test', categories);
  const k = categories.length;
  console.log(
    `backend ${tf.getBackend()}; ${train.n} training and ${test.n} test emoji (both styles), ${k} categories; ${epochs} epochs, batch ${batch}`,
  );
  const nets = buildEmojiClassifier(k, seed);
  const opt = tf.train.adam(lr0);
  const rand = mulberry32(seed + 1000);
  const order = Int32Array.from({ length: train.n }, (_, i) => i);
  const xb = new Float32Array(batch * PX);
  const yb = new Float32Array(batch * k);
  const stepsPerEpoch = Math.floor(train.n / batch);
  const totalSteps = epochs * stepsPerEpoch;
  const t0 = Date.now();
  let step = 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let i = train.n - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    let lossSum = 0;
    for (let b = 0; b < stepsPerEpoch; b++, step++) {
      yb.fill(0);
      for (let i = 0; i < batch; i++) {
        const src = order[b * batch + i]!;
        const flip = rand() < 0.5;
        const dx = Math.floor(rand() * 9) - 4;
        const dy = Math.floor(rand() * 9) - 4;
        for (let y = 0; y < S; y++)
          for (let x = 0; x < S; x++) {
            const sy = y - dy;
            const sx0 = x - dx;
            const sx = flip ? S - 1 - sx0 : sx0;
            const inside = sy >= 0 && sy < S && sx >= 0 && sx < S;
            for (let c = 0; c < 3; c++)
              xb[i * PX + (y * S + x) * 3 + c] = inside ? train.images[src * PX + (sy * S + sx) * 3 + c]! : 1;
          }
        yb[i * k + train.labels[src]!] = 1;
      }
      (opt as unknown as { learningRate: number }).learningRate =
        lr0 * (0.05 + 0.95 * 0.5 * (1 + Math.cos((Math.PI * step) / totalSteps)));
      const loss = opt.minimize(
        () =>
          tf.tidy(() => {
            const p = nets.classifier.apply(tf.tensor4d(xb, [batch, S, S, 3]), { training: true }) as tf.Tensor; // [B, K]
            const ce = tf.neg(tf.sum(tf.mul(tf.tensor2d(yb, [batch, k]), tf.log(tf.clipByValue(p, 1e-7, 1))), 1)); // [B]
            return tf.mean(ce) as tf.Scalar;
          }),
        true,
      )!;
      lossSum += (await loss.data())[0]!;
      loss.dispose();
    }
    const acc = EmojiClassifier.fromNets(nets, categories).accuracy(test.images, test.labels, S);
    const el = (Date.now() - t0) / 1000;
    console.log(
      `epoch ${epoch + 1}/${epochs}: train loss ${(lossSum / stepsPerEpoch).toFixed(4)}, test accuracy ${(100 * acc).toFixed(2)}% (${el.toFixed(0)} s)`,
    );
  }
  const scorer = EmojiClassifier.fromNets(nets, categories);
  const acc = scorer.accuracy(test.images, test.labels, S);
  // Chance: the most frequent category of the test set.
  const counts = new Array<number>(k).fill(0);
  for (const l of test.labels) counts[l]!++;
  const chance = Math.max(...counts) / test.n;
  const { bin, manifest } = serializeWeights(nets.classifier, EMOJI_CLASSIFIER_NAME, {
    script: 'scripts/train-emoji-classifier.ts',
    command: `npx tsx scripts/train-emoji-classifier.ts ${process.argv.slice(2).join(' ')}`.trim(),
    categories,
    data: `emoji-datasource-twitter and -google, training split (${train.n} images)`,
    testSet: `the held-out 10% of the emoji, both styles (${test.n} images)`,
    testAccuracy: acc,
    chanceAccuracy: chance,
    epochs,
    batch,
    lr: lr0,
    seed,
    backend: tf.getBackend(),
    seconds: Math.round((Date.now() - t0) / 1000),
  });
  mkdirSync(args.out!, { recursive: true });
  writeFileSync(path.join(args.out!, `${EMOJI_CLASSIFIER_NAME}.bin`), bin);
  writeFileSync(path.join(args.out!, `${EMOJI_CLASSIFIER_NAME}.json`), `${JSON.stringify(manifest, null, 2)}\n`);
  console.log(
    `test accuracy ${(100 * acc).toFixed(2)}% (most frequent category: ${(100 * chance).toFixed(2)}%); weights ${manifest.sha256.slice(0, 12)}... in ${args.out}`,
  );
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
