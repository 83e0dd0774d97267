// The web page of an exported super-resolution generator (srgan: SRResNet, SRGAN, ESRGAN): choose an
// image, the page upscales it in the browser with TensorFlow.js (no server round trip) and shows the
// input (enlarged by pixel replication) beside the network's output, with the notice that the output
// is synthetic. As `tsgan upscale` does in Node: alpha is composited on white, colour or grey converted
// to the channels the network takes, values mapped to [-1, 1]; the output is clipped to the value
// range. The page runs the whole image at once (no tiling), so it takes images of at most MAX_SIDE
// pixels on a side and says so for larger ones (tsgan upscale tiles any size).
import type { GeneratorManifest } from './manifest.js';
import { escapeHtml, loadLayersModelScript, pageHead, pageStartup, SCRIPTS_MISSING, uploadScript } from './web_page.js';

/** The largest input side the page upscales (the output is scale times larger). */
export const SR_PAGE_MAX_SIDE = 128;

/** index.html for a manifest whose input is a low-resolution image. */
export function webSrHtml(m: GeneratorManifest, scripts: string[]): string {
  const input = m.inputs.find((i) => i.role === 'low-resolution image');
  if (!input || !m.scale) throw new Error(`web page: '${m.model}' does not upscale images`);
  const config = JSON.stringify({
    inChannels: input.shape[input.shape.length - 1] ?? 3,
    outChannels: m.channels,
    scale: m.scale,
    valueRange: m.valueRange,
    maxSide: SR_PAGE_MAX_SIDE,
  });
  const title = `${escapeHtml(m.model)}: super-resolution x${m.scale} (tsgan)`;
  return `${pageHead({
    title,
    description: 'Synthetic detail added by a GAN that upscales images',
    scripts,
    css: `canvas { image-rendering: pixelated; border: 1px solid #ccc; min-width: 128px; min-height: 128px; }
figure { display: inline-block; margin: 0 1em 1em 0; vertical-align: top; }
`,
  })}
<body>
<h1>${title}</h1>
<p class="notice">The upscaled image is <strong>synthetic</strong>: its detail is made up by a GAN (${escapeHtml(m.model)},
weights sha256 <code>${m.sha256.slice(0, 16)}…</code>) from the image you choose, not recorded by a camera.</p>
<p><label>Image <input type="file" id="file" accept="image/*" disabled></label> <span id="status">loading model…</span></p>
<p>Images of at most ${SR_PAGE_MAX_SIDE}x${SR_PAGE_MAX_SIDE} pixels (the page upscales the whole image at once);
<code>tsgan upscale FOLDER IMAGE... -o OUT</code> upscales any size, tile by tile.</p>
<p id="help" hidden>Browsers do not let a page opened as a file read the model next to it (CORS).
Serve this folder over HTTP and open the address printed: <code>tsgan serve FOLDER</code>.</p>
<figure><canvas id="input"></canvas><figcaption>input, enlarged x${m.scale} by pixel replication</figcaption></figure>
<figure><canvas id="output"></canvas><figcaption>upscaled x${m.scale} (synthetic)</figcaption></figure>
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
    const x = cfg.inChannels === 1 ? tf.sum(tf.mul(rgb, tf.tensor1d([0.299, 0.587, 0.114])), -1, true) : rgb;
    return tf.expandDims(tf.sub(tf.div(x, 127.5), 1), 0);
  });
}
async function upscale(img) {
  const w = img.width, h = img.height, s = cfg.scale;
  const small = document.createElement('canvas');
  small.width = w; small.height = h;
  small.getContext('2d').drawImage(img, 0, 0);
  const inCanvas = document.getElementById('input');
  inCanvas.width = w * s; inCanvas.height = h * s;
  const ictx = inCanvas.getContext('2d');
  ictx.imageSmoothingEnabled = false;
  ictx.drawImage(small, 0, 0, w * s, h * s);
  const [lo, hi] = cfg.valueRange;
  const out = tf.tidy(() => {
    let y = model.predict(toInput(small));                                    // [1, h*s, w*s, Cout]
    y = tf.clipByValue(tf.div(tf.sub(y, lo), hi - lo), 0, 1);
    if (cfg.outChannels === 1) y = tf.tile(y, [1, 1, 1, 3]);
    return tf.squeeze(y, [0]);
  });
  const outCanvas = document.getElementById('output');
  await tf.browser.toPixels(out, outCanvas);
  out.dispose();
  // Both shown at least 256 CSS pixels across (whole multiples, pixelated), side by side at one size.
  const k = Math.max(1, Math.floor(256 / Math.max(w * s, h * s)));
  for (const c of [inCanvas, outCanvas]) { c.style.width = w * s * k + 'px'; c.style.height = h * s * k + 'px'; }
}
${uploadScript({
  run: 'upscale',
  busy: 'upscaling…',
  failure: 'could not upscale this file',
  check: `  if (img.width > cfg.maxSide || img.height > cfg.maxSide) {
    status.textContent = 'this image is ' + img.width + 'x' + img.height + ' pixels; the page upscales images of at most ' +
      cfg.maxSide + 'x' + cfg.maxSide + ' (use tsgan upscale for larger ones)';
    return;
  }
`,
})}
${pageStartup({
  missing: SCRIPTS_MISSING,
  load: loadLayersModelScript({ onLoad: 'fileInput.disabled = false;', ready: 'choose an image' }),
})}
</script>
</body>
</html>
`;
}
