// The generator explorer: a run's exported generator (tsgan export's TF.js layers model and
// manifest.json) running in the page with TensorFlow.js, on WebGPU where the browser has it, else
// WebGL, else the cpu backend (`?backend=cpu|webgl|webgpu` in the address picks one). No server
// round trip per image: a grid of samples (seed, truncation, class), latent sliders on one sample,
// principal directions (PCA of the outputs of 256 samples, mapped back to the latent by regression,
// as GANSpace does with features), an interpolation animation, and PNG downloads that carry the
// synthetic-content metadata.
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgpu';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
// tsgan's custom layers (instance norm, reflection padding, StyleGAN's, ...), registered with the
// same tfjs-layers as above, so model.json files that name them load.
import '../../src/browser/layers';

import { getJson, h, postJson } from './api';
import { renderPrompt } from './explorer_prompt';
import { renderStylePanel, type StyleManifest } from './explorer_stylegan';
import { renderUpscaler } from './explorer_upload_sr';
import { downloadCanvas } from './png_meta';

interface Manifest {
  model: string;
  latentDim: number;
  numClasses: number;
  classNames: string[];
  valueRange: [number, number];
  resolution: number;
  channels: number;
  inputs: Array<{ name: string; shape: Array<number | null>; dtype: string; role: string }>;
  sha256: string;
}

/** A seeded standard normal stream (mulberry32 + Box-Muller), so a seed gives the same latents everywhere. */
function normals(seed: number, n: number, truncation = 0): Float32Array {
  let a = seed >>> 0;
  const u = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    for (;;) {
      const v = Math.sqrt(-2 * Math.log(u() + 1e-12)) * Math.cos(2 * Math.PI * u());
      if (truncation <= 0 || Math.abs(v) <= truncation) {
        out[i] = v;
        break;
      }
    }
  }
  return out;
}

export async function pickBackend(wanted: string | null): Promise<string> {
  const order = wanted ? [wanted] : ['webgpu', 'webgl', 'cpu'];
  for (const b of order) {
    try {
      if (await tf.setBackend(b)) {
        await tf.ready();
        return b;
      }
    } catch {
      // not available in this browser: try the next
    }
  }
  throw new Error(`no TensorFlow.js backend could start (${order.join(', ')})`);
}

