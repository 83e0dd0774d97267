// The runs list: status, step, last metrics; pick several to see side by side.
import { fmt, getJson, h, type RunSummary } from './api';

export async function renderRuns(app: HTMLElement): Promise<() => void> {
  const { runs, newRunsDir } = await getJson<{ runs: RunSummary[]; newRunsDir: string }>('/api/runs');
  app.replaceChildren();
  app.append(h('h2', {}, 'Runs'));
  if (runs.length === 0) {
    app.append(h('p', { class: 'msg' }, `No runs yet in ${newRunsDir}. `, h('a', { href: '#/new' }, 'Start one.')));
    return () => {};
  }
  const table = h('table', { id: 'runs-table' });
  table.append(
    h('tr', {}, ...['', 'run', 'status', 'step', 'lossD', 'lossG', 'img/s', 'metrics', ''].map((t) => h('th', {}, t))),
  );
  for (const r of runs) {
    const metricKeys = Object.keys(r.last).filter((k) => /fid|kid|is-|is_|pr|coverage|ssim|psnr|l1/i.test(k));
    const pick = h('input', { type: 'checkbox', value: r.id, 'aria-label': `compare ${r.name}` });
    table.append(
      h(
        'tr',
        { 'data-run': r.id },
        h('td', {}, pick),
        h(
          'td',
          {},
          h('a', { href: `#/run/${r.id}` }, r.name),
          h('div', { class: 'msg' }, `${r.preset ?? r.family ?? ''}`),
        ),
        h('td', {}, h('span', { class: `status ${r.status}` }, r.status)),
        h('td', {}, `${r.step}${r.totalSteps ? ` / ${r.totalSteps}` : ''}`),
        h('td', {}, fmt(r.last.lossD)),
        h('td', {}, fmt(r.last.lossG)),
        h('td', {}, fmt(r.last.imgPerSec)),
        h('td', {}, metricKeys.map((k) => `${k} ${fmt(r.last[k])}`).join(', ')),
        h(
          'td',
          {},
          h('a', { href: `#/run/${r.id}` }, 'watch'),
          ' · ',
          r.family === 'vanilla'
            ? h('a', { href: `#/run/${r.id}` }, '2-D')
            : h('a', { href: `#/explore/${r.id}` }, 'explore'),
        ),
      ),
    );
  }
  const compare = h('button', { id: 'compare' }, 'Side by side');
  compare.onclick = () => {
    const ids = [...table.querySelectorAll<HTMLInputElement>('input:checked')].map((i) => i.value);
    if (ids.length) location.hash = `#/run/${ids.join(',')}`;
  };
  app.append(table, h('p', {}, compare, ' ', h('a', { href: '#/new' }, 'New run')));
  const timer = setInterval(() => {
    if (document.visibilityState === 'visible') void renderRuns(app).then((stop) => stop());
  }, 10_000);
  return () => clearInterval(timer);
}
