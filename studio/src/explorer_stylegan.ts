// The explorer's StyleGAN2 panel (Karras et al. 2020): the export's mapping (z -> w) and synthesis
// (ws [N, numWs, wDim] -> image) models run in the page. Truncation psi pulls w towards the
// manifest's w_avg; style mixing draws A with one layer range (coarse, middle or fine, from the
// manifest) taken from B; the latent directions of the run's directions file (`tsgan directions
// RUN -o RUN/directions`: GANSpace and SeFa, in std units) each get a slider that moves the ws of
// all three images. Without a directions file the panel says how to make one.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import { getJson, h, postJson } from './api';
import { downloadCanvas } from './png_meta';

type Range = [number, number];

/** The manifest's stylegan entry (src/export/manifest.ts). */
export interface StyleSpec {
  mapping: string;
  synthesis: string;
  numWs: number;
  wDim: number;
  wAvg: number[];
  layerResolutions: number[];
  layers: { coarse: Range; middle: Range; fine: Range };
}

export interface StyleManifest {
  model: string;
  sha256: string;
  latentDim: number;
  numClasses: number;
  classNames: string[];
  valueRange: [number, number];
  resolution: number;
  channels: number;
  stylegan?: StyleSpec;
}

interface Direction {
  name: string;
  method: string;
  vector: number[];
  std: number;
}

export interface StylePanelContext {
  /** The run's id in the studio. */
  id: string;
  /** URL of the run's export folder. */
  base: string;
  manifest: StyleManifest;
  backend: string;
  /** The explorer's seeded normals (the latents of a seed). */
  normals: (seed: number, n: number) => Float32Array;
}

/** Places where `tsgan directions` may have written its file inside the run folder. */
const DIRECTION_FILES = ['directions/directions.json', 'directions.json'];

async function loadDirections(id: string, wDim: number): Promise<Direction[] | null> {
  for (const f of DIRECTION_FILES) {
    try {
      const file = await getJson<{ format?: string; wDim?: number; directions?: Direction[] }>(
        `/api/runs/${id}/files/${f}`,
      );
      if (file.format === 'tsgan-directions' && file.wDim === wDim && Array.isArray(file.directions))
        return file.directions;
    } catch {
      // not there: try the next place
    }
  }
  return null;
}

