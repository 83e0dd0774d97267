// The parts every exported web page shares (index.html beside an export: the generator page, the
// translator, super-resolution, text-to-image and StyleGAN2 pages): the head with the local scripts
// (no CDN) and the base style, and the start-up checks (TensorFlow.js loaded, served over HTTP) that
// run before a page loads its model.

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** `<!doctype html>` through `</head>`: title, the tsgan generator tag, the base style plus `css`, the scripts. */
export function pageHead(o: { title: string; description: string; scripts: readonly string[]; css?: string }): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="generator" content="tsgan">
<meta name="description" content="${escapeHtml(o.description)}">
<title>${o.title}</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2em; }
canvas { image-rendering: pixelated; border: 1px solid #ccc; }
.notice { background: #fff3cd; padding: .5em 1em; border-radius: 4px; display: inline-block; }
${o.css ?? ''}</style>
${o.scripts.map((s) => `<script src="./${s}"></script>`).join('\n')}
</head>`;
}

/**
 * The page script's last statement: when `ready` (a JS condition) fails, `status` says `missing`; a page
 * opened as a file says it must be served over HTTP and shows #help; otherwise `load` (JS) runs.
 */
export function pageStartup(o: { ready?: string; missing: string; load: string; models?: boolean }): string {
  return `if (!(${o.ready ?? "typeof tf !== 'undefined'"})) {
  status.textContent = ${JSON.stringify(o.missing)};
} else if (location.protocol === 'file:') {
  status.textContent = 'This page must be served over HTTP to load its model${o.models ? 's' : ''}.';
  document.getElementById('help').hidden = false;
} else {
${o.load}
}`;
}

/**
 * A start-up `load` for a page with one layers model: sets the page's `model`, runs `onLoad` (JS
 * statements, e.g. enabling an input) and puts `ready` in the status line.
 */
export function loadLayersModelScript(o: { onLoad: string; ready: string }): string {
  return `  tf.loadLayersModel('./model.json').then((m) => {
    model = m;
    ${o.onLoad}
    status.textContent = ${JSON.stringify(o.ready)};
  }, (e) => { status.textContent = 'could not load the model: ' + e.message; });`;
}

/**
 * The change handler of an image upload (`fileInput`): reads the chosen file as an image, runs
 * `check` (JS statements over `img` that may set the status line and return), then `await run(img)`
 * with `busy` in the status line, and reports the time and backend, or `failure` and the error.
 */
export function uploadScript(o: { run: string; busy: string; failure: string; check?: string }): string {
  return `fileInput.onchange = async () => {
  const f = fileInput.files && fileInput.files[0];
  if (!f) return;
  let img;
  try {
    img = await createImageBitmap(f);
  } catch (e) {
    status.textContent = 'could not read this file as an image';
    return;
  }
${o.check ?? ''}  status.textContent = ${JSON.stringify(o.busy)};
  try {
    const t0 = performance.now();
    await ${o.run}(img);
    status.textContent = 'done in ' + Math.round(performance.now() - t0) + ' ms (' + tf.getBackend() + ')';
  } catch (e) {
    status.textContent = ${JSON.stringify(o.failure)} + ': ' + e.message;
  }
};`;
}

/** The sentence of a page whose scripts did not load. */
export const SCRIPTS_MISSING =
  'TensorFlow.js did not load: its files must sit next to this page (tsgan export writes them).';
