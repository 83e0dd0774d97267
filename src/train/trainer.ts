// The Trainer: owns a model, its optimizers, the EMA copy of G, the seeded RNG and the data
// sampler, runs the model's loss phases one step at a time, and saves/restores all of it as one
// checkpoint. It writes no files by itself except checkpoints on request; run.ts adds the run folder,
// progress display and Ctrl-C handling around it. Nothing here is specific to a model family.
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';

import { lerpInPlace } from '../backend/in_place.js';
import type { FieldDataset } from '../data/fields.js';
import type { Dataset } from '../data/types.js';
import type { AdversarialLoss } from '../losses/adversarial.js';
import { createModel } from '../models/index.js';
import { familiesWithOption, familyOf } from '../models/registry.js';
import type { GANModel, LossPhase, LossSpec, StepContext } from '../models/types.js';
import { diffAugment, parsePolicies, type DiffAugmentPolicy } from '../nn/diff_augment.js';
import { initializeWeights } from '../nn/init.js';
import { Adam } from './adam.js';
import { BatchDrawer } from './batches.js';
import { CheckpointError, type Checkpoint, type CheckpointTensor } from './checkpoint.js';
import { SHARED_MODEL_KEYS, type TrainConfig } from './config.js';
import { TrainEvents } from './events.js';
import { Rng, type RngState } from './rng.js';

/** Per-step results: each phase's loss and logged scalars (numbers). */
export interface StepResult {
  step: number;
  /** Each phase's loss; empty when the backend reads back lazily (see Trainer.readScalars). */
  losses: Record<string, number>;
  logs: Record<string, number>;
  /** Global gradient L2 norm per optimizer, when requested. */
  gradNorms: Record<string, number>;
  ms: number;
  /** True when the scalars stay on the device until readScalars() (GPU backends). */
  deferred: boolean;
}

/** The scalars of one step, as readScalars() returns them. */
export interface StepScalars {
  step: number;
  losses: Record<string, number>;
  logs: Record<string, number>;
  gradNorms: Record<string, number>;
}

/** A step's scalars before readback: numbers (CPU backends) or device scalars (GPU backends). */
interface PendingScalars {
  step: number;
  losses: Record<string, number | tf.Scalar>;
  logs: Record<string, number | tf.Scalar>;
  gradNorms: Record<string, number | tf.Scalar>;
}

/** Steps whose scalars are kept for readScalars() before the oldest are dropped. */
const MAX_PENDING_STEPS = 4096;

/** The model options for a run on `ds`: its family's (src/models/registry.ts), after refusing options of other families. */
export function modelOptionsForData(config: TrainConfig, ds: Dataset | FieldDataset | null): Record<string, unknown> {
  const family = familyOf(config.model.family);
  for (const [k, v] of Object.entries(config.model)) {
    if (v === undefined || SHARED_MODEL_KEYS.has(k) || family.options?.shape[k]) continue;
    const owners = familiesWithOption(k);
    if (owners.length)
      throw new Error(`model.${k} applies to the ${owners.join(', ')} model${owners.length > 1 ? 's' : ''} only`);
  }
  return family.optionsFor(config, ds);
}

export interface TrainerOptions {
  config: TrainConfig;
  /** The data; required to train (sampling from a checkpoint does not need it). Multi-field data needs `model`. */
  dataset: Dataset | FieldDataset | null;
  /** A model to train instead of building one from the config. */
  model?: GANModel;
}

export class Trainer {
  readonly config: TrainConfig;
  readonly model: GANModel;
  readonly dataset: Dataset | FieldDataset | null;
  readonly events = new TrainEvents();
  readonly phases: LossPhase[];
  readonly optimizers: Record<string, Adam> = {};
  /** Variables each optimizer updates, in a fixed order (networks sorted by name, then weight order). */
  private readonly optimizerNets: Record<string, string[]> = {};
  /** EMA copies of networks, keyed by the source network name (G). */
  readonly ema: Record<string, tfl.LayersModel> = {};
  rng: Rng;
  /** The batch sampler (its state is in every checkpoint). */
  sampler: BatchDrawer | null;
  /** Completed steps. */
  step = 0;
  private policies: DiffAugmentPolicy[];
  private lrScale = 1;
  /** Learning rates set by hand (setLearningRate), by optimizer name: they replace the config's. */
  private lrOverride: Record<string, number> = {};
  /** Updates each phase has applied in this process, by phase name (a UI's per-network step count). */
  readonly phaseUpdates: Record<string, number> = {};
  /** Scalars of the steps since the last readScalars(), oldest first. */
  private pending: PendingScalars[] = [];
  /**
   * Read losses every step (CPU backends: a read is a memory access) or leave them on the device
   * until readScalars() (webgpu: a read waits for the GPU to drain, so the loop reads every N steps).
   */
  readonly deferredReadback: boolean;