/** Appends the StyleGAN2 panel to `app`; returns its cleanup. */
export async function renderStylePanel(app: HTMLElement, ctx: StylePanelContext): Promise<() => void> {
  const panel = h('section', { class: 'stylegan-panel', id: 'stylegan' }, h('h3', {}, 'StyleGAN2: W space'));
  const note = h('p', { class: 'msg', id: 'sg-status' }, 'loading the mapping and synthesis networks…');
  panel.append(note);
  app.append(panel);
  let m = ctx.manifest;
  if (!m.stylegan) {
    // An export written before the mapping and synthesis were exported: export again.
    note.textContent = 're-exporting the generator with its mapping and synthesis networks…';
    const r = await postJson<{ error?: string; manifest?: StyleManifest }>(`/api/runs/${ctx.id}/export`, {});
    if (r.status !== 200 || !r.body.manifest?.stylegan) {
      note.textContent = r.body.error ?? `export failed (${r.status})`;
      note.className = 'error';
      return () => {};
    }
    m = r.body.manifest;
  }
  const sg = m.stylegan!;
  const [mapping, synthesis] = await Promise.all([
    tfl.loadLayersModel(`${ctx.base}/${sg.mapping}`),
    tfl.loadLayersModel(`${ctx.base}/${sg.synthesis}`),
  ]);
  const { latentDim: D, resolution: R, channels: C, numClasses: K } = m;
  const [lo, hi] = m.valueRange;
  const directions = (await loadDirections(ctx.id, sg.wDim)) ?? [];
  const amounts = directions.map(() => 0);

  // ---- controls ----
  const seedA = h('input', { type: 'number', value: '1', id: 'sg-seed-a', style: 'width:6em' });
  const seedB = h('input', { type: 'number', value: '2', id: 'sg-seed-b', style: 'width:6em' });
  const psi = h('input', { type: 'range', min: '0', max: '1.5', step: '0.05', value: '1', id: 'sg-psi' });
  const psiLabel = h('span', { class: 'msg' }, '1.00');
  const mix = h('select', { id: 'sg-mix' });
  mix.append(h('option', { value: 'none' }, 'nothing (A as is)'));
  for (const k of ['coarse', 'middle', 'fine'] as const) {
    const [a, b] = sg.layers[k];
    const sides = `${sg.layerResolutions[a]}-${sg.layerResolutions[b]} px`;
    mix.append(h('option', { value: k }, `${k} styles (layers ${a}-${b}, ${sides})`));
  }
  mix.value = 'coarse';
  const cls = h('select', { id: 'sg-class' });
  for (let k = 0; k < K; k++) cls.append(h('option', { value: String(k) }, m.classNames[k] ?? `class ${k}`));
  const time = h('span', { class: 'msg', id: 'sg-time' });
  const scale = Math.max(1, Math.floor(160 / R));
  const canvas = (id: string) => h('canvas', { id, width: String(R * scale), height: String(R * scale) });
  const canvases = [canvas('sg-a'), canvas('sg-b'), canvas('sg-mixed')];
  const [, , mixed] = canvases as [HTMLCanvasElement, HTMLCanvasElement, HTMLCanvasElement];

  /** ws [3, numWs, wDim] of A, B and the mix: mapped, truncated, moved along the directions. */
  const styles = (): tf.Tensor3D =>
    tf.tidy(() => {
      const z = new Float32Array(2 * D);
      z.set(ctx.normals(Number(seedA.value) || 0, D), 0);
      z.set(ctx.normals(Number(seedB.value) || 0, D), D);
      const zt = tf.tensor2d(z, [2, D]); // [2, D]
      const inputs = K > 0 ? [zt, tf.fill([2, 1], Number(cls.value) || 0)] : zt;
      const avg = tf.tensor2d(sg.wAvg, [1, sg.wDim]);
      let w = tf.add(avg, tf.mul(tf.sub(mapping.predict(inputs) as tf.Tensor2D, avg), Number(psi.value))); // [2, wDim]
      directions.forEach((d, k) => {
        if (amounts[k]) w = tf.add(w, tf.mul(tf.tensor2d(d.vector, [1, sg.wDim]), amounts[k]! * d.std));
      });
      const wA = tf.tile(tf.expandDims(tf.slice(w, [0, 0], [1, -1]), 1), [1, sg.numWs, 1]); // [1, numWs, wDim]
      const wB = tf.tile(tf.expandDims(tf.slice(w, [1, 0], [1, -1]), 1), [1, sg.numWs, 1]);
      const r = mix.value === 'none' ? null : sg.layers[mix.value as 'coarse' | 'middle' | 'fine'];
      const mask = tf.tensor3d(
        Array.from({ length: sg.numWs }, (_, l) => (r && l >= r[0] && l <= r[1] ? 1 : 0)),
        [1, sg.numWs, 1],
      );
      return tf.concat([wA, wB, tf.add(wA, tf.mul(tf.sub(wB, wA), mask))], 0) as tf.Tensor3D; // [3, numWs, wDim]
    });

  let drawing: Promise<void> | null = null;
  let again = false;
  const draw = async () => {
    psiLabel.textContent = Number(psi.value).toFixed(2);
    const t0 = performance.now();
    const out = tf.tidy(() => synthesis.predict(styles()) as tf.Tensor4D); // [3, R, R, C]
    const data = (await out.data()) as Float32Array;
    out.dispose();
    const ms = performance.now() - t0;
    const tile = document.createElement('canvas');
    tile.width = R;
    tile.height = R;
    const per = R * R * C;
    canvases.forEach((cv, k) => {
      const img = new ImageData(R, R);
      for (let i = 0; i < R * R; i++) {
        for (let c = 0; c < 3; c++)
          img.data[4 * i + c] = ((data[k * per + i * C + (C === 1 ? 0 : c)]! - lo) / (hi - lo)) * 255;
        img.data[4 * i + 3] = 255;
      }
      tile.getContext('2d')!.putImageData(img, 0, 0);
      const g = cv.getContext('2d')!;
      g.imageSmoothingEnabled = false;
      g.drawImage(tile, 0, 0, cv.width, cv.height);
    });
    time.textContent = `3 images in ${ms.toFixed(0)} ms (${ctx.backend})`;
    mixed.dataset.generated = String(Number(mixed.dataset.generated ?? 0) + 1);
  };
  /** Draws now, or once more after the draw in flight (slider drags do not queue up). */
  const redraw = () => {
    if (drawing) {
      again = true;
      return;
    }
    drawing = draw()
      .catch((e: unknown) => {
        note.textContent = `could not draw: ${(e as Error).message}`;
        note.className = 'error';
      })
      .finally(() => {
        drawing = null;
        if (again) {
          again = false;
          redraw();
        }
      });
  };
  for (const e of [seedA, seedB, mix, cls]) e.addEventListener('change', redraw);
  psi.addEventListener('input', redraw);

  // ---- directions ----
  const dirBox = h('div', { id: 'sg-directions' });
  if (directions.length) {
    dirBox.append(
      h('p', { class: 'msg' }, `${directions.length} directions from the run's directions file (std units)`),
    );
    directions.forEach((d, k) => {
      const s = h('input', { type: 'range', min: '-3', max: '3', step: '0.1', value: '0', class: 'sg-dir' });
      const v = h('span', {}, '0');
      s.oninput = () => {
        amounts[k] = Number(s.value);
        v.textContent = s.value;
        redraw();
      };
      dirBox.append(h('div', { class: 'slider' }, h('span', {}, d.name), s, v));
    });
  } else {
    const summary = await getJson<{ summary?: { path?: string } }>(`/api/runs/${ctx.id}`).catch(() => null);
    const run = summary?.summary?.path ?? 'RUN';
    dirBox.append(
      h(
        'p',
        { class: 'msg', id: 'sg-directions-help' },
        'This run has no directions file. Make one (GANSpace and SeFa directions in W) with ',
        h('code', {}, `tsgan directions ${run} -o ${run}/directions`),
        ', then reload this page: each direction gets a slider here.',
      ),
    );
  }
  const dl = h('button', { id: 'sg-download' }, 'Download PNG');
  dl.onclick = async () => {
    const kind = `studio explorer style mix: ${mix.value} styles of seed ${seedB.value} on seed ${seedA.value}, psi ${psi.value}`;
    const text = await getJson<Record<string, string>>(
      `/api/provenance?model=${encodeURIComponent(m.model)}&sha256=${m.sha256}&seed=${Number(seedA.value) || 0}&kind=${encodeURIComponent(kind)}`,
    );
    await downloadCanvas(mixed, `${m.model}-mix-${seedA.value}-${seedB.value}.png`, text);
  };

  const mixCaption = () => (mix.value === 'none' ? 'A (nothing mixed)' : `A with B's ${mix.value} styles`);
  mix.addEventListener('change', () => {
    mixed.nextElementSibling!.textContent = mixCaption();
  });
  const fig = (cv: HTMLCanvasElement, caption: string) =>
    h('figure', { style: 'display:inline-block;margin:0 1em 0 0' }, cv, h('figcaption', { class: 'msg' }, caption));
  note.textContent = `w ${sg.wDim}-d, ${sg.numWs} layers (sides ${sg.layerResolutions.join(', ')}); ψ pulls w towards w_avg`;
  panel.append(
    h(
      'div',
      { class: 'controls' },
      h('label', {}, 'seed A'),
      seedA,
      h('label', {}, 'seed B'),
      seedB,
      h('label', {}, 'truncation ψ'),
      psi,
      psiLabel,
      h('label', {}, 'from B'),
      mix,
      ...(K > 0 ? [h('label', {}, 'class'), cls] : []),
      dl,
    ),
    h(
      'div',
      { class: 'explorer' },
      h('div', {}, fig(canvases[0]!, 'A'), fig(canvases[1]!, 'B'), fig(mixed, mixCaption()), h('div', {}, time)),
      h('div', { class: 'side' }, h('h3', {}, 'latent directions'), dirBox),
    ),
  );
  redraw();
  return () => {
    mapping.dispose();
    synthesis.dispose();
  };
}
