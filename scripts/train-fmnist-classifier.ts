// Trains the Fashion-MNIST feature classifier of the `-fmnist` metrics (src/metrics/fmnist_classifier.ts)
// and writes its weights, with their sha256, to data/classifier/. Reproducible: seeded initial
// weights, seeded shuffling, seeded dropout masks and flips (same backend and thread count give
// the same weights).
//
//   npx tsx scripts/train-fmnist-classifier.ts [--epochs 12] [--batch 128] [--lr 0.001] [--seed 0]
//        [--limit N] [--out data/classifier] [--init DIR] [--shift 0] [--arch v3] [--dropout 0.3]
//        [--flip-average]
//
// --arch picks the network (src/metrics/fmnist_classifier.ts: v1 without BatchNorm, v3 with it; with
// BatchNorm its moving statistics are updated during training and saved with the weights);
// --init DIR starts from the weights in DIR (a second, fine-tuning stage; the manifest records the
// stages); --shift K adds random translations of up to K pixels (background-filled);
// --flip-average defines the classifier as the average over an image and its mirror image (recorded
// in the manifest, used at load); --epochs 0 with --init only re-scores and re-writes.
//
// Data: the 60,000-image training split from /usr/share/datasets/fashion-mnist (Debian package
// dataset-fashion-mnist) when it exists, else the embedded 10,000-image test split (then the
// reported accuracy is on training data and says so). Adam, cross-entropy, dropout 0.3 on the
// features, random horizontal flips, learning rate cosine-decayed to 1/20 over the run.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { tf } from '../src/index.js';
import { loadFashionMnist, SYSTEM_FASHION_MNIST_DIR } from '../src/data/fashion_mnist.js';
import {
  buildFmnistClassifier,
  FMNIST_CLASSIFIER_NAME,
  FMNIST_FEATURE_DIM,
  FmnistClassifier,
  serializeWeights,
} from '../src/metrics/fmnist_classifier.js';
import { mulberry32 } from '../src/metrics/rng.js';

const { values: args } = parseArgs({
  options: {
    epochs: { type: 'string', default: '12' },
    init: { type: 'string' },
    shift: { type: 'string', default: '0' },
    batch: { type: 'string', default: '128' },
    lr: { type: 'string', default: '0.001' },
    seed: { type: 'string', default: '0' },
    limit: { type: 'string' },
    out: { type: 'string', default: 'data/classifier' },
    dropout: { type: 'string', default: '0.3' },
    'flip-average': { type: 'boolean', default: false },
    arch: { type: 'string', default: 'v3' },
  },
});