  constructor(opts: TrainerOptions) {
    this.config = opts.config;
    this.dataset = opts.dataset;
    const c = this.config;
    this.model = opts.model ?? createModel(c.model.family, modelOptionsForData(c, opts.dataset));
    this.rng = new Rng(c.seed);
    this.deferredReadback = tf.getBackend() === 'webgpu';
    // Deterministic initial weights from the seed (tfjs initializers use their own global RNG).
    const scheme = c.model.init === 'auto' ? (this.model.family === 'vanilla' ? 'glorot' : 'dcgan') : c.model.init;
    const initRng = this.rng.fork();
    for (const name of Object.keys(this.model.networks).sort())
      initializeWeights(this.model.networks[name], initRng, scheme);
    this.sampler = opts.dataset
      ? new BatchDrawer(opts.dataset, c.batchSize, this.rng.nextU32(), this.model.numClasses > 0)
      : null;
    this.policies = parsePolicies(c.diffAugment);
    if (this.policies.length && opts.dataset && opts.dataset.kind !== 'image')
      throw new Error('diffAugment applies to images only');
    this.phases = this.model.phases(this.lossSpec());
    // One Adam per optimizer name, over the union of the networks its phases update.
    for (const p of this.phases) {
      if (!this.optimizerNets[p.optimizer]) this.optimizerNets[p.optimizer] = [];
      const nets = this.optimizerNets[p.optimizer];
      for (const n of p.updates) {
        if (!this.model.networks[n]) throw new Error(`phase ${p.name} updates unknown network '${n}'`);
        if (!nets.includes(n)) nets.push(n);
      }
    }
    for (const [name, nets] of Object.entries(this.optimizerNets)) {
      nets.sort();
      this.optimizers[name] = new Adam(this.variablesOf(nets), {
        lr: this.baseLr(name),
        beta1: c.beta1,
        beta2: c.beta2,
      });
    }
    if (c.ema > 0) {
      for (const g of this.generatorNames) {
        this.ema[g] = this.model.buildNetwork(g);
        copyWeights(this.model.networks[g], this.ema[g]);
      }
    }
  }

  private lossSpec(): LossSpec {
    const c = this.config;
    const loss: AdversarialLoss = c.loss === 'wgan-gp' ? 'wgan' : c.loss;
    return {
      loss,
      gpWeight: c.loss === 'wgan-gp' ? c.gpWeight : 0,
      r1Gamma: c.r1Gamma,
      r1Every: c.r1Every,
      realTarget: 1 - c.labelSmoothing,
      dSteps: c.dSteps,
      auxWeight: c.auxWeight,
      topK: c.topK,
      infoWeight: c.infoWeight,
    };
  }

  /** Configured learning rate of an optimizer ('G' -> lrG, 'D' -> lrD, else lr), before any scaling. */
  baseLr(name: string): number {
    const c = this.config;
    if (this.lrOverride[name] !== undefined) return this.lrOverride[name];
    if (name.startsWith('G')) return c.lrG ?? c.lr;
    if (name.startsWith('D')) return c.lrD ?? c.lr;
    return c.lr;
  }

  /** Current learning rate of an optimizer. */
  lr(name: string): number {
    return this.optimizers[name]?.lr ?? this.baseLr(name) * this.lrScale * this.scheduleFactor();
  }

  /**
   * The schedule's factor at the current step. linear: 1 up to step lrDecayStart * steps, then
   * straight down to 1/(decay steps) at the last step (lrDecayStart 0: 1 - step / steps).
   */
  private scheduleFactor(): number {
    if (this.config.lrSchedule !== 'linear') return 1;
    const hold = Math.floor(this.config.lrDecayStart * this.config.steps);
    if (this.step < hold) return 1;
    return Math.max(0, 1 - (this.step - hold) / (this.config.steps - hold));
  }

