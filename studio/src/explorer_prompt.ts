// The explorer for a text-to-image generator (text2image export: the text encoder joined to the
// generator; manifest inputs 'latent' and 'token ids', the tokenizer in `text`): a prompt box. The
// prompt is tokenized in the page by tsgan's own tokenizer (src/text/tokenizer.ts), so an empty
// prompt, a prompt of only unknown words and one longer than the encoder reads get the sentences
// `tsgan generate` prints, and unknown words among known ones are left out with a "did you mean".
// Image i of the row uses the latent of seed + i (src/train/rng.ts, as tsgan generate --seed), and
// everything runs in the page with TensorFlow.js. The row downloads as a labelled PNG.
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';

import { Tokenizer } from '../../src/text/tokenizer';
import { Rng } from '../../src/train/rng';
import { getJson, h } from './api';
import { downloadCanvas } from './png_meta';

/** What this view reads of an export's manifest.json. */
export interface PromptManifest {
  model: string;
  latentDim: number;
  resolution: number;
  channels: number;
  valueRange: [number, number];
  inputs: Array<{ role: string }>;
  sha256: string;
  text?: { vocab: string[]; maxLen: number };
}

/** Renders the prompt view under `status`; returns its cleanup. */
export function renderPrompt(
  app: HTMLElement,
  status: HTMLElement,
  manifest: PromptManifest,
  model: tfl.LayersModel,
  backend: string,
): () => void {
  const { latentDim: D, resolution: R, channels: C } = manifest;
  const [lo, hi] = manifest.valueRange;
  if (!manifest.text) {
    status.textContent = 'this export has no tokenizer in its manifest: export the run again with this tsgan';
    status.className = 'error';
    return () => model.dispose();
  }
  const tokenizer = new Tokenizer({ vocab: manifest.text.vocab, maxLen: manifest.text.maxLen });
  const latentIdx = manifest.inputs.findIndex((i) => i.role === 'latent');
  const idsIdx = manifest.inputs.findIndex((i) => i.role === 'token ids');
  status.textContent = `${manifest.model}: ${R}x${R}x${C} images from prompts of up to ${tokenizer.maxLen} words (${tokenizer.size - 2} known); TensorFlow.js ${tf.version_core} on ${backend}`;
  status.dataset.backend = backend;
  const prompt = h('input', { id: 'prompt', placeholder: 'a large blue square', style: 'width:22em' });
  const count = h('input', { type: 'number', id: 'prompt-n', value: '8', min: '1', max: '32', style: 'width:4em' });
  const seedIn = h('input', { type: 'number', id: 'prompt-seed', value: '0', style: 'width:5em' });
  const go = h('button', { id: 'prompt-go' }, 'Generate');
  const msg = h('p', { class: 'msg', id: 'prompt-message' }, `e.g. ${tokenizer.vocab.slice(2, 10).join(', ')}`);
  const grid = h('canvas', { id: 'prompt-grid', width: String(8 * R), height: String(R) });
  const dl = h('button', { id: 'prompt-download' }, 'Download PNG');
  dl.disabled = true;
  const draw = async () => {
    let ids: Int32Array;
    const warnings: string[] = [];
    try {
      const e = tokenizer.encode(prompt.value);
      ids = e.ids;
      for (const u of e.unknown)
        warnings.push(`'${u.word}' is not a word this model knows (left out); did you mean '${u.closest}'?`);
    } catch (err) {
      msg.textContent = (err as Error).message;
      msg.className = 'error';
      return;
    }
    const n = Math.max(1, Math.min(32, Math.floor(Number(count.value)) || 8));
    const seed = Math.floor(Number(seedIn.value)) || 0;
    const zs = new Float32Array(n * D);
    for (let i = 0; i < n; i++) zs.set(new Rng(seed + i).normals(D, 0), i * D);
    const idRows = new Int32Array(n * tokenizer.maxLen);
    for (let i = 0; i < n; i++) idRows.set(ids, i * tokenizer.maxLen);
    const t0 = performance.now();
    const y = tf.tidy(() => {
      const inputs: tf.Tensor[] = [];
      inputs[latentIdx] = tf.tensor2d(zs, [n, D]);
      inputs[idsIdx] = tf.tensor2d(idRows, [n, tokenizer.maxLen], 'int32');
      return model.predict(inputs) as tf.Tensor; // [n, R, R, C]
    });
    const out = (await y.data()) as Float32Array;
    y.dispose();
    const scale = Math.max(1, Math.floor(96 / R));
    const tile = document.createElement('canvas');
    tile.width = R;
    tile.height = R;
    grid.width = n * R * scale;
    grid.height = R * scale;
    const g = grid.getContext('2d')!;
    g.imageSmoothingEnabled = false;
    for (let k = 0; k < n; k++) {
      const img = new ImageData(R, R);
      for (let i = 0; i < R * R; i++) {
        for (let c = 0; c < 3; c++)
          img.data[4 * i + c] = ((out[(k * R * R + i) * C + (C === 1 ? 0 : c)]! - lo) / (hi - lo)) * 255;
        img.data[4 * i + 3] = 255;
      }
      tile.getContext('2d')!.putImageData(img, 0, 0);
      g.drawImage(tile, k * R * scale, 0, R * scale, R * scale);
    }
    grid.dataset.generated = String(Number(grid.dataset.generated ?? 0) + 1);
    grid.dataset.scale = String(scale);
    const words = Array.from(ids).filter((v) => v > 1);
    msg.textContent = `${n} images of "${tokenizer.decode(words)}" in ${(performance.now() - t0).toFixed(0)} ms (${backend})${warnings.length ? `. ${warnings.join(' ')}` : ''}`;
    msg.className = 'msg';
    dl.disabled = false;
  };
  go.onclick = () => void draw();
  prompt.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') void draw();
  });
  dl.onclick = async () => {
    const text = await getJson<Record<string, string>>(
      `/api/provenance?model=${encodeURIComponent(manifest.model)}&sha256=${manifest.sha256}&seed=${Math.floor(Number(seedIn.value)) || 0}&kind=${encodeURIComponent(`studio images from the prompt: ${prompt.value.slice(0, 60)}`)}`,
    );
    await downloadCanvas(grid, `${manifest.model}-prompt.png`, text);
  };
  app.append(
    h(
      'div',
      { class: 'controls' },
      h('label', {}, 'prompt'),
      prompt,
      h('label', {}, 'images'),
      count,
      h('label', {}, 'seed'),
      seedIn,
      go,
      dl,
    ),
    msg,
    grid,
  );
  return () => model.dispose();
}