async function main(): Promise<void> {
  const epochs = Number(args.epochs);
  const batch = Number(args.batch);
  const lr0 = Number(args.lr);
  const seed = Number(args.seed);
  const dropout = Number(args.dropout);
  const full = existsSync(SYSTEM_FASHION_MNIST_DIR);
  const limit = args.limit ? Number(args.limit) : undefined;
  const train = loadFashionMnist({ split: full ? 'train' : 'test', limit });
  const test = loadFashionMnist({ split: 'test' });
  console.log(
    `backend ${tf.getBackend()}; training on ${train.name} (${train.n} images), testing on ${test.name}; ${epochs} epochs, batch ${batch}`,
  );

  const shift = Number(args.shift);
  let arch = args.arch!;
  if (args.init) arch = FmnistClassifier.load(args.init).manifest.arch ?? 'v1';
  const nets = buildFmnistClassifier(seed, arch);
  let stages: Record<string, unknown>[] = [];
  if (args.init) {
    const init = FmnistClassifier.load(args.init);
    nets.classifier.setWeights(init.nets.classifier.getWeights());
    stages = (
      (init.manifest.training?.stages as Record<string, unknown>[] | undefined) ?? [init.manifest.training ?? {}]
    ).slice();
    console.log(`starting from ${args.init} (sha256 ${init.manifest.sha256.slice(0, 12)}...)`);
  }
  const opt = tf.train.adam(lr0);
  const rand = mulberry32(seed + 1000);
  const px = 784;
  const order = Int32Array.from({ length: train.n }, (_, i) => i);
  const xb = new Float32Array(batch * px);
  const yb = new Float32Array(batch * 10);
  const mask = new Float32Array(batch * FMNIST_FEATURE_DIM);
  const stepsPerEpoch = Math.floor(train.n / batch);
  const totalSteps = epochs * stepsPerEpoch;
  const t0 = Date.now();
  let step = 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    // Seeded Fisher-Yates shuffle.
    for (let i = train.n - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      const t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    let lossSum = 0;
    for (let b = 0; b < stepsPerEpoch; b++, step++) {
      yb.fill(0);
      for (let i = 0; i < batch; i++) {
        const k = order[b * batch + i];
        const flip = rand() < 0.5;
        const dx = shift ? Math.floor(rand() * (2 * shift + 1)) - shift : 0;
        const dy = shift ? Math.floor(rand() * (2 * shift + 1)) - shift : 0;
        for (let y = 0; y < 28; y++) {
          for (let x = 0; x < 28; x++) {
            const sy = y - dy;
            const sx0 = x - dx;
            const sx = flip ? 27 - sx0 : sx0;
            xb[i * px + y * 28 + x] =
              sy >= 0 && sy < 28 && sx >= 0 && sx < 28 ? train.images[k * px + sy * 28 + sx] : -1;
          }
        }
        yb[i * 10 + train.labels![k]] = 1;
      }
      for (let i = 0; i < mask.length; i++) mask[i] = rand() < dropout ? 0 : 1 / (1 - dropout);
      // Cosine decay from lr0 to lr0/20.
      (opt as unknown as { learningRate: number }).learningRate =
        lr0 * (0.05 + 0.95 * 0.5 * (1 + Math.cos((Math.PI * step) / totalSteps)));
      const loss = opt.minimize(
        () =>
          tf.tidy(() => {
            const x = tf.tensor4d(xb, [batch, 28, 28, 1]); // [B, 28, 28, 1]
            const feat = nets.trunk.apply(x, { training: true }) as tf.Tensor; // [B, 128]
            const p = nets.head.apply(tf.mul(feat, tf.tensor2d(mask, [batch, FMNIST_FEATURE_DIM]))) as tf.Tensor; // [B, 10]
            const ce = tf.neg(tf.sum(tf.mul(tf.tensor2d(yb, [batch, 10]), tf.log(tf.clipByValue(p, 1e-7, 1))), 1)); // [B]
            return tf.mean(ce) as tf.Scalar;
          }),
        true,
      )!;
      lossSum += (await loss.data())[0];
      loss.dispose();
      if ((b + 1) % 50 === 0) {
        const el = (Date.now() - t0) / 1000;
        console.log(
          `epoch ${epoch + 1} step ${b + 1}/${stepsPerEpoch} loss ${(lossSum / (b + 1)).toFixed(4)} (${el.toFixed(0)} s, ETA ${((el / (step + 1)) * (totalSteps - step - 1)).toFixed(0)} s)`,
        );
      }
    }
    const scorer = FmnistClassifier.fromNets(nets, { name: FMNIST_CLASSIFIER_NAME, sha256: '', weights: [] });
    const acc = scorer.accuracy(test.images, test.labels!);
    console.log(
      `epoch ${epoch + 1}: train loss ${(lossSum / stepsPerEpoch).toFixed(4)}, test accuracy ${(100 * acc).toFixed(2)}%`,
    );
  }
  // Final scores, plain and averaged over mirror images (the definition the manifest records).
  const scorer = FmnistClassifier.fromNets(nets, { name: FMNIST_CLASSIFIER_NAME, sha256: '', weights: [] });
  const accPlain = scorer.accuracy(test.images, test.labels!, { flipAverage: false });
  const accFlip = scorer.accuracy(test.images, test.labels!, { flipAverage: true });
  const flipAverage = args['flip-average'] === true;
  const acc = flipAverage ? accFlip : accPlain;
  console.log(
    `test accuracy ${(100 * accPlain).toFixed(2)}% plain, ${(100 * accFlip).toFixed(2)}% averaged over mirror images; recorded: ${flipAverage ? 'averaged' : 'plain'}`,
  );
  const stage = {
    command: `npx tsx scripts/train-fmnist-classifier.ts ${process.argv.slice(2).join(' ')}`.trim(),
    data: `${train.name} (${train.n} images)`,
    epochs,
    batch,
    lr: lr0,
    seed,
    dropout,
    shift,
    arch,
    backend: tf.getBackend(),
    testAccuracyPlain: accPlain,
    testAccuracyFlipAveraged: accFlip,
    seconds: Math.round((Date.now() - t0) / 1000),
  };
  const { bin, manifest: m } = serializeWeights(nets.classifier, FMNIST_CLASSIFIER_NAME, {
    script: 'scripts/train-fmnist-classifier.ts',
    testAccuracy: acc,
    testSet: test.name + (full ? '' : ' (also the training data: no full dataset was installed)'),
    stages: [...stages, stage],
  });
  if (flipAverage) m.flipAverage = true;
  if (arch !== 'v1') m.arch = arch;
  mkdirSync(args.out!, { recursive: true });
  writeFileSync(path.join(args.out!, `${FMNIST_CLASSIFIER_NAME}.bin`), bin);
  writeFileSync(path.join(args.out!, `${FMNIST_CLASSIFIER_NAME}.json`), `${JSON.stringify(m, null, 2)}\n`);
  console.log(`wrote ${args.out}/${FMNIST_CLASSIFIER_NAME}.{bin,json} (${bin.length} bytes, sha256 ${m.sha256})`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
