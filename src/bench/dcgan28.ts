import os from 'node:os';

import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import { batchNormalization } from '../nn/batch_norm.js';
import { adam } from '../optim/fused_adam.js';
import { type PeerRun, runTorchPeer } from './peer.js';

export interface Dcgan28Options {
  batch?: number; // images per step (the peer's --batch)
  steps?: number; // timed training steps (inference is timed over 5x as many calls, as the peer does)
  warmup?: number; // untimed steps first
  peer?: boolean | 'auto'; // run the PyTorch peer in the same call: true, false, or 'auto' (when torch imports)
  threads?: number; // threads for the peer (default: the core count)
  peerDevice?: 'cpu' | 'cuda'; // where the peer runs (default: cuda when tsgan runs on webgpu, else cpu)
}

export interface PeerResult {
  peer: string;
  version: string;
  device: string;
  threads: number;
  batch: number;
  train_img_per_s: number;
  infer_img_per_s: number;
}

export interface Dcgan28Result {
  bench: 'dcgan28';
  backend: string;
  batch: number;
  steps: number;
  train_ms_per_step: number;
  train_img_per_s: number;
  infer_img_per_s: number;
  peer: (PeerResult & { train_ratio: number; infer_ratio: number }) | null;
  /** tsgan / peer images per second, also inside `peer` (null without a peer). */
  train_ratio: number | null;
  infer_ratio: number | null;
  peer_error?: string;
  machine: { cpus: number; cpu_model: string; date: string };
}

export function buildGenerator(): tfl.LayersModel {
  const z = tfl.input({ shape: [100] }); // [N, 100]
  let h = tfl.layers.dense({ units: 7 * 7 * 128 }).apply(z) as tfl.SymbolicTensor; // [N, 6272]
  h = tfl.layers.reLU().apply(h) as tfl.SymbolicTensor;
  h = tfl.layers.reshape({ targetShape: [7, 7, 128] }).apply(h) as tfl.SymbolicTensor; // [N, 7, 7, 128]
  h = tfl.layers
    .conv2dTranspose({ filters: 64, kernelSize: 4, strides: 2, padding: 'same' })
    .apply(h) as tfl.SymbolicTensor; // [N, 14, 14, 64]
  h = batchNormalization({ momentum: 0.9, epsilon: 1e-5 }).apply(h) as tfl.SymbolicTensor;
  h = tfl.layers.reLU().apply(h) as tfl.SymbolicTensor;
  h = tfl.layers
    .conv2dTranspose({ filters: 1, kernelSize: 4, strides: 2, padding: 'same', activation: 'tanh' })
    .apply(h) as tfl.SymbolicTensor; // [N, 28, 28, 1]
  return tfl.model({ inputs: z, outputs: h });
}

export function buildDiscriminator(): tfl.LayersModel {
  const x = tfl.input({ shape: [28, 28, 1] }); // [N, 28, 28, 1]
  let h = tfl.layers.conv2d({ filters: 64, kernelSize: 4, strides: 2, padding: 'same' }).apply(x) as tfl.SymbolicTensor; // [N, 14, 14, 64]
  h = tfl.layers.leakyReLU({ alpha: 0.2 }).apply(h) as tfl.SymbolicTensor;
  h = tfl.layers.conv2d({ filters: 128, kernelSize: 4, strides: 2, padding: 'same' }).apply(h) as tfl.SymbolicTensor; // [N, 7, 7, 128]
  h = tfl.layers.leakyReLU({ alpha: 0.2 }).apply(h) as tfl.SymbolicTensor;
  h = tfl.layers.flatten().apply(h) as tfl.SymbolicTensor; // [N, 6272]
  h = tfl.layers.dense({ units: 1 }).apply(h) as tfl.SymbolicTensor; // [N, 1] logits
  return tfl.model({ inputs: x, outputs: h });
}