  private applyLrSchedule(): void {
    for (const [name, opt] of Object.entries(this.optimizers))
      opt.lr = this.baseLr(name) * this.lrScale * this.scheduleFactor();
  }

  /** Sets an optimizer's base learning rate from now on (by hand, live); the schedule and health scaling still apply. */
  setLearningRate(name: string, lr: number): void {
    if (!this.optimizers[name])
      throw new Error(`no optimizer named '${name}' (${Object.keys(this.optimizers).join(', ')})`);
    if (!(Number.isFinite(lr) && lr > 0)) throw new Error(`learning rate must be a positive number, got ${lr}`);
    this.lrOverride[name] = lr;
    this.applyLrSchedule();
  }

  /** Multiplies every optimizer's learning rate (a health remedy). */
  scaleLearningRates(factor: number): void {
    this.lrScale *= factor;
    this.applyLrSchedule();
  }

  /** Turns DiffAugment on (a health remedy, or by hand). */
  enableDiffAugment(policy: string): void {
    this.policies = parsePolicies(policy);
  }

  get diffAugmentPolicies(): readonly DiffAugmentPolicy[] {
    return this.policies;
  }

  private variablesOf(nets: string[]): tf.Variable[] {
    return nets.flatMap((n) => this.model.networks[n].trainableWeights.map((w) => w.read() as tf.Variable));
  }

  /** The generator used for samples: the EMA copy when there is one. */
  get sampleGenerator(): tfl.LayersModel {
    return this.ema[this.model.generatorName] ?? this.model.networks[this.model.generatorName];
  }

  private nextBatch(phase: LossPhase) {
    if (!this.sampler) throw new Error('Trainer: no dataset to train on');
    return this.sampler.next(phase.reads ?? this.model.batchFields);
  }

  /**
   * Runs one training step (every due phase); `withGradNorms` also measures gradient norms. On a
   * deferred-readback backend the returned losses are empty: the values wait on the device for
   * readScalars(), so no step stalls on a GPU-to-CPU copy.
   */
  trainStep(withGradNorms = false, only?: readonly string[]): StepResult {
    const t0 = performance.now();
    this.applyLrSchedule();
    // `only`: run just the named phases (one step of D alone, as GAN Lab does), read back at once,
    // without advancing the step count or the log window.
    const deferred = only ? false : this.deferredReadback;
    const rec: PendingScalars = { step: this.step + 1, losses: {}, logs: {}, gradNorms: {} };
    /** A scalar of this step: read now, or kept on the device for readScalars(). */
    const take = (t: tf.Tensor): number | tf.Scalar =>
      deferred ? (tf.keep(t) as tf.Scalar) : (t.dataSync()[0] as number);
    const augment = (x: tf.Tensor): tf.Tensor =>
      this.policies.length && x.rank === 4 ? diffAugment(x as tf.Tensor4D, this.policies, this.rng) : x;
    const stepCache: Record<string, tf.Tensor> = {};
    let stepBatch: ReturnType<Trainer['nextBatch']> | null = null;
    for (const phase of this.phases) {
      if (this.step % (phase.every ?? 1) !== 0) continue;
      if (only && !only.includes(phase.name)) continue;
      const repeat = phase.repeat ?? 1;
      for (let r = 0; r < repeat; r++) {
        const opt = this.optimizers[phase.optimizer];
        const vars = opt.variables;
        const owned = new Set(this.variablesOf(phase.updates).map((v) => v.name));
        const shared = phase.batch === 'step';
        if (shared && !stepBatch) stepBatch = this.nextBatch(phase);
        const batch = shared && stepBatch ? stepBatch : this.nextBatch(phase);
        const ctx: StepContext = {
          step: this.step,
          real: batch.real,
          labels: batch.labels,
          batch: batch.fields,
          stepCache,
          batchSize: this.config.batchSize,
          rng: this.rng,
          augment,
        };
        let kept: Record<string, tf.Scalar> = {};
        const { value, grads } = tf.variableGrads(
          () => {
            const res = phase.loss(ctx);
            kept = res.logs ?? {};
            for (const t of Object.values(kept)) tf.keep(t);
            return res.loss;
          },
          vars.filter((v) => owned.has(v.name)),
        );
        const list = vars.map((v) => grads[v.name] ?? null);
        if (withGradNorms && r === repeat - 1) {
          const prev = rec.gradNorms[phase.optimizer];
          if (prev != null && typeof prev !== 'number') prev.dispose();
          rec.gradNorms[phase.optimizer] = tf.tidy(() => {
            const sq = list.filter((g): g is tf.Tensor => g != null).map((g) => tf.sum(tf.square(g)));
            return take(tf.sqrt(sq.length ? tf.addN(sq) : tf.scalar(0)));
          });
        }
        opt.apply(list);
        this.phaseUpdates[phase.name] = (this.phaseUpdates[phase.name] ?? 0) + 1;
        const prevLoss = rec.losses[phase.name];
        if (prevLoss != null && typeof prevLoss !== 'number') prevLoss.dispose();
        rec.losses[phase.name] = take(value);
        for (const [k, t] of Object.entries(kept)) {
          const prevLog = rec.logs[k];
          if (prevLog != null && typeof prevLog !== 'number') prevLog.dispose();
          rec.logs[k] = take(t);
        }
        tf.dispose([...(deferred ? [] : [value, ...Object.values(kept)]), ...Object.values(grads)]);
        if (!shared) BatchDrawer.dispose(batch);
        for (const g of phase.updates) if (this.ema[g]) this.updateEma(g);
      }
    }
    if (stepBatch) BatchDrawer.dispose(stepBatch);
    tf.dispose(Object.values(stepCache));
    if (!only) {
      this.step += 1;
      this.pending.push(rec);
      if (this.pending.length > MAX_PENDING_STEPS) disposePending(this.pending.shift()!);
    }
    const numbers = (o: Record<string, number | tf.Scalar>) =>
      Object.fromEntries(Object.entries(o).filter((e): e is [string, number] => typeof e[1] === 'number'));
    return {
      step: only ? this.step : rec.step,
      losses: numbers(rec.losses),
      logs: numbers(rec.logs),
      gradNorms: numbers(rec.gradNorms),
      ms: performance.now() - t0,
      deferred,
    };
  }

