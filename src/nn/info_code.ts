// InfoGAN's categorical code read from the latent (Chen et al. 2016, "InfoGAN: Interpretable
// Representation Learning by Information Maximizing Generative Adversarial Nets"): c is the one-hot
// of argmax z[:K], uniform over the K categories since z's components are iid N(0, 1). G computes it
// with fixed layers (infoCodeInput), the training phases with infoCodes on the host; both agree.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

/** Softmax temperature of the code selection: ties closer than ~1e-3 are the only non-one-hot codes. */
const CODE_SHARPNESS = 1000;

/**
 * InfoGAN's code inside G: c = softmax(CODE_SHARPNESS * z[:K]), in effect one-hot(argmax z[:K]),
 * concatenated to z. Built from a fixed (non-trainable) dense layer so the model stays plain
 * tfjs-layers (it exports and loads in a browser like any DCGAN generator).
 */
export function infoCodeInput(z: tfl.SymbolicTensor, latentDim: number, k: number): tfl.SymbolicTensor {
  if (!Number.isInteger(k) || k < 2 || k > latentDim)
    throw new Error(`infoCategories must be an integer in 2..latentDim (${latentDim}), got ${k}`);
  const sel = new Float32Array(latentDim * k); // [Z, K]: picks and scales z[:K]
  for (let j = 0; j < k; j++) sel[j * k + j] = CODE_SHARPNESS;
  const code = tfl.layers
    .dense({
      units: k,
      useBias: false,
      activation: 'softmax',
      trainable: false,
      weights: [tf.tensor2d(sel, [latentDim, k])],
    })
    .apply(z) as tfl.SymbolicTensor; // [N, K]
  return tfl.layers.concatenate().apply([z, code]) as tfl.SymbolicTensor; // [N, Z+K]
}

/** The category of each latent row: argmax of its first k components (what infoCodeInput one-hot encodes). */
export function infoCodes(z: Float32Array, latentDim: number, k: number): Int32Array {
  const n = z.length / latentDim;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let j = 1; j < k; j++) if (z[i * latentDim + j]! > z[i * latentDim + best]!) best = j;
    out[i] = best;
  }
  return out;
}