/** One reference training step. Returns nothing; losses stay on the backend (no readback). */
export function makeTrainStep(
  G: tfl.LayersModel,
  D: tfl.LayersModel,
  batch: number,
): { step: () => void; dispose: () => void } {
  const optG = adam(2e-4, 0.5, 0.999);
  const optD = adam(2e-4, 0.5, 0.999);
  const real = tf.tidy(() => tf.sub(tf.mul(tf.randomUniform([batch, 28, 28, 1]), 2), 1)); // [B, 28, 28, 1]
  const gVars = G.trainableWeights.map((w) => w.read() as tf.Variable);
  const dVars = D.trainableWeights.map((w) => w.read() as tf.Variable);
  const step = () => {
    tf.tidy(() => {
      const z = tf.randomNormal([batch, 100]); // [B, 100]
      const fake = G.apply(z, { training: true }) as tf.Tensor; // [B, 28, 28, 1], G's forward for the D step
      optD.minimize(
        () => {
          const lossReal = tf.mean(tf.softplus(tf.neg(D.apply(real, { training: true }) as tf.Tensor)));
          const lossFake = tf.mean(tf.softplus(D.apply(fake, { training: true }) as tf.Tensor));
          return tf.add(lossReal, lossFake) as tf.Scalar;
        },
        false,
        dVars,
      );
      optG.minimize(
        () => {
          const logits = D.apply(G.apply(z, { training: true }), { training: true }) as tf.Tensor;
          return tf.mean(tf.softplus(tf.neg(logits))) as tf.Scalar;
        },
        false,
        gVars,
      );
    });
  };
  return {
    step,
    dispose: () => {
      real.dispose();
      optG.dispose();
      optD.dispose();
    },
  };
}

/**
 * ms per call of fn. `sync` waits until the backend has finished the queued work (a GPU runs
 * asynchronously: without it the loop would time the submissions only); it runs after the warm-up
 * and once after the timed calls, not inside the loop, so no step pays for a readback.
 */
async function timeIt(fn: () => void, n: number, warmup: number, sync: () => Promise<void>): Promise<number> {
  for (let i = 0; i < warmup; i++) fn();
  await sync();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) fn();
  await sync();
  return Number(process.hrtime.bigint() - t0) / 1e6 / n; // ms per call
}

/** Runs the PyTorch peer bench/torch_dcgan.py (TSGAN_PEER_SCRIPT overrides) if torch imports; null with a reason otherwise. */
export function runPeer(batch: number, steps: number, threads: number, device = 'cpu'): PeerRun<PeerResult> {
  const args = ['--batch', batch, '--steps', steps, '--threads', threads, '--device', device];
  return runTorchPeer<PeerResult>('torch_dcgan.py', args, threads, 'TSGAN_PEER_SCRIPT');
}

