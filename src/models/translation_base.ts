// What pix2pix and CycleGAN share as GANModels: no latent and no classes (their generators take an
// image), outputs in [-1, 1], a description built from their networks, and clear errors where a
// caller asks them for latent sampling.
import type * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';

import type { Rng } from '../train/rng.js';
import type { LossPhase, LossSpec, ModelDescription, Networks } from './types.js';
import { describeModel, disposeNetworks } from './describe.js';

export abstract class TranslationModel {
  abstract readonly family: string;
  abstract readonly paper: string;
  abstract readonly options: Record<string, unknown>;
  abstract readonly networks: Networks;
  abstract readonly outputShape: number[];
  abstract phases(spec: LossSpec): LossPhase[];
  abstract buildNetwork(name: string): tfl.LayersModel;
  readonly latentDim = 0;
  readonly numClasses = 0;
  readonly valueRange: [number, number] = [-1, 1];
  readonly supportsTruncation = false;

  generate(): tf.Tensor {
    throw new Error(`${this.family} translates images: it takes an input image, not a latent (use translate)`);
  }

  sampleLatent(_n: number, _rng: Rng): tf.Tensor2D {
    throw new Error(`${this.family} has no latent: its input is an image`);
  }

  describe(): ModelDescription {
    return describeModel(this);
  }

  dispose(): void {
    disposeNetworks(this.networks);
  }
}
