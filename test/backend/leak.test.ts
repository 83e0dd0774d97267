// Leak test of the native backend: 1,000 training steps of a small DCGAN-like GAN (tfjs-layers
// models, tf.train.adam, a D step then a G step with the non-saturating logistic loss in softplus
// form, as in the dcgan28 reference step) in a child process run with --expose-gc.
// tf.memory().numTensors must be identical after step 10 and after step 1000, and RSS must grow by
// less than 50 MB between them. TSGAN_LEAK_STEPS overrides the step count (default 1000).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

/** The child's report, printed as `LEAK_RESULT {json}`. */
interface LeakResult {
  backend: string;
  steps: number;
  /** numTensors and memory (bytes, after a full GC) at each checkpoint step. */
  checkpoints: { step: number; numTensors: number; rss: number; heapUsed: number; arrayBuffers: number }[];
  lossD: number;
  lossG: number;
  /** Whether the generator's first kernel moved during training. */
  weightsChanged: boolean;
  ms: number;
}

const MB = 1024 * 1024;

async function childMain(): Promise<void> {
  const { tf, tfl } = await import('../../src/index.js');
  const steps = Number(process.env.TSGAN_LEAK_STEPS ?? '1000');
  const batch = 4;
  const zDim = 8;

  // Generator: z[8] -> Dense 4*4*8 -> ReLU -> [4,4,8] -> ConvT 8->4 k4 s2 -> BN -> ReLU -> ConvT 4->1 k4 s2 -> tanh -> [16,16,1]
  const g = tfl.sequential({
    layers: [
      tfl.layers.dense({ inputShape: [zDim], units: 4 * 4 * 8, activation: 'relu' }),
      tfl.layers.reshape({ targetShape: [4, 4, 8] }),
      tfl.layers.conv2dTranspose({ filters: 4, kernelSize: 4, strides: 2, padding: 'same' }),
      tfl.layers.batchNormalization(),
      tfl.layers.reLU(),
      tfl.layers.conv2dTranspose({ filters: 1, kernelSize: 4, strides: 2, padding: 'same', activation: 'tanh' }),
    ],
  });
  // Discriminator: [16,16,1] -> Conv 1->4 k4 s2 -> LeakyReLU 0.2 -> Conv 4->8 k4 s2 -> LeakyReLU 0.2 -> flatten -> Dense 1 (logit)
  const d = tfl.sequential({
    layers: [
      tfl.layers.conv2d({ inputShape: [16, 16, 1], filters: 4, kernelSize: 4, strides: 2, padding: 'same' }),
      tfl.layers.leakyReLU({ alpha: 0.2 }),
      tfl.layers.conv2d({ filters: 8, kernelSize: 4, strides: 2, padding: 'same' }),
      tfl.layers.leakyReLU({ alpha: 0.2 }),
      tfl.layers.flatten(),
      tfl.layers.dense({ units: 1 }),
    ],
  });
  const optD = tf.train.adam(2e-4, 0.5, 0.999);
  const optG = tf.train.adam(2e-4, 0.5, 0.999);
  const varsOf = (m: typeof g) =>
    m.trainableWeights.map((w) => w.read() as unknown as import('@tensorflow/tfjs-core').Variable);
  const dVars = varsOf(d);
  const gVars = varsOf(g);
  const w0 = g.getWeights()[0]!.dataSync().slice();
  // A fixed "real" batch: images of smooth stripes in [-1, 1].
  const real = tf.tidy(() => tf.reshape(tf.sin(tf.mul(tf.range(0, batch * 16 * 16), 0.1)), [batch, 16, 16, 1])); // [B, 16, 16, 1]
  const logits = (m: typeof g, x: import('@tensorflow/tfjs-core').Tensor) =>
    m.apply(x, { training: true }) as import('@tensorflow/tfjs-core').Tensor;

  const checkpoints: LeakResult['checkpoints'] = [];
  let lossD = NaN;
  let lossG = NaN;
  const gc = (globalThis as { gc?: () => void }).gc;
  const t0 = performance.now();
  for (let step = 1; step <= steps; step++) {
    const z = tf.randomNormal([batch, zDim]);
    // D step: softplus(-D(x)) + softplus(D(G(z))), D's weights only.
    const costD = optD.minimize(
      () => {
        const fake = logits(g, z);
        return tf.add(tf.mean(tf.softplus(tf.neg(logits(d, real)))), tf.mean(tf.softplus(logits(d, fake))));
      },
      true,
      dVars,
    )!;
    // G step: softplus(-D(G(z))), G's weights only.
    const costG = optG.minimize(() => tf.mean(tf.softplus(tf.neg(logits(d, logits(g, z))))), true, gVars)!;
    if (step === steps) {
      lossD = costD.dataSync()[0]!;
      lossG = costG.dataSync()[0]!;
    }
    tf.dispose([z, costD, costG]);
    if (step === 10 || step === steps || step % Math.max(1, Math.round(steps / 4)) === 0) {
      gc?.();
      gc?.();
      const mem = process.memoryUsage();
      checkpoints.push({
        step,
        numTensors: tf.memory().numTensors,
        rss: mem.rss,
        heapUsed: mem.heapUsed,
        arrayBuffers: mem.arrayBuffers,
      });
    }
  }
  const ms = performance.now() - t0;
  const w1 = g.getWeights()[0]!.dataSync();
  const weightsChanged = w1.some((v, i) => v !== w0[i]);
  const res: LeakResult = {
    backend: tf.getBackend(),
    steps,
    checkpoints,
    lossD,
    lossG,
    weightsChanged,
    ms: Math.round(ms),
  };
  console.log(`LEAK_RESULT ${JSON.stringify(res)}`);
}

