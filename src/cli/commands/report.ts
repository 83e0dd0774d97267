// `tsgan report RUN`: one self-contained HTML file about a run: loss, D-output, gradient-norm and
// metric curves (Chart.js, inlined), the sample grids over time, the health events and the config.
// Reads RUN/config.json, RUN/metrics.jsonl, RUN/health.jsonl, RUN/samples/*.png.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

import type { Command } from 'commander';

type Row = Record<string, unknown>;

function readJsonl(file: string): Row[] {
  if (!existsSync(file)) return [];
  const rows: Row[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      rows.push(JSON.parse(line) as Row);
    } catch {
      // A line cut by a crash: skip it.
    }
  }
  return rows;
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The chart groups: a title and the record keys it plots. */
function chartGroups(rows: Row[]): { title: string; keys: string[] }[] {
  const numeric = new Set<string>();
  for (const r of rows)
    for (const [k, v] of Object.entries(r)) if (typeof v === 'number' && k !== 'step') numeric.add(k);
  const keys = [...numeric];
  const take = (pred: (k: string) => boolean) =>
    keys
      .filter((k) => pred(k) && !used.has(k))
      .map((k) => {
        used.add(k);
        return k;
      });
  const used = new Set<string>();
  const groups = [
    { title: 'Losses', keys: take((k) => /^loss/i.test(k)) },
    { title: 'Discriminator outputs', keys: take((k) => /^d(Real|Fake|Accuracy)/.test(k)) },
    { title: 'Gradient norms', keys: take((k) => /gradNorm/i.test(k)) },
  ];
  for (const k of take((k) => /fmnist|^fid|^kid|^is|precision|recall|density|coverage/i.test(k)))
    groups.push({ title: k, keys: [k] });
  for (const k of keys.filter((k) => !used.has(k))) groups.push({ title: k, keys: [k] });
  return groups.filter((g) => g.keys.length > 0);
}

/** Up to `max` entries spread evenly over a sorted list (first and last kept). */
function spread<T>(xs: T[], max: number): T[] {
  if (xs.length <= max) return xs;
  return Array.from({ length: max }, (_, i) => xs[Math.round((i * (xs.length - 1)) / (max - 1))]);
}

/** Builds the report's HTML for a run folder. */
export function buildRunReport(runDir: string, opts: { maxGrids?: number } = {}): string {
  if (!existsSync(runDir)) throw new Error(`${runDir}: no such run folder`);
  const configFile = path.join(runDir, 'config.json');
  if (!existsSync(configFile)) throw new Error(`${runDir} is not a tsgan run folder (no config.json)`);
  const config = readFileSync(configFile, 'utf8');
  const rows = readJsonl(path.join(runDir, 'metrics.jsonl'));
  const events = readJsonl(path.join(runDir, 'health.jsonl'));
  const samplesDir = path.join(runDir, 'samples');
  const grids = existsSync(samplesDir)
    ? spread(
        readdirSync(samplesDir)
          .filter((f) => f.endsWith('.png'))
          .sort(),
        opts.maxGrids ?? 12,
      )
    : [];
  const chartJs = readFileSync(
    path.join(path.dirname(createRequire(import.meta.url).resolve('chart.js')), 'chart.umd.min.js'),
    'utf8',
  );

  const groups = chartGroups(rows);
  const series = groups.map((g) => ({
    title: g.title,
    datasets: g.keys.map((k) => ({
      label: k,
      data: rows
        .filter((r) => typeof r[k] === 'number' && typeof r.step === 'number')
        .map((r) => ({ x: r.step as number, y: r[k] as number })),
    })),
  }));
  const gridHtml = grids
    .map((f) => {
      const b64 = readFileSync(path.join(samplesDir, f)).toString('base64');
      const step = /(\d+)/.exec(f)?.[1];
      return `<figure><img src="data:image/png;base64,${b64}" alt="${escapeHtml(f)}"><figcaption>${step ? `step ${Number(step)}` : escapeHtml(f)}</figcaption></figure>`;
    })
    .join('\n');
  const eventRows = events
    .map(
      (e) =>
        `<tr class="${escapeHtml(String(e.severity ?? ''))}"><td>${escapeHtml(String(e.step ?? ''))}</td><td>${escapeHtml(String(e.kind ?? ''))}</td><td>${escapeHtml(String(e.severity ?? ''))}</td><td>${escapeHtml(String(e.message ?? ''))}</td><td>${escapeHtml(JSON.stringify(e.remedy ?? ''))}</td></tr>`,
    )
    .join('\n');
  const last = rows.at(-1);
  // JSON inside <script>: escape '<' so no '</script>' can close the tag.
  const data = JSON.stringify(series).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>tsgan report: ${escapeHtml(path.basename(path.resolve(runDir)))}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222;max-width:1200px}
