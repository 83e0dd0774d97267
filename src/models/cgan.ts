// Conditional GAN: Mirza & Osindero, "Conditional Generative Adversarial Nets", 2014, with the
// class fed to G through a learned embedding concatenated to z, and to D through a projection
// discriminator: Miyato & Koyama, "cGANs with Projection Discriminator", ICLR 2018,
//   D(x, y) = w^T phi(x) + embed(y)^T phi(x).
// Option `acgan`: Odena, Olah & Shlens, "Conditional Image Synthesis with Auxiliary Classifier
// GANs", ICML 2017: D takes no label, and predicts the class with an auxiliary head.
// Reference defaults: the DCGAN networks (see dcgan.ts) at 28x28, 10 classes, label embedding of
// 50 in G, spectral normalization in D on (as in the projection paper's setup), hinge loss in
// the `cgan-fmnist` preset.
import * as tfl from '@tensorflow/tfjs-layers';

import { AdversarialGAN, resolveOptions } from './adversarial_base.js';
import {
  DCGAN_DEFAULTS,
  dcganDiscriminatorTrunk,
  dcganGenerator,
  dcganLayout,
  denseLayer,
  resolveDcganWidths,
  type DCGANOptions,
} from './dcgan.js';

export interface CGANOptions extends DCGANOptions {
  /** Number of classes. */
  numClasses: number;
  /** Size of G's label embedding. */
  embedDim: number;
  /** ACGAN instead of a projection discriminator. */
  acgan: boolean;
}

export const CGAN_DEFAULTS: CGANOptions = {
  ...DCGAN_DEFAULTS,
  spectralNorm: true,
  numClasses: 10,
  embedDim: 50,
  acgan: false,
};

export class CGAN extends AdversarialGAN {
  readonly family = 'cgan';
  readonly paper = 'Mirza & Osindero 2014; projection discriminator: Miyato & Koyama 2018; ACGAN: Odena et al. 2017';
  readonly options: Record<string, unknown>;
  readonly opts: CGANOptions;
  readonly latentDim: number;
  readonly numClasses: number;
  readonly outputShape: number[];

  constructor(options: Partial<CGANOptions> = {}) {
    super();
    this.opts = resolveOptions('cgan', CGAN_DEFAULTS, options);
    dcganLayout(this.opts.resolution);
    resolveDcganWidths('cgan', this.opts);
    if (this.opts.infoCategories !== 0)
      throw new Error('cgan: infoCategories is a dcgan option (a conditional GAN has class labels)');
    if (!(Number.isInteger(this.opts.numClasses) && this.opts.numClasses >= 2)) {
      throw new Error(`cgan: numClasses must be an integer >= 2, got ${this.opts.numClasses}`);
    }
    this.options = { ...this.opts };
    this.latentDim = this.opts.latentDim;
    this.numClasses = this.opts.numClasses;
    this.outputShape = [this.opts.resolution, this.opts.resolution, this.opts.channels];
    this.init();
  }

  override get hasAuxClassifier(): boolean {
    return this.opts.acgan;
  }

  buildNetwork(name: string): tfl.LayersModel {
    const o = this.opts;
    if (name === 'G') {
      const z = tfl.input({ shape: [o.latentDim], name: 'z' });
      const y = tfl.input({ shape: [1], name: 'label' });
      const e = tfl.layers
        .flatten()
        .apply(tfl.layers.embedding({ inputDim: o.numClasses, outputDim: o.embedDim }).apply(y)) as tfl.SymbolicTensor; // [N, E]
      const h = tfl.layers.concatenate().apply([z, e]) as tfl.SymbolicTensor; // [N, Z+E]
      return tfl.model({ inputs: [z, y], outputs: dcganGenerator(h, o), name: 'G' });
    }
    if (name === 'D') {
      const x = tfl.input({ shape: this.outputShape, name: 'x' });
      const phi = dcganDiscriminatorTrunk(x, o); // [N, F]
      const logit = denseLayer(1, o.spectralNorm).apply(phi) as tfl.SymbolicTensor; // [N, 1]
      if (o.acgan) {
        const cls = denseLayer(o.numClasses, o.spectralNorm).apply(phi) as tfl.SymbolicTensor; // [N, K]
        return tfl.model({ inputs: x, outputs: [logit, cls], name: 'D' });
      }
      const y = tfl.input({ shape: [1], name: 'label' });
      const featureSize = phi.shape[1] as number;
      const ey = tfl.layers
        .flatten()
        .apply(tfl.layers.embedding({ inputDim: o.numClasses, outputDim: featureSize }).apply(y)) as tfl.SymbolicTensor; // [N, F]
      const proj = tfl.layers.dot({ axes: 1 }).apply([ey, phi]) as tfl.SymbolicTensor; // [N, 1]
      const out = tfl.layers.add().apply([logit, proj]) as tfl.SymbolicTensor; // [N, 1]
      return tfl.model({ inputs: [x, y], outputs: out, name: 'D' });
    }
    throw new Error(`cgan: no network '${name}' (it has G and D)`);
  }
}
