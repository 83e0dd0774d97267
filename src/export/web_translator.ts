// The web page of an exported image-to-image generator (pix2pix, CycleGAN): choose an image, the page
// translates it in the browser with TensorFlow.js (no server round trip) and shows input and output
// side by side, with the notice that the output is synthetic. Like translate in Node: alpha is
// composited on white, colour or grey converted to the channels the network takes, the sides padded
// (mirrored) to the network's multiple and the output cropped back; large images are scaled down to
// at most MAX_SIDE pixels first, so the browser's cpu backend finishes in seconds.
import type { GeneratorManifest } from './manifest.js';
import { escapeHtml, loadLayersModelScript, pageHead, pageStartup, SCRIPTS_MISSING, uploadScript } from './web_page.js';

/** The page scales larger images down to this side first. */
export const MAX_SIDE = 256;

/** index.html for a manifest whose input is an image. */
export function webTranslatorHtml(m: GeneratorManifest, scripts: string[]): string {
  const input = m.inputs.find((i) => i.role === 'image');
  if (!input) throw new Error(`web page: '${m.model}' does not take an image`);
  const config = JSON.stringify({
    inChannels: input.shape[input.shape.length - 1] ?? 3,
    outChannels: m.channels,
    multiple: m.sizeMultiple ?? 1,
    valueRange: m.valueRange,
    maxSide: MAX_SIDE,
    direction: m.extra?.direction ?? 'AtoB',
  });
  const title = `${escapeHtml(m.model)}: image-to-image translation (tsgan)`;
  return `${pageHead({
    title,
    description: 'Synthetic images made by a GAN that translates images',
    scripts,
    css: `canvas { image-rendering: pixelated; border: 1px solid #ccc; min-width: 128px; min-height: 128px; }
figure { display: inline-block; margin: 0 1em 1em 0; vertical-align: top; }
`,
  })}
<body>
<h1>${title}</h1>
<p class="notice">The output image is <strong>synthetic</strong>: made by a GAN (${escapeHtml(m.model)},
weights sha256 <code>${m.sha256.slice(0, 16)}…</code>) from the image you choose, not a photograph of anything real.</p>
<p><label>Image <input type="file" id="file" accept="image/*" disabled></label> <span id="status">loading model…</span></p>
<p id="help" hidden>Browsers do not let a page opened as a file read the model next to it (CORS).
Serve this folder over HTTP and open the address printed: <code>tsgan serve FOLDER</code>.</p>
<figure><canvas id="input"></canvas><figcaption>input</figcaption></figure>
<figure><canvas id="output"></canvas><figcaption>output (synthetic)</figcaption></figure>
<script>
const cfg = ${config};
let model = null;
const status = document.getElementById('status');
const fileInput = document.getElementById('file');
// [1, H, W, Cin] in [-1, 1] from a canvas: alpha on white, grey or colour as the network takes.
function toInput(canvas) {
  return tf.tidy(() => {
    const rgba = tf.cast(tf.browser.fromPixels(canvas, 4), 'float32');          // [H, W, 4]
    const a = tf.div(tf.slice(rgba, [0, 0, 3], [-1, -1, 1]), 255);
    const rgb = tf.add(tf.mul(tf.slice(rgba, [0, 0, 0], [-1, -1, 3]), a), tf.mul(tf.sub(1, a), 255)); // on white
    let x = cfg.inChannels === 1 ? tf.sum(tf.mul(rgb, tf.tensor1d([0.299, 0.587, 0.114])), -1, true) : rgb;
    return tf.expandDims(tf.sub(tf.div(x, 127.5), 1), 0);
  });
}
async function translate(img) {
  const scale = Math.min(1, cfg.maxSide / Math.max(img.width, img.height));
  const w = Math.max(1, Math.round(img.width * scale)), h = Math.max(1, Math.round(img.height * scale));
  const inCanvas = document.getElementById('input');
  inCanvas.width = w; inCanvas.height = h;
  const ctx = inCanvas.getContext('2d');
  ctx.clearRect(0, 0, w, h);
  ctx.drawImage(img, 0, 0, w, h);
  const [lo, hi] = cfg.valueRange;
  const out = tf.tidy(() => {
    const x = toInput(inCanvas);                                                // [1, h, w, Cin]
    const ph = Math.ceil(h / cfg.multiple) * cfg.multiple - h, pw = Math.ceil(w / cfg.multiple) * cfg.multiple - w;
    const pads = [[0, 0], [Math.floor(ph / 2), ph - Math.floor(ph / 2)], [Math.floor(pw / 2), pw - Math.floor(pw / 2)], [0, 0]];
    const fits = pads[1][1] <= h && pads[2][1] <= w;
    const padded = ph + pw === 0 ? x : fits ? tf.mirrorPad(x, pads, 'symmetric') : tf.pad(x, pads, tf.mean(x).dataSync()[0]);
    let y = model.predict(padded);                                              // [1, H', W', Cout]
    y = tf.slice(y, [0, pads[1][0], pads[2][0], 0], [1, h, w, cfg.outChannels]);
    y = tf.clipByValue(tf.div(tf.sub(y, lo), hi - lo), 0, 1);
    if (cfg.outChannels === 1) y = tf.tile(y, [1, 1, 1, 3]);
    return tf.squeeze(y, [0]);
  });
  await tf.browser.toPixels(out, document.getElementById('output'));
  out.dispose();
}
${uploadScript({ run: 'translate', busy: 'translating…', failure: 'could not translate this file' })}
${pageStartup({
  missing: SCRIPTS_MISSING,
  load: loadLayersModelScript({ onLoad: 'fileInput.disabled = false;', ready: 'choose an image' }),
})}
</script>
</body>
</html>
`;
}