export async function renderExplorer(app: HTMLElement, id: string, query: URLSearchParams): Promise<() => void> {
  const status = h('p', { class: 'msg', id: 'explorer-status' }, 'loading the generator…');
  app.replaceChildren(h('h2', {}, `Explorer: ${id}`), status);
  const base = `/api/runs/${id}/files/export`;
  let manifest: Manifest;
  try {
    manifest = await getJson<Manifest>(`${base}/manifest.json`);
  } catch {
    status.textContent = 'exporting the generator (tsgan export)…';
    const r = await postJson<{ error?: string }>(`/api/runs/${id}/export`, {});
    if (r.status !== 200) {
      status.textContent = r.body.error ?? `export failed (${r.status})`;
      status.className = 'error';
      return () => {};
    }
    manifest = await getJson<Manifest>(`${base}/manifest.json`);
  }
  if (manifest.resolution === 0) {
    status.textContent = 'This generator outputs 2-D points: watch it in the run view (2-D view).';
    return () => {};
  }
  const backend = await pickBackend(query.get('backend'));
  const model = await tfl.loadLayersModel(`${base}/model.json`);
  if (manifest.inputs.some((i) => i.role === 'image')) return renderTranslator(app, status, manifest, model, backend);
  // Super-resolution: an upload, upscaled; text-to-image: a prompt box (their own modules).
  if (manifest.inputs.some((i) => i.role === 'low-resolution image'))
    return renderUpscaler(app, status, manifest, model, backend);
  if (manifest.inputs.some((i) => i.role === 'token ids')) return renderPrompt(app, status, manifest, model, backend);
  const { latentDim: D, resolution: R, channels: C, numClasses: K } = manifest;
  const labelIdx = manifest.inputs.findIndex((i) => i.role === 'label');
  const labelSpec = manifest.inputs[labelIdx];
  const [lo, hi] = manifest.valueRange;
  status.textContent = `${manifest.model}: latent ${D}, ${R}x${R}x${C}${K ? `, ${K} classes` : ''}; TensorFlow.js ${tf.version_core} on ${backend}`;
  status.dataset.backend = backend;

  /** Runs G on latents [n*D] (and labels) -> RGBA pixels of n images. */
  const generate = async (z: Float32Array, n: number, labels: number[]): Promise<Uint8ClampedArray<ArrayBuffer>[]> => {
    const out = tf.tidy(() => {
      const zt = tf.tensor2d(z, [n, D]);
      const inputs: tf.Tensor[] = manifest.inputs.map((inp) => {
        if (inp.role === 'latent') return zt;
        const shape = inp.shape.length === 1 ? [n] : [n, 1];
        return tf.tensor(labels, shape, inp.dtype === 'int32' ? 'int32' : 'float32');
      });
      return model.predict(inputs.length === 1 ? inputs[0]! : inputs) as tf.Tensor;
    });
    const data = (await out.data()) as Float32Array;
    out.dispose();
    const per = R * R * C;
    return Array.from({ length: n }, (_, k) => {
      const px = new Uint8ClampedArray(new ArrayBuffer(R * R * 4));
      for (let i = 0; i < R * R; i++) {
        for (let c = 0; c < 3; c++) {
          const v = data[k * per + i * C + (C === 1 ? 0 : c)]!;
          px[4 * i + c] = ((v - lo) / (hi - lo)) * 255;
        }
        px[4 * i + 3] = 255;
      }
      return px;
    });
  };

  // ---- the grid ----
  const gridCanvas = h('canvas', { id: 'explorer-grid' });
  const seedIn = h('input', { type: 'number', value: '1', id: 'seed', style: 'width:6em' });
  const countSel = h('select', { id: 'count' });
  for (const n of [16, 36, 64]) countSel.append(h('option', { value: String(n) }, String(n)));
  countSel.value = query.get('n') ?? '16';
  const trunc = h('input', { type: 'range', min: '0', max: '3', step: '0.1', value: '0', id: 'truncation' });
  const truncLabel = h('span', { class: 'msg' }, 'off');
  const classSel = h('select', { id: 'class' });
  classSel.append(h('option', { value: '-1' }, 'every class in turn'));
  for (let k = 0; k < K; k++)
    classSel.append(h('option', { value: String(k) }, manifest.classNames[k] ?? `class ${k}`));
  const genTime = h('span', { class: 'msg', id: 'gen-time' });
  const labelsFor = (n: number) => {
    const c = Number(classSel.value);
    return Array.from({ length: n }, (_, i) => (c >= 0 ? c : i % Math.max(1, K)));
  };
  const drawGrid = async () => {
    const n = Number(countSel.value);
    const cols = Math.ceil(Math.sqrt(n));
    const scale = Math.max(1, Math.round(384 / (cols * R)));
    const t = Number(trunc.value);
    truncLabel.textContent = t > 0 ? `|z| ≤ ${t}` : 'off';
    const z = normals(Number(seedIn.value) || 0, n * D, t);
    const t0 = performance.now();
    const imgs = await generate(z, n, labelsFor(n));
    const ms = performance.now() - t0;
    gridCanvas.width = cols * R * scale;
    gridCanvas.height = Math.ceil(n / cols) * R * scale;
    const g = gridCanvas.getContext('2d')!;
    g.imageSmoothingEnabled = false;
    const tile = document.createElement('canvas');
    tile.width = R;
    tile.height = R;
    imgs.forEach((px, i) => {
      tile.getContext('2d')!.putImageData(new ImageData(px, R, R), 0, 0);
      g.drawImage(tile, (i % cols) * R * scale, Math.floor(i / cols) * R * scale, R * scale, R * scale);
    });
    genTime.textContent = `${n} images in ${ms.toFixed(0)} ms (${backend})`;
    genTime.dataset.ms = String(ms);
    gridCanvas.dataset.generated = String(Number(gridCanvas.dataset.generated ?? 0) + 1);
  };
  for (const e of [seedIn, countSel, trunc, classSel]) e.addEventListener('change', () => void drawGrid());
  trunc.addEventListener('input', () => void drawGrid());
  const again = h('button', { id: 'new-seed' }, 'New samples');
  again.onclick = () => {
    seedIn.value = String(Number(seedIn.value) + 1);
    void drawGrid();
  };
  const provenance = async (kind: string, seed: number) =>
    getJson<Record<string, string>>(
      `/api/provenance?model=${encodeURIComponent(manifest.model)}&sha256=${manifest.sha256}&seed=${seed}&kind=${encodeURIComponent(kind)}`,
    );
  const dlGrid = h('button', { id: 'download-grid' }, 'Download PNG');
  dlGrid.onclick = async () =>
    void downloadCanvas(
      gridCanvas,
      `${manifest.model}-seed${seedIn.value}.png`,
      await provenance('studio explorer grid', Number(seedIn.value)),
    );

  // ---- one sample: sliders, principal directions, interpolation ----
  const one = h('canvas', {
    id: 'explorer-one',
    width: String(R * Math.max(1, Math.floor(256 / R))),
    height: String(R * Math.max(1, Math.floor(256 / R))),
  });
  let z1 = normals(Number(seedIn.value) + 1000, D);
  let dirs: Float32Array[] = [];
  const dirAmounts: number[] = [];
  const drawOne = async () => {
    const z = Float32Array.from(z1);
    dirs.forEach((d, k) => {
      for (let i = 0; i < D; i++) z[i]! += d[i]! * (dirAmounts[k] ?? 0);
    });
    const [px] = await generate(z, 1, labelsFor(1));
    const tile = document.createElement('canvas');
    tile.width = R;
    tile.height = R;
    tile.getContext('2d')!.putImageData(new ImageData(px!, R, R), 0, 0);
    const g = one.getContext('2d')!;
    g.imageSmoothingEnabled = false;
    g.drawImage(tile, 0, 0, one.width, one.height);
  };
  const sliders = h('div', {});
  const buildSliders = () => {
    sliders.replaceChildren();
    for (let i = 0; i < Math.min(8, D); i++) {
      const s = h('input', { type: 'range', min: '-3', max: '3', step: '0.05', value: String(z1[i]) });
      s.oninput = () => {
        z1[i] = Number(s.value);
        void drawOne();
      };
      sliders.append(h('div', { class: 'slider' }, h('span', {}, `z[${i}]`), s, h('span', {}, '')));
    }
  };
  const dirBox = h('div', {});
  const findDirs = h('button', { id: 'find-directions' }, 'Find principal directions');
  findDirs.onclick = async () => {
    findDirs.disabled = true;
    dirs = await principalDirections(256, 5);
    dirAmounts.length = 0;
    dirBox.replaceChildren();
    dirs.forEach((_, k) => {
      dirAmounts.push(0);
      const s = h('input', { type: 'range', min: '-4', max: '4', step: '0.1', value: '0' });
      s.oninput = () => {
        dirAmounts[k] = Number(s.value);
        void drawOne();
      };
      dirBox.append(h('div', { class: 'slider' }, h('span', {}, `direction ${k + 1}`), s, h('span', {}, '')));
    });
    findDirs.disabled = false;
  };
  /** Top-k PCA directions of G's outputs (power iteration with deflation), regressed onto z. */
  const principalDirections = async (n: number, k: number): Promise<Float32Array[]> => {
    const z = normals(777, n * D);
    const res = tf.tidy(() => {
      const zt = tf.tensor2d(z, [n, D]); // [n, D]
      const inputs = manifest.inputs.map((inp) =>
        inp.role === 'latent'
          ? zt
          : tf.tensor(labelsFor(n), inp.shape.length === 1 ? [n] : [n, 1], inp.dtype === 'int32' ? 'int32' : 'float32'),
      );
      const x = tf.reshape(model.predict(inputs.length === 1 ? inputs[0]! : inputs) as tf.Tensor, [n, -1]); // [n, P]
      let xc = tf.sub(x, tf.mean(x, 0)); // [n, P]
      const out: tf.Tensor[] = [];
      for (let c = 0; c < k; c++) {
        let u = tf.randomNormal([xc.shape[1]!, 1], 0, 1, 'float32', 11 + c); // [P, 1]
        for (let it = 0; it < 25; it++) {
          u = tf.matMul(xc, tf.matMul(xc, u), true); // [P, 1]
          u = tf.div(u, tf.norm(u));
        }
        const score = tf.matMul(xc, u); // [n, 1]
        const v = tf.matMul(zt, score, true); // [D, 1]: the latent direction that moves along component c
        out.push(tf.div(v, tf.norm(v)));
        xc = tf.sub(xc, tf.matMul(score, u, false, true)); // deflate
      }
      return tf.concat(out, 1); // [D, k]
    });
    const data = (await res.data()) as Float32Array;
    res.dispose();
    return Array.from({ length: k }, (_, c) => Float32Array.from({ length: D }, (_, i) => data[i * k + c]!));
  };
  const animate = h('button', { id: 'interpolate' }, 'Interpolate to a new sample');
  let anim = 0;
  animate.onclick = () => {
    const from = Float32Array.from(z1);
    const to = normals(Math.floor(Math.random() * 1e9), D);
    const frames = 48;
    let f = 0;
    cancelAnimationFrame(anim);
    const tick = async () => {
      const t = f / frames;
      // Spherical interpolation keeps the latent's norm typical of the prior.
      const dot = from.reduce((a, v, i) => a + v * to[i]!, 0) / (Math.hypot(...from) * Math.hypot(...to));
      const om = Math.acos(Math.min(1, Math.max(-1, dot)));
      const s = Math.sin(om) || 1;
      z1 = Float32Array.from(from, (v, i) =>
        om < 1e-4 ? v + (to[i]! - v) * t : (Math.sin((1 - t) * om) / s) * v + (Math.sin(t * om) / s) * to[i]!,
      );
      await drawOne();
      if (++f <= frames) anim = requestAnimationFrame(() => void tick());
      else buildSliders();
    };
    void tick();
  };
  const dlOne = h('button', {}, 'Download PNG');
  dlOne.onclick = async () =>
    void downloadCanvas(one, `${manifest.model}-sample.png`, await provenance('studio explorer sample', 0));

  app.append(
    h(
      'div',
      { class: 'explorer' },
      h(
        'div',
        {},
        h(
          'div',
          { class: 'controls' },
          h('label', {}, 'seed'),
          seedIn,
          h('label', {}, 'images'),
          countSel,
          again,
          dlGrid,
        ),
        h(
          'div',
          { class: 'controls' },
          h('label', {}, 'truncation'),
          trunc,
          truncLabel,
          ...(K > 0 ? [h('label', {}, 'class'), classSel] : []),
        ),
        gridCanvas,
        h('div', {}, genTime),
      ),
      h(
        'div',
        { class: 'side' },
        h('h3', {}, 'one sample'),
        one,
        h('div', { class: 'controls' }, animate, dlOne),
        sliders,
        findDirs,
        dirBox,
      ),
    ),
  );
  classSel.addEventListener('change', () => void drawOne());
  buildSliders();
  await drawGrid();
  await drawOne();
  // StyleGAN2: truncation in W, style mixing and latent directions (explorer_stylegan.ts).
  const style =
    manifest.model === 'stylegan2'
      ? await renderStylePanel(app, { id, base, manifest: manifest as StyleManifest, backend, normals })
      : null;
  return () => {
    cancelAnimationFrame(anim);
    model.dispose();
    style?.();
  };
}

