// What a GAN model is, for the trainer, the CLI and later model families (StyleGAN, CycleGAN,
// pix2pix): a model DECLARES its networks (a named map of tfjs-layers models: {G, D} here,
// {G_AB, G_BA, D_A, D_B} for CycleGAN) and its LOSS PHASES (which networks each phase updates, with
// which optimizer, how often), and offers generation, latent sampling and a description.
// The trainer knows nothing of any particular model: it runs the phases it is given.
import type * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';

import type { AdversarialLoss } from '../losses/adversarial.js';
import type { Rng } from '../train/rng.js';

/** A model's networks by name. Each is a tfjs-layers model; its weights are what checkpoints hold. */
export type Networks = Record<string, tfl.LayersModel>;

/** What a loss phase sees at one training step. Tensors here are owned by the trainer. */
export interface StepContext {
  /** Step about to complete (0-based count of completed steps before this one). */
  step: number;
  /** Real batch [N, ...sampleShape], in the model's value range. */
  real: tf.Tensor;
  /** Class labels of the real batch [N] (int32), or null for unconditional data. */
  labels: tf.Tensor1D | null;
  /** Batch size N. */
  batchSize: number;
  /**
   * The batch's named fields for the phase (see LossPhase.reads): `{ image, label }` for image data,
   * `{ input, target }` or `{ A, B }` for translation data. `real` and `labels` above are `image`
   * and `label` (for a multi-field dataset, `real` is the phase's first field).
   */
  batch: Record<string, tf.Tensor>;
  /**
   * Tensors a phase computed for later phases of the same step (CycleGAN's fakes: G's phase makes
   * them once, the D phases read them). A phase stores kept tensors (tf.keep); the trainer frees
   * them when the step ends. Values stored here are constants to later phases' gradient tapes.
   */
  stepCache: Record<string, tf.Tensor>;
  /** The run's seeded RNG: latents, augmentation parameters, penalty interpolation weights. */
  rng: Rng;
  /** DiffAugment (or the identity) to apply to every image D sees. */
  augment: (x: tf.Tensor) => tf.Tensor;
}

/** A phase's loss and the extra scalars it wants logged (e.g. D's mean logits). */
export interface PhaseResult {
  loss: tf.Scalar;
  /** Extra scalars to log, keyed by name (e.g. 'dReal', 'gp'). */
  logs?: Record<string, tf.Scalar>;
}

/** One optimization phase of a training step. */
export interface LossPhase {
  /** Name used in logs: 'D', 'G', 'D_r1'... */
  name: string;
  /** Networks whose trainable weights this phase updates. */
  updates: string[];
  /** Which optimizer (by name, e.g. 'G' or 'D') applies the update. */
  optimizer: string;
  /** Run on steps where step % every === 0 (lazy regularization: every 16). Default 1. */
  every?: number;
  /** How many times per step (WGAN's n_critic for D). Default 1. */
  repeat?: number;
  /** Batch fields this phase reads (a multi-field dataset's names); default: the model's batchFields. */
  reads?: string[];
  /** 'step': use the batch drawn once for the whole step (phases that share fakes); default: its own batch. */
  batch?: 'own' | 'step';
  /** The loss, computed inside the trainer's gradient tape. */
  loss: (ctx: StepContext) => PhaseResult;
}

/** The loss settings a model turns into phases. */
export interface LossSpec {
  /** Adversarial loss. */
  loss: AdversarialLoss;
  /** WGAN-GP weight (lambda); 0 = no gradient penalty. */
  gpWeight: number;
  /** R1 gamma; 0 = no R1 penalty. */
  r1Gamma: number;
  /** Apply R1 every k steps (scaled by k, as in StyleGAN2's lazy regularization). */
  r1Every: number;
  /** D's target for real samples: 1, or 1 - labelSmoothing. */
  realTarget: number;
  /** D updates per G update (n_critic). */
  dSteps: number;
  /** Weight of ACGAN's auxiliary classification loss (conditional models with acgan on). */
  auxWeight: number;
  /** Fraction of the fake batch G's adversarial loss uses: the samples D scores highest (top-k training); 1 = all. */
  topK: number;
  /** Weight of InfoGAN's mutual-information term in G's and D's losses (models with a categorical code). */
  infoWeight: number;
}

export interface GenerateOptions {
  /** BatchNorm in training mode (batch statistics) instead of moving averages. Default false. */
  training?: boolean;
  /** Network to use instead of the model's own generator (e.g. the EMA copy). */
  generator?: tfl.LayersModel;
}

/** What `tsgan info` prints about a model. */
export interface ModelDescription {
  family: string;
  paper: string;
  latentDim: number;
  numClasses: number;
  outputShape: number[];
  valueRange: [number, number];
  options: Record<string, unknown>;
  networks: Record<string, { params: number; layers: number }>;
}

/** A model's non-weight state: JSON-able values plus named float32 arrays. */
export interface ModelState {
  json: unknown;
  arrays: Record<string, { shape: number[]; data: Float32Array }>;
}

export interface GANModel {
  /** Model family: 'vanilla', 'dcgan', 'cgan'. */
  readonly family: string;
  /** The resolved options (defaults filled in); with `family`, they rebuild the same model. */
  readonly options: Record<string, unknown>;
  readonly networks: Networks;
  /** Name of the generator network in `networks` (what export and sampling use). */
  readonly generatorName: string;
  /** Length of a latent vector. */
  readonly latentDim: number;
  /** Number of classes for conditional models, 0 otherwise. */
  readonly numClasses: number;
  /** Shape of one generated sample: [H, W, C] or [2]. */
  readonly outputShape: number[];
  /** Range of generated values. */
  readonly valueRange: [number, number];
  /** Whether `sampleLatent` honours a truncation threshold. */
  readonly supportsTruncation: boolean;

  /** Fields of a multi-field dataset the model trains on ({input, target}, {A, B}); unset: image data. */
  readonly batchFields?: string[];
  /** Every generator the model has (EMA copies are kept for each); default: [generatorName]. */
  readonly generatorNames?: string[];
  /** Non-weight state a checkpoint must hold (a history pool, running means); restored by setState. */
  getState?(): ModelState;
  setState?(state: ModelState): void;
  /** Image-to-image models: the side multiple inference pads to, and a generator for any image size. */
  readonly sizeMultiple?: number;
  generatorForAnySize?(name: string): tfl.LayersModel;
  /** Image-to-image models: input images [N, H, W, Cin] -> outputs [N, H, W, Cout]. */
  translate?(
    x: tf.Tensor4D,
    opts?: { training?: boolean; generator?: tfl.LayersModel; direction?: string },
  ): tf.Tensor4D;

  /** The loss phases of one training step, for the given loss settings. */
  phases(spec: LossSpec): LossPhase[];
  /** Samples from latents z [N, latentDim] (and labels [N] int32 for conditional models). */
  generate(z: tf.Tensor2D, labels?: tf.Tensor1D | null, opts?: GenerateOptions): tf.Tensor;
  /** N latents from the seeded RNG; truncation t > 0 redraws components with |z| > t. */
  sampleLatent(n: number, rng: Rng, truncation?: number): tf.Tensor2D;
  /** A freshly built (untrained) copy of one network: the trainer's EMA copy of G is one. */
  buildNetwork(name: string): tfl.LayersModel;
  describe(): ModelDescription;
  dispose(): void;
}