  /**
   * The scalars (losses, logs, gradient norms) of every step since the last call, oldest first,
   * and forgets them. On a GPU backend this is the one readback: all values in a single download.
   */
  async readScalars(): Promise<StepScalars[]> {
    const pending = this.pending;
    this.pending = [];
    const tensors: tf.Scalar[] = [];
    for (const p of pending) {
      for (const o of [p.losses, p.logs, p.gradNorms])
        for (const v of Object.values(o)) if (typeof v !== 'number') tensors.push(v);
    }
    let values: Float32Array = new Float32Array(0);
    if (tensors.length) {
      const all = tf.stack(tensors); // [T]
      values = (await all.data()) as Float32Array;
      all.dispose();
      tf.dispose(tensors);
    }
    let at = 0;
    const read = (o: Record<string, number | tf.Scalar>) =>
      Object.fromEntries(Object.entries(o).map(([k, v]) => [k, typeof v === 'number' ? v : values[at++]!]));
    return pending.map((p) => ({
      step: p.step,
      losses: read(p.losses),
      logs: read(p.logs),
      gradNorms: read(p.gradNorms),
    }));
  }

  /** The generators the model names (each gets an EMA copy when ema > 0). */
  get generatorNames(): string[] {
    return this.model.generatorNames ?? [this.model.generatorName];
  }

  /** EMA of a generator's weights (all of them, BatchNorm statistics included). */
  private updateEma(g: string): void {
    const ema = this.ema[g];
    if (!ema) return;
    if (this.step < this.config.emaStart) {
      copyWeights(this.model.networks[g], ema);
      return;
    }
    const beta = this.config.ema;
    const src = this.model.networks[g].weights;
    tf.tidy(() => {
      ema.weights.forEach((w, i) => {
        // ema <- ema + (G - ema) * (1 - beta): one in-place native call, or the tfjs reference.
        if (!lerpInPlace(w.read() as tf.Variable, src[i].read(), 1 - beta)) {
          w.write(tf.add(tf.mul(w.read(), beta), tf.mul(src[i].read(), 1 - beta)));
        }
      });
    });
  }

  /** Generates from latents with the sampling generator (EMA when present), BatchNorm in inference mode. */
  generate(z: tf.Tensor2D, labels: tf.Tensor1D | null = null): tf.Tensor {
    return this.model.generate(z, labels, { generator: this.sampleGenerator, training: false });
  }

