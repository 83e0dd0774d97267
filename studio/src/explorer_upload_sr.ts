// The explorer for a super-resolution generator (srgan export: manifest input 'low-resolution image'
// and its scale): upload an image, the page upscales it with TensorFlow.js (no server round trip)
// and shows the input enlarged by pixel replication beside the network's output; as `tsgan upscale`
// does, alpha is composited on white and values mapped to [-1, 1]. The whole image is one forward
// pass, so images larger than SR_PAGE_MAX_SIDE on a side get a sentence (tsgan upscale tiles any
// size). The output downloads as a PNG carrying the synthetic-content metadata.
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';

import { SR_PAGE_MAX_SIDE } from '../../src/export/web_sr';
import { getJson, h } from './api';
import { downloadCanvas } from './png_meta';

/** What this view reads of an export's manifest.json. */
export interface SrManifest {
  model: string;
  scale?: number;
  channels: number;
  valueRange: [number, number];
  inputs: Array<{ shape: Array<number | null>; role: string }>;
  sha256: string;
}

/** Renders the upload view under `status`; returns its cleanup. */
export function renderUpscaler(
  app: HTMLElement,
  status: HTMLElement,
  manifest: SrManifest,
  model: tfl.LayersModel,
  backend: string,
): () => void {
  const s = manifest.scale ?? 1;
  const inC = manifest.inputs.find((i) => i.role === 'low-resolution image')?.shape.at(-1) ?? 3;
  const outC = manifest.channels;
  const [lo, hi] = manifest.valueRange;
  status.textContent = `${manifest.model}: upscales images x${s} (up to ${SR_PAGE_MAX_SIDE}x${SR_PAGE_MAX_SIDE} pixels here; tsgan upscale takes any size); TensorFlow.js ${tf.version_core} on ${backend}`;
  status.dataset.backend = backend;
  const input = h('canvas', { id: 'sr-input', width: String(64 * s), height: String(64 * s) });
  const output = h('canvas', { id: 'sr-output', width: String(64 * s), height: String(64 * s) });
  const upload = h('input', { type: 'file', accept: 'image/*', id: 'sr-upload' });
  const msg = h('span', { class: 'msg', id: 'sr-message' }, 'choose an image');
  const dl = h('button', { id: 'sr-download' }, 'Download PNG');
  dl.disabled = true;
  upload.onchange = async () => {
    const file = upload.files?.[0];
    if (!file) return;
    let bitmap: ImageBitmap;
    try {
      bitmap = await createImageBitmap(file);
    } catch {
      msg.textContent = `could not read ${file.name} as an image`;
      msg.className = 'error';
      return;
    }
    const { width: w, height: ht } = bitmap;
    if (w > SR_PAGE_MAX_SIDE || ht > SR_PAGE_MAX_SIDE) {
      msg.textContent = `this image is ${w}x${ht} pixels; the explorer upscales images of at most ${SR_PAGE_MAX_SIDE}x${SR_PAGE_MAX_SIDE} (tsgan upscale tiles larger ones)`;
      msg.className = 'error';
      return;
    }
    const small = document.createElement('canvas');
    small.width = w;
    small.height = ht;
    const sg = small.getContext('2d')!;
    sg.fillStyle = '#fff'; // alpha composited on white, as tsgan upscale does
    sg.fillRect(0, 0, w, ht);
    sg.drawImage(bitmap, 0, 0);
    const px = sg.getImageData(0, 0, w, ht).data;
    input.width = w * s;
    input.height = ht * s;
    const ig = input.getContext('2d')!;
    ig.imageSmoothingEnabled = false;
    ig.drawImage(small, 0, 0, w * s, ht * s);
    const x = new Float32Array(w * ht * inC); // [h, w, inC] in [lo, hi]
    for (let i = 0; i < w * ht; i++) {
      const rgb = [px[4 * i]!, px[4 * i + 1]!, px[4 * i + 2]!];
      for (let c = 0; c < inC; c++) {
        const v = inC === 1 ? 0.299 * rgb[0]! + 0.587 * rgb[1]! + 0.114 * rgb[2]! : rgb[c]!;
        x[i * inC + c] = lo + (v / 255) * (hi - lo);
      }
    }
    msg.textContent = 'upscaling…';
    msg.className = 'msg';
    const t0 = performance.now();
    const y = tf.tidy(() => model.predict(tf.tensor4d(x, [1, ht, w, inC])) as tf.Tensor); // [1, h*s, w*s, outC]
    const out = (await y.data()) as Float32Array;
    y.dispose();
    const W = w * s;
    const H = ht * s;
    const img = new ImageData(W, H);
    for (let i = 0; i < W * H; i++) {
      for (let c = 0; c < 3; c++)
        img.data[4 * i + c] = ((out[i * outC + (outC === 1 ? 0 : c)]! - lo) / (hi - lo)) * 255;
      img.data[4 * i + 3] = 255;
    }
    output.width = W;
    output.height = H;
    output.getContext('2d')!.putImageData(img, 0, 0);
    output.dataset.generated = String(Number(output.dataset.generated ?? 0) + 1);
    msg.textContent = `${w}x${ht} -> ${W}x${H} in ${(performance.now() - t0).toFixed(0)} ms (${backend})`;
    dl.disabled = false;
  };
  dl.onclick = async () => {
    const text = await getJson<Record<string, string>>(
      `/api/provenance?model=${encodeURIComponent(manifest.model)}&sha256=${manifest.sha256}&kind=${encodeURIComponent(`studio super-resolution x${s}`)}`,
    );
    await downloadCanvas(output, `${manifest.model}-x${s}.png`, text);
  };
  app.append(
    h('div', { class: 'controls' }, h('label', {}, 'image'), upload, dl, msg),
    h(
      'div',
      { class: 'explorer' },
      h('div', {}, h('h3', {}, `input (enlarged x${s} by pixel replication)`), input),
      h('div', {}, h('h3', {}, `upscaled x${s} (synthetic)`), output),
    ),
  );
  return () => model.dispose();
}
