// The web page of an exported text-to-image generator: a prompt box; the page tokenizes the prompt
// with tsgan's own tokenizer (src/text/tokenizer.ts, bundled in tsgan-layers.js as tsgan.Tokenizer,
// with the manifest's vocabulary and maxLen), so an empty prompt, a prompt of only unknown words and
// a prompt longer than the encoder reads get the sentences `tsgan generate` prints, and unknown
// words among known ones are left out with the same "did you mean" warning. It draws n images of the
// prompt in the browser with TensorFlow.js, image i from the latent of seed + i (tsgan.Rng, as
// `tsgan generate --seed` does), so the page's images are Node's. The page states that they are synthetic.
import type { GeneratorManifest } from './manifest.js';
import { escapeHtml, pageHead, pageStartup } from './web_page.js';

/** index.html for a manifest whose inputs are a latent and token ids (with the tokenizer in `text`). */
export function webText2ImageHtml(m: GeneratorManifest, scripts: string[]): string {
  if (!m.text || !m.inputs.some((i) => i.role === 'token ids'))
    throw new Error(`web page: '${m.model}' does not draw from prompts`);
  const config = JSON.stringify({
    latentDim: m.latentDim,
    resolution: m.resolution,
    channels: m.channels,
    valueRange: m.valueRange,
    vocab: m.text.vocab,
    maxLen: m.text.maxLen,
    latentInput: m.inputs.findIndex((i) => i.role === 'latent'),
    idsInput: m.inputs.findIndex((i) => i.role === 'token ids'),
  });
  const examples = m.text.vocab.slice(2, 10).join(', ');
  const title = `${escapeHtml(m.model)}: images from a prompt (tsgan)`;
  return `${pageHead({
    title,
    description: 'Synthetic images drawn from a prompt by a GAN',
    scripts,
    css: `#prompt { width: 24em; }
.error { color: #a00; }
`,
  })}
<body>
<h1>${title}</h1>
<p class="notice">Every image on this page is <strong>synthetic</strong>: drawn by a GAN (${escapeHtml(m.model)},
weights sha256 <code>${m.sha256.slice(0, 16)}…</code>) from the words you type, not a photograph of anything real.</p>
<form id="form">
  <label>Prompt <input id="prompt" value="" placeholder="a large blue square" disabled></label>
  <label>images <input id="n" type="number" min="1" max="64" value="8" style="width:4em"></label>
  <label>seed <input id="seed" type="number" value="0" style="width:5em"></label>
  <button id="go" disabled>Generate</button>
</form>
<p>This model knows ${m.text.vocab.length - 2} words (e.g. ${escapeHtml(examples)}) and reads at most ${m.text.maxLen} per prompt.</p>
<p id="status">loading model…</p>
<p id="warnings"></p>
<p id="help" hidden>Browsers do not let a page opened as a file read the model next to it (CORS).
Serve this folder over HTTP and open the address printed: <code>tsgan serve FOLDER</code>.</p>
<canvas id="grid" hidden></canvas>
<script>
const cfg = ${config};
let model = null;
const status = document.getElementById('status');
const warnings = document.getElementById('warnings');
const tokenizer = typeof tsgan === 'undefined' ? null : new tsgan.Tokenizer({ vocab: cfg.vocab, maxLen: cfg.maxLen });
// A prompt's ids (and dropped words) or the tokenizer's sentence: the same as tsgan generate in Node.
function tokenize(prompt) {
  try {
    const e = tokenizer.encode(prompt);
    return { ids: Array.from(e.ids), unknown: e.unknown };
  } catch (err) {
    return { error: err.message };
  }
}
async function generate() {
  const prompt = document.getElementById('prompt').value;
  const t = tokenize(prompt);
  warnings.textContent = '';
  if (t.error) {
    status.textContent = t.error;
    status.className = 'error';
    return;
  }
  status.className = '';
  warnings.textContent = t.unknown.map((u) => "'" + u.word + "' is not a word this model knows (left out); did you mean '" + u.closest + "'?").join(' ');
  const n = Math.max(1, Math.min(64, Math.floor(Number(document.getElementById('n').value) || 8)));
  const seed = Math.floor(Number(document.getElementById('seed').value) || 0);
  const D = cfg.latentDim, r = cfg.resolution, [lo, hi] = cfg.valueRange;
  const zs = new Float32Array(n * D);
  for (let i = 0; i < n; i++) zs.set(new tsgan.Rng(seed + i).normals(D, 0), i * D);
  const ids = new Int32Array(n * cfg.maxLen);
  for (let i = 0; i < n; i++) ids.set(t.ids, i * cfg.maxLen);
  const t0 = performance.now();
  const scale = Math.max(1, Math.floor(96 / r));
  const pixels = tf.tidy(() => {
    const inputs = [];
    inputs[cfg.latentInput] = tf.tensor2d(zs, [n, D]);
    inputs[cfg.idsInput] = tf.tensor2d(ids, [n, cfg.maxLen], 'int32');
    let x = model.predict(inputs);                                           // [n, r, r, c]
    x = tf.clipByValue(tf.div(tf.sub(x, lo), hi - lo), 0, 1);
    if (cfg.channels === 1) x = tf.tile(x, [1, 1, 1, 3]);
    x = tf.transpose(x, [1, 0, 2, 3]);                                       // [r, n, r, 3]
    x = tf.reshape(x, [r, n * r, 3]);                                        // one row
    return tf.image.resizeNearestNeighbor(x, [r * scale, n * r * scale]);
  });
  const grid = document.getElementById('grid');
  await tf.browser.toPixels(pixels, grid);
  pixels.dispose();
  grid.hidden = false;
  grid.dataset.scale = String(scale);
  status.textContent = n + ' images of "' + t.ids.filter((v) => v > 1).map((v) => cfg.vocab[v]).join(' ') + '" in ' +
    Math.round(performance.now() - t0) + ' ms (' + tf.getBackend() + ')';
}
document.getElementById('form').onsubmit = (ev) => {
  ev.preventDefault();
  if (model) generate().catch((e) => { status.textContent = 'could not draw: ' + e.message; status.className = 'error'; });
};
${pageStartup({
  missing: 'TensorFlow.js or tsgan-layers.js did not load: they must sit next to this page (tsgan export writes them).',
  ready: "typeof tf !== 'undefined' && tokenizer !== null",
  load: `  tf.loadLayersModel('./model.json').then((m) => {
    model = m;
    document.getElementById('prompt').disabled = false;
    document.getElementById('go').disabled = false;
    status.textContent = 'type a prompt';
  }, (e) => { status.textContent = 'could not load the model: ' + e.message; });`,
})}
</script>
</body>
</html>
`;
}