  /** The fixed latents (and labels) of the sample grid: same for the whole run, independent of training's RNG. */
  fixedSampleInputs(n = this.config.sampleCount): { z: tf.Tensor2D; labels: tf.Tensor1D | null } {
    const r = new Rng((this.config.seed ^ 0x51a7e5) >>> 0);
    const z = this.model.sampleLatent(n, r);
    const k = this.model.numClasses;
    const labels =
      k > 0
        ? tf.tensor1d(
            Array.from({ length: n }, (_, i) => i % k),
            'int32',
          )
        : null;
    return { z, labels };
  }

  // ---- checkpoints ----

  /**
   * The whole training state as a checkpoint, on any backend: first downloads every tensor of the
   * state (a GPU backend keeps the downloaded copy until the tensor changes, so toCheckpoint's
   * synchronous reads find it).
   */
  async toCheckpointAsync(extra: Record<string, unknown> = {}): Promise<Checkpoint> {
    if (this.deferredReadback) {
      const ts: tf.Tensor[] = [];
      for (const net of [...Object.values(this.model.networks), ...Object.values(this.ema)])
        for (const w of net.weights) ts.push(w.read());
      for (const opt of Object.values(this.optimizers)) ts.push(...opt.stateTensors());
      await Promise.all(ts.map((t) => t.data()));
    }
    return this.toCheckpoint(extra);
  }

  /** The whole training state as a checkpoint (synchronous reads: on webgpu use toCheckpointAsync). */
  toCheckpoint(extra: Record<string, unknown> = {}): Checkpoint {
    const tensors: CheckpointTensor[] = [];
    const push = (name: string, t: tf.Tensor) =>
      tensors.push({ name, shape: t.shape.slice(), data: Float32Array.from(t.dataSync() as Float32Array) });
    for (const name of Object.keys(this.model.networks).sort()) {
      this.model.networks[name].weights.forEach((w, i) => {
        push(`net/${name}/${i}`, w.read());
      });
    }
    for (const name of Object.keys(this.ema).sort())
      this.ema[name].weights.forEach((w, i) => {
        push(`ema/${name}/${i}`, w.read());
      });
    const modelState = this.model.getState?.();
    for (const [name, a] of Object.entries(modelState?.arrays ?? {}).sort(([x], [y]) => (x < y ? -1 : 1)))
      tensors.push({ name: `model/${name}`, shape: a.shape.slice(), data: Float32Array.from(a.data) });
    const optState: Record<string, { t: number; lr: number; size: number }> = {};
    for (const name of Object.keys(this.optimizers).sort()) {
      const s = this.optimizers[name].getState();
      optState[name] = { t: s.t, lr: this.optimizers[name].lr, size: s.m.length };
      s.m.forEach((m, i) => {
        tensors.push({ name: `opt/${name}/m/${i}`, shape: this.optimizers[name].variables[i].shape.slice(), data: m });
      });
      s.v.forEach((v, i) => {
        tensors.push({ name: `opt/${name}/v/${i}`, shape: this.optimizers[name].variables[i].shape.slice(), data: v });
      });
    }
    return {
      header: {
        format: 'tsgan-checkpoint',
        version: 1,
        step: this.step,
        model: { family: this.model.family, options: this.model.options },
        state: {
          config: this.config,
          rng: this.rng.getState(),
          sampler: this.sampler?.getState() ?? null,
          optimizers: optState,
          lrScale: this.lrScale,
          lrOverride: this.lrOverride,
          diffAugment: this.policies.join(','),
          networks: Object.fromEntries(
            Object.entries(this.model.networks).map(([n, net]) => [
              n,
              net.weights.map((w) => w.originalName ?? w.name),
            ]),
          ),
          ...(modelState ? { model: modelState.json } : {}),
          ...extra,
        },
        savedAt: new Date().toISOString(),
      },
      tensors,
    };
  }