if (process.env.TSGAN_LEAK_CHILD === '1') {
  await childMain();
} else {
  const steps = Number(process.env.TSGAN_LEAK_STEPS ?? '1000');
  test(`${steps} GAN training steps on native: constant tensor count, RSS growth < 50 MB`, { timeout: 300_000 }, () => {
    const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url)], {
      env: { ...process.env, TSGAN_LEAK_CHILD: '1' },
      encoding: 'utf8',
      timeout: 280_000,
    });
    assert.equal(r.signal, null, `leak child killed by ${r.signal}: ${(r.stderr ?? '').slice(-3000)}`);
    assert.equal(r.status, 0, `leak child exited with ${r.status}: ${(r.stderr ?? '').slice(-3000)}`);
    const line = (r.stdout ?? '').split('\n').find((l) => l.startsWith('LEAK_RESULT '));
    assert.ok(line, `leak child printed no result: ${(r.stderr ?? '').slice(-3000)}`);
    const res = JSON.parse(line.slice('LEAK_RESULT '.length)) as LeakResult;
    const first = res.checkpoints[0]!;
    const last = res.checkpoints[res.checkpoints.length - 1]!;
    const growth = (last.rss - first.rss) / MB;
    console.log(
      `leak: ${res.steps} steps on ${res.backend} in ${res.ms} ms; numTensors ` +
        res.checkpoints.map((c) => `${c.numTensors}@${c.step}`).join(', ') +
        `; RSS ${(first.rss / MB).toFixed(1)} -> ${(last.rss / MB).toFixed(1)} MB (${growth.toFixed(1)} MB)` +
        `; RSS/heap/arrayBuffers MB by step: ` +
        res.checkpoints
          .map(
            (c) =>
              `${c.step}: ${(c.rss / MB).toFixed(1)}/${(c.heapUsed / MB).toFixed(1)}/${(c.arrayBuffers / MB).toFixed(1)}`,
          )
          .join(', '),
    );
    assert.equal(res.backend, 'native');
    assert.ok(
      Number.isFinite(res.lossD) && Number.isFinite(res.lossG),
      `losses not finite: D ${res.lossD}, G ${res.lossG}`,
    );
    assert.ok(res.weightsChanged, 'the generator did not train');
    assert.equal(first.step, 10);
    assert.equal(last.step, res.steps);
    for (const c of res.checkpoints) {
      assert.equal(
        c.numTensors,
        first.numTensors,
        `numTensors ${c.numTensors} at step ${c.step}, ${first.numTensors} at step 10`,
      );
    }
    assert.ok(growth < 50, `RSS grew by ${growth.toFixed(1)} MB between step 10 and step ${res.steps}`);
  });
}