export async function benchDcgan28(opts: Dcgan28Options = {}): Promise<Dcgan28Result> {
  const batch = opts.batch ?? 64;
  const steps = opts.steps ?? 30;
  const warmup = opts.warmup ?? 3;
  if (!Number.isInteger(batch) || batch < 1)
    throw new Error(`bench dcgan28: --batch must be a positive integer, got ${batch}`);
  if (!Number.isInteger(steps) || steps < 1)
    throw new Error(`bench dcgan28: --steps must be a positive integer, got ${steps}`);
  const G = buildGenerator();
  const D = buildDiscriminator();
  const train = makeTrainStep(G, D, batch);
  // Reading a value computed from one of G's weights waits for every step queued before it (and is
  // tiny). A fresh tensor each time: a backend may answer a repeated read of the same one from a cache.
  const lastWeight = G.weights[G.weights.length - 1]!;
  const sync = async () => {
    const s = tf.sum(lastWeight.read());
    await s.data();
    s.dispose();
  };
  const trainMs = await timeIt(
    () => {
      train.step();
    },
    steps,
    warmup,
    sync,
  );
  const asyncOnly = tf.getBackend() === 'webgpu';
  let pending: Promise<unknown>[] = [];
  const inferMs = await timeIt(
    () => {
      const out = tf.tidy(() => G.predict(tf.randomNormal([batch, 100]), { batchSize: batch }) as tf.Tensor); // one batch of B, as the peer
      // The images reach the caller: synchronously on CPU backends, as a pending download on a GPU.
      if (asyncOnly) pending.push(out.data().then(() => out.dispose()));
      else {
        out.dataSync();
        out.dispose();
      }
    },
    steps * 5,
    warmup,
    async () => {
      await Promise.all(pending);
      pending = [];
    },
  );
  train.dispose();
  G.dispose();
  D.dispose();
  const res: Dcgan28Result = {
    bench: 'dcgan28',
    backend: tf.getBackend(),
    batch,
    steps,
    train_ms_per_step: round(trainMs, 2),
    train_img_per_s: round((batch * 1000) / trainMs, 1),
    infer_img_per_s: round((batch * 1000) / inferMs, 1),
    peer: null,
    train_ratio: null,
    infer_ratio: null,
    machine: { cpus: os.cpus().length, cpu_model: os.cpus()[0]?.model ?? 'unknown', date: new Date().toISOString() },
  };
  const wantPeer = opts.peer ?? 'auto';
  if (wantPeer !== false) {
    const peer = runPeer(
      batch,
      steps,
      opts.threads ?? os.cpus().length,
      opts.peerDevice ?? (res.backend === 'webgpu' ? 'cuda' : 'cpu'),
    );
    if (peer.result) {
      res.peer = {
        ...peer.result,
        train_ratio: round(res.train_img_per_s / peer.result.train_img_per_s, 2),
        infer_ratio: round(res.infer_img_per_s / peer.result.infer_img_per_s, 2),
      };
      res.train_ratio = res.peer.train_ratio;
      res.infer_ratio = res.peer.infer_ratio;
    } else {
      res.peer_error = peer.error;
      if (wantPeer === true) throw new Error(`bench dcgan28: the peer could not run: ${peer.error}`);
    }
  }
  return res;
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

export interface KernelProfileRow {
  kernel: string;
  calls_per_step: number;
  ms_per_step: number;
  share: number; // of the summed kernel time
}

export interface Dcgan28Profile {
  backend: string;
  batch: number;
  wall_ms_per_step: number; // under profiling (slower than the plain step)
  kernel_ms_per_step: number; // summed kernel time; the rest is JS dispatch, tape and allocation
  rows: KernelProfileRow[];
}

/** Where the step's time goes, kernel by kernel (tf.profile over `steps` steps after a warm-up). */
export async function profileDcgan28(batch = 64, steps = 3): Promise<Dcgan28Profile> {
  const G = buildGenerator();
  const D = buildDiscriminator();
  const train = makeTrainStep(G, D, batch);
  train.step();
  const t0 = process.hrtime.bigint();
  const info = await tf.profile(() => {
    for (let i = 0; i < steps; i++) train.step();
  });
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6 / steps;
  train.dispose();
  G.dispose();
  D.dispose();
  const byName = new Map<string, { calls: number; ms: number }>();
  for (const k of info.kernels) {
    // Ops built with customGrad (fusedConv2d__op, ...) are recorded around their inner kernel: skip them.
    if (k.name.endsWith('__op')) continue;
    const e = byName.get(k.name) ?? { calls: 0, ms: 0 };
    e.calls++;
    e.ms += typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
    byName.set(k.name, e);
  }
  const total = [...byName.values()].reduce((a, e) => a + e.ms, 0);
  const rows = [...byName.entries()]
    .map(([kernel, e]) => ({
      kernel,
      calls_per_step: round(e.calls / steps, 1),
      ms_per_step: round(e.ms / steps, 3),
      share: round(e.ms / total, 4),
    }))
    .sort((a, b) => b.ms_per_step - a.ms_per_step);
  return {
    backend: tf.getBackend(),
    batch,
    wall_ms_per_step: round(wallMs, 2),
    kernel_ms_per_step: round(total / steps, 2),
    rows,
  };
}