  /** Restores the whole state; rejects a checkpoint of another model with an error saying what differs. */
  restore(ck: Checkpoint, source = 'checkpoint'): void {
    const h = ck.header;
    const mine = { family: this.model.family, options: this.model.options };
    if (h.model.family !== mine.family) {
      throw new CheckpointError(
        `${source} holds a '${h.model.family}' model, but this run builds a '${mine.family}' model`,
      );
    }
    // An option the checkpoint lacks was added after it was written, and took its default there;
    // if this model sets it otherwise, the tensor shapes below say so.
    const diff = Object.keys({ ...h.model.options, ...mine.options }).filter(
      (k) => k in h.model.options && JSON.stringify(h.model.options[k]) !== JSON.stringify(mine.options[k]),
    );
    if (diff.length) {
      throw new CheckpointError(
        `${source} holds a different ${mine.family} model: ${diff.map((k) => `${k} is ${JSON.stringify(h.model.options[k])} there, ${JSON.stringify(mine.options[k])} here`).join('; ')}`,
      );
    }
    const byName = new Map(ck.tensors.map((t) => [t.name, t]));
    const take = (name: string, shape: number[]): CheckpointTensor => {
      const t = byName.get(name);
      if (!t) throw new CheckpointError(`${source} has no tensor '${name}' (saved by another model or version?)`);
      if (t.shape.join(',') !== shape.join(',')) {
        throw new CheckpointError(`${source}: tensor '${name}' has shape [${t.shape}], this model needs [${shape}]`);
      }
      return t;
    };
    const setNet = (prefix: string, net: tfl.LayersModel) => {
      const count = ck.tensors.filter((t) => t.name.startsWith(prefix)).length;
      if (count !== net.weights.length)
        throw new CheckpointError(
          `${source}: ${count} weights under '${prefix}', this model has ${net.weights.length}`,
        );
      net.weights.forEach((w, i) => {
        const t = take(`${prefix}${i}`, w.shape as number[]);
        tf.tidy(() => {
          w.write(tf.tensor(t.data, t.shape));
        });
      });
    };
    for (const name of Object.keys(this.model.networks).sort()) setNet(`net/${name}/`, this.model.networks[name]);
    const st = h.state as {
      rng: RngState;
      sampler: Parameters<BatchDrawer['restore']>[0] | null;
      optimizers: Record<string, { t: number; lr: number; size: number }>;
      lrScale?: number;
      lrOverride?: Record<string, number>;
      diffAugment?: string;
    };
    for (const name of Object.keys(this.ema)) {
      if (ck.tensors.some((t) => t.name.startsWith(`ema/${name}/`))) setNet(`ema/${name}/`, this.ema[name]);
      else copyWeights(this.model.networks[name], this.ema[name]);
    }
    for (const [name, opt] of Object.entries(this.optimizers)) {
      const s = st.optimizers?.[name];
      if (!s) throw new CheckpointError(`${source} has no state for optimizer '${name}'`);
      const m = opt.variables.map((v, i) => take(`opt/${name}/m/${i}`, v.shape).data);
      const v = opt.variables.map((x, i) => take(`opt/${name}/v/${i}`, x.shape).data);
      opt.setState({ t: s.t, m, v });
      opt.lr = s.lr;
    }
    this.lrScale = st.lrScale ?? 1;
    this.lrOverride = { ...(st.lrOverride ?? {}) };
    this.rng = new Rng(st.rng);
    if (this.sampler && st.sampler) this.sampler.restore(st.sampler);
    if (st.diffAugment != null) this.policies = parsePolicies(st.diffAugment);
    if (this.model.setState) {
      const arrays = Object.fromEntries(
        ck.tensors
          .filter((t) => t.name.startsWith('model/'))
          .map((t) => [t.name.slice(6), { shape: t.shape, data: t.data }]),
      );
      this.model.setState({ json: (h.state as { model?: unknown }).model ?? null, arrays });
    }
    this.step = h.step;
  }

  dispose(): void {
    for (const p of this.pending) disposePending(p);
    this.pending = [];
    this.model.dispose();
    for (const o of Object.values(this.optimizers)) o.dispose();
    for (const e of Object.values(this.ema)) e.dispose();
  }
}

/** Copies every weight of `src` into `dst` (same architecture). */
export function copyWeights(src: tfl.LayersModel, dst: tfl.LayersModel): void {
  const s = src.weights;
  tf.tidy(() => {
    dst.weights.forEach((w, i) => {
      w.write(tf.clone(s[i].read()));
    });
  });
}

function disposePending(p: PendingScalars): void {
  for (const o of [p.losses, p.logs, p.gradNorms])
    for (const v of Object.values(o)) if (typeof v !== 'number') v.dispose();
}