h1{font-size:1.5em} h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #ddd}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(520px,1fr));gap:1.5em}
.grids{display:flex;flex-wrap:wrap;gap:1em} figure{margin:0} img{image-rendering:pixelated;width:224px;border:1px solid #ccc}
figcaption{text-align:center;color:#666} table{border-collapse:collapse} td,th{border:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}
tr.critical{background:#fdd} tr.warning{background:#ffe} pre{background:#f6f6f6;padding:1em;overflow:auto}
</style></head><body>
<h1>tsgan run report: ${escapeHtml(path.basename(path.resolve(runDir)))}</h1>
<p>${rows.length} log records${last && typeof last.step === 'number' ? `, last step ${last.step}` : ''}; ${events.length} health events; ${grids.length} sample grids shown. Generated ${new Date().toISOString()}. Every sample image here is GAN-generated.</p>
<h2>Curves</h2>
${groups.length ? '<div class="charts" id="charts"></div>' : '<p>No metrics.jsonl records.</p>'}
<h2>Samples over time</h2>
${gridHtml ? `<div class="grids">${gridHtml}</div>` : '<p>No sample grids.</p>'}
<h2>Health events</h2>
${eventRows ? `<table><tr><th>step</th><th>kind</th><th>severity</th><th>message</th><th>remedy</th></tr>${eventRows}</table>` : '<p>None.</p>'}
<h2>Config</h2>
<pre>${escapeHtml(config)}</pre>
<script>${chartJs}</script>
<script>
const series = ${data};
const root = document.getElementById('charts');
for (const s of series) {
  const box = document.createElement('div');
  const canvas = document.createElement('canvas');
  box.appendChild(canvas);
  root.appendChild(box);
  new Chart(canvas, {
    type: 'line',
    data: { datasets: s.datasets.map((d) => ({ label: d.label, data: d.data, pointRadius: 0, borderWidth: 1.5 })) },
    options: { animation: false, parsing: false, plugins: { title: { display: true, text: s.title } },
      scales: { x: { type: 'linear', title: { display: true, text: 'step' } } } },
  });
}
</script>
</body></html>
`;
}

export function registerReport(program: Command): void {
  program
    .command('report <run>')
    .description('write one self-contained HTML report of a run: curves, sample grids, health events, config')
    .option('-o, --out <file>', 'output HTML file (default RUN/report.html)')
    .option('--max-grids <n>', 'sample grids to include, spread over the run', Number, 12)
    .addHelpText(
      'after',
      `
Examples:
  $ tsgan report runs/dcgan-fmnist-20260101-120000
  $ tsgan report runs/x -o x.html --max-grids 24`,
    )
    .action((run: string, o: Record<string, unknown>) => {
      const html = buildRunReport(run, { maxGrids: o.maxGrids as number });
      const out = (o.out as string | undefined) ?? path.join(run, 'report.html');
      writeFileSync(out, html);
      process.stdout.write(`report written to ${out} (${Math.round(html.length / 1024)} KiB)\n`);
    });
}