/** Image-to-image generators (pix2pix, CycleGAN): an uploaded image, resized to the network's side, translated in the page. */
function renderTranslator(
  app: HTMLElement,
  status: HTMLElement,
  manifest: Manifest,
  model: tfl.LayersModel,
  backend: string,
): () => void {
  const R = manifest.resolution;
  const inC = manifest.inputs.find((i) => i.role === 'image')?.shape.at(-1) ?? 3;
  const outC = manifest.channels;
  const [lo, hi] = manifest.valueRange;
  status.textContent = `${manifest.model}: translates ${R}x${R}x${inC} images to ${outC} channel(s); TensorFlow.js ${tf.version_core} on ${backend}`;
  status.dataset.backend = backend;
  const scale = Math.max(1, Math.round(256 / R));
  const input = h('canvas', { id: 'translator-input', width: String(R * scale), height: String(R * scale) });
  const output = h('canvas', { id: 'translator-output', width: String(R * scale), height: String(R * scale) });
  const upload = h('input', { type: 'file', accept: 'image/*', id: 'upload' });
  const time = h('span', { class: 'msg', id: 'gen-time' });
  const dl = h('button', { id: 'download-output' }, 'Download PNG');
  dl.disabled = true;
  upload.onchange = async () => {
    const file = upload.files?.[0];
    if (!file) return;
    const bitmap = await createImageBitmap(file);
    const small = document.createElement('canvas');
    small.width = R;
    small.height = R;
    const sg = small.getContext('2d')!;
    sg.fillStyle = '#fff'; // alpha composited on white, as tsgan translate does
    sg.fillRect(0, 0, R, R);
    sg.drawImage(bitmap, 0, 0, R, R);
    const px = sg.getImageData(0, 0, R, R).data;
    const ig = input.getContext('2d')!;
    ig.imageSmoothingEnabled = false;
    ig.drawImage(small, 0, 0, input.width, input.height);
    const x = new Float32Array(R * R * inC);
    for (let i = 0; i < R * R; i++) {
      const rgb = [px[4 * i]!, px[4 * i + 1]!, px[4 * i + 2]!];
      for (let c = 0; c < inC; c++) {
        const v = inC === 1 ? (rgb[0]! + rgb[1]! + rgb[2]!) / 3 : rgb[c]!;
        x[i * inC + c] = lo + (v / 255) * (hi - lo);
      }
    }
    const t0 = performance.now();
    const y = tf.tidy(() => model.predict(tf.tensor4d(x, [1, R, R, inC])) as tf.Tensor); // [1, R, R, outC]
    const out = (await y.data()) as Float32Array;
    y.dispose();
    time.textContent = `translated in ${(performance.now() - t0).toFixed(0)} ms (${backend})`;
    const img = new ImageData(R, R);
    for (let i = 0; i < R * R; i++) {
      for (let c = 0; c < 3; c++)
        img.data[4 * i + c] = ((out[i * outC + (outC === 1 ? 0 : c)]! - lo) / (hi - lo)) * 255;
      img.data[4 * i + 3] = 255;
    }
    small.getContext('2d')!.putImageData(img, 0, 0);
    const og = output.getContext('2d')!;
    og.imageSmoothingEnabled = false;
    og.drawImage(small, 0, 0, output.width, output.height);
    output.dataset.generated = String(Number(output.dataset.generated ?? 0) + 1);
    dl.disabled = false;
  };
  dl.onclick = async () => {
    const text = await getJson<Record<string, string>>(
      `/api/provenance?model=${encodeURIComponent(manifest.model)}&sha256=${manifest.sha256}&kind=${encodeURIComponent('studio translation')}`,
    );
    await downloadCanvas(output, `${manifest.model}-translated.png`, text);
  };
  app.append(
    h('div', { class: 'controls' }, h('label', {}, 'image'), upload, dl, time),
    h(
      'div',
      { class: 'explorer' },
      h('div', {}, h('h3', {}, 'input'), input),
      h('div', {}, h('h3', {}, 'output (synthetic)'), output),
    ),
  );
  return () => model.dispose();
}
