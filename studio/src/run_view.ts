// One or several runs side by side: curves (Chart.js) that grow from the event stream, health
// events marked on the loss curve with their remedies, the fixed-latent sample grids with a time
// slider, the controls (pause, resume, stop, one step of D or G, live learning rates) and, for 2-D
// toy data, the 2-D view.
import {
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  ScatterController,
  Tooltip,
} from 'chart.js';

import { fmt, getJson, h, type LiveState, postJson, type RunDetails } from './api';
import { ToyView } from './toy_view';

Chart.register(LineController, ScatterController, LineElement, PointElement, LinearScale, Tooltip, Legend);

const COLORS = ['#4f46e5', '#e11d48', '#059669', '#d97706', '#0891b2', '#7c3aed', '#65a30d', '#db2777'];

interface Group {
  title: string;
  keys: (k: string) => boolean;
}
const GROUPS: Group[] = [
  { title: 'losses', keys: (k) => k === 'lossD' || k === 'lossG' || k.startsWith('loss_') },
  { title: 'D outputs', keys: (k) => k === 'dReal' || k === 'dFake' || k === 'dAccuracy' },
  { title: 'gradient norms', keys: (k) => k.startsWith('gradNorm') },
  { title: 'images/s', keys: (k) => k === 'imgPerSec' },
  { title: 'learning rates', keys: (k) => k === 'lrG' || k === 'lrD' },
  {
    title: 'metrics',
    keys: (k) =>
      !['step', 'elapsed', 'lossD', 'lossG', 'dReal', 'dFake', 'dAccuracy', 'imgPerSec', 'lrG', 'lrD', 'lr'].includes(
        k,
      ) &&
      !k.startsWith('loss_') &&
      !k.startsWith('gradNorm'),
  },
];

class Curves {
  readonly charts = new Map<string, Chart>();
  readonly el = h('div', { class: 'charts' });
  private health: Chart | null = null;

  add(rec: Record<string, unknown>): void {
    const step = rec.step;
    if (typeof step !== 'number') return;
    if (rec.control === 'lr') return; // a control line: the lr curves show it at the next log
    for (const [k, v] of Object.entries(rec)) {
      if (typeof v !== 'number' || !Number.isFinite(v) || k === 'step' || k === 'elapsed') continue;
      const g = GROUPS.find((x) => x.keys(k));
      if (!g) continue;
      const chart = this.chart(g.title);
      let ds = chart.data.datasets.find((d) => d.label === k);
      if (!ds) {
        ds = {
          label: k,
          data: [],
          borderColor: COLORS[chart.data.datasets.length % COLORS.length],
          backgroundColor: COLORS[chart.data.datasets.length % COLORS.length],
          pointRadius: 0,
          borderWidth: 1.5,
          type: 'line',
        };
        chart.data.datasets.push(ds);
      }
      (ds.data as Array<{ x: number; y: number }>).push({ x: step, y: v });
    }
  }

  /** A health event: a marker on the loss curve, its message and remedy in the tooltip. */
  addHealth(e: Record<string, unknown>, y: number): void {
    const chart = this.chart('losses');
    let ds = chart.data.datasets.find((d) => d.label === 'health events');
    if (!ds) {
      ds = {
        label: 'health events',
        data: [],
        type: 'scatter',
        pointRadius: 6,
        pointStyle: 'triangle',
        backgroundColor: '#b42318',
        borderColor: '#b42318',
      };
      chart.data.datasets.push(ds);
      this.health = chart;
    }
    (ds.data as Array<{ x: number; y: number; e?: unknown }>).push({ x: Number(e.step), y, e } as {
      x: number;
      y: number;
    });
  }

  update(): void {
    for (const c of this.charts.values()) {
      c.update('none');
      const n = c.data.datasets.reduce((a, d) => Math.max(a, d.data.length), 0);
      c.canvas.dataset.points = String(n);
    }
  }

  private chart(title: string): Chart {
    let c = this.charts.get(title);
    if (c) return c;
    const canvas = h('canvas', { 'data-chart': title });
    const box = h('div', {}, h('h3', {}, title), h('div', { class: 'chart' }, canvas));
    // Keep the groups' order.
    const order = GROUPS.findIndex((g) => g.title === title);
    const after = [...this.el.children].find(
      (ch) => GROUPS.findIndex((g) => g.title === ch.querySelector('canvas')?.dataset.chart) > order,
    );
    this.el.insertBefore(box, after ?? null);
    c = new Chart(canvas, {
      type: 'line',
      data: { datasets: [] },
      options: {
        animation: false,
        parsing: false,
        normalized: true,
        maintainAspectRatio: false,
        scales: {
          x: { type: 'linear', title: { display: true, text: 'step' } },
          y: { type: 'linear' },
        },
        plugins: {
          legend: { labels: { boxWidth: 12 } },
          tooltip: {
            callbacks: {
              label: (ctx) => {
                const e = (ctx.raw as { e?: Record<string, unknown> }).e;
                if (!e) return `${ctx.dataset.label}: ${fmt(ctx.parsed.y)}`;
                return [`${e.kind} (${e.severity}): ${e.message}`, `remedy: ${remedyText(e.remedy)}`];
              },
            },
          },
        },
      },
    });
    this.charts.set(title, c);
    return c;
  }

  destroy(): void {
    for (const c of this.charts.values()) c.destroy();
    void this.health;
  }
}

async function control(id: string, body: Record<string, unknown>, out: HTMLElement): Promise<void> {
  const r = await postJson<{ error?: string }>(`/api/runs/${id}/control`, body);
  out.textContent = r.status >= 400 ? (r.body.error ?? `error ${r.status}`) : '';
}

function runPanel(id: string): { el: HTMLElement; stop: () => void } {
  const el = h('section', { class: 'panel', 'data-run': id });
  const title = h('h2', {}, id);
  const status = h('span', { class: 'status' }, '…');
  const stepEl = h('b', { class: 'step-count' }, '0');
  const counts = h('span', { class: 'counts' });
  const msg = h('span', { class: 'error control-msg' });
  const controls = h('div', { class: 'controls' });
  const curves = new Curves();
  const healthList = h('ul', { class: 'health' });
  const sampleImg = h('img', { class: 'sample-img', alt: 'fixed-latent sample grid (synthetic)' });
  const slider = h('input', { type: 'range', class: 'sample-slider', min: '0', max: '0', value: '0' });
  const sampleLabel = h('span', { class: 'msg sample-label' });
  const samplesBox = h(
    'div',
    { class: 'samples' },
    h('h3', {}, 'samples (fixed latents)'),
    h('div', {}, slider, ' ', sampleLabel),
    sampleImg,
  );
  const toyBox = h('div', { class: 'toy' });
  const samples: string[] = [];
  let followLatest = true;
  let lastLoss = 0;
  let toy: ToyView | null = null;
  let es: EventSource | null = null;
  let state: LiveState | null = null;

  const showSample = (i: number) => {
    if (!samples.length) return;
    const f = samples[i]!;
    sampleImg.src = `/api/runs/${id}/files/samples/${encodeURIComponent(f)}`;
    sampleLabel.textContent = `step ${Number(/\d+/.exec(f)?.[0] ?? 0)} (${i + 1} of ${samples.length})`;
  };
  slider.oninput = () => {
    followLatest = Number(slider.value) === samples.length - 1;
    showSample(Number(slider.value));
  };
  const addSample = (f: string) => {
    if (samples.includes(f)) return;
    samples.push(f);
    samples.sort();
    slider.max = String(samples.length - 1);
    if (followLatest) {
      slider.value = String(samples.length - 1);
      showSample(samples.length - 1);
    }
  };
  const showState = (s: LiveState | null) => {
    state = s;
    if (!s) return;
    stepEl.textContent = String(s.step);
    counts.replaceChildren(
      ...s.phases.flatMap((p) => [
        ` ${p} updates `,
        h('b', { class: `phase-count phase-count-${p}` }, String(s.phaseUpdates[p] ?? 0)),
      ]),
    );
    status.textContent = s.paused ? 'paused' : 'live';
    status.className = `status ${s.paused ? 'running' : 'live'}`;
    for (const [k, v] of Object.entries(s.lrs)) {
      const inp = controls.querySelector<HTMLInputElement>(`input[data-lr="${k}"]`);
      if (inp && document.activeElement !== inp) inp.value = String(Number(v.toPrecision(3)));
    }
  };
  const buildControls = (s: LiveState) => {
    const b = (label: string, cls: string, body: Record<string, unknown>) => {
      const btn = h('button', { class: cls }, label);
      btn.onclick = () => void control(id, body, msg);
      return btn;
    };
    controls.replaceChildren(
      b('Pause', 'btn-pause', { action: 'pause' }),
      b('Resume', 'btn-resume', { action: 'resume' }),
      b('Stop', 'btn-stop', { action: 'stop' }),
      ...s.phases
        .filter((p) => p === 'D' || p === 'G')
        .map((p) => b(`Step ${p} once`, `btn-step-${p}`, { action: 'step', phases: [p] })),
      ...Object.keys(s.lrs).flatMap((k) => {
        const inp = h('input', { type: 'number', step: 'any', min: '0', 'data-lr': k });
        inp.value = String(s.lrs[k]);
        inp.onchange = () => void control(id, { action: 'lr', optimizer: k, lr: Number(inp.value) }, msg);
        return [h('label', {}, `lr ${k}`), inp];
      }),
      msg,
    );
  };
  const onEvent = (type: string, m: Record<string, unknown>) => {
    if (type === 'hello' || type === 'started' || type === 'state' || type === 'manual') {
      const s = (m.state as LiveState | null) ?? null;
      if (s && !controls.childElementCount) buildControls(s);
      showState(s);
      if (s?.toy && !toy) {
        toy = new ToyView(toyBox);
        void control(id, { action: 'toy', on: true }, msg);
      }
    } else if (type === 'progress' && state) {
      showState({ ...state, step: m.step as number, phaseUpdates: m.phaseUpdates as Record<string, number> });
    } else if (type === 'log') {
      const rec = m.record as Record<string, unknown>;
      curves.add(rec);
      curves.update();
      if (typeof rec.lossD === 'number') lastLoss = rec.lossD;
    } else if (type === 'sample') addSample(String(m.file));
    else if (type === 'health') {
      const e = m.event as Record<string, unknown>;
      curves.addHealth(e, lastLoss);
      curves.update();
      healthList.append(healthItem(e));
    } else if (type === 'toy') toy?.draw(m.frame as never);
    else if (type === 'done') {
      status.textContent = `ended: ${m.reason}`;
      status.className = 'status';
      for (const x of controls.querySelectorAll<HTMLButtonElement | HTMLInputElement>('button, input'))
        x.disabled = true;
      es?.close();
    } else if (type === 'run-error') {
      msg.textContent = String(m.message);
      es?.close();
    }
  };

  void (async () => {
    const d = await getJson<RunDetails>(`/api/runs/${id}`);
    title.textContent = d.summary.name;
    status.textContent = d.summary.status;
    status.className = `status ${d.summary.status}`;
    stepEl.textContent = String(d.summary.step);
    for (const r of d.metrics) {
      curves.add(r);
      if (typeof r.lossD === 'number') lastLoss = r.lossD;
    }
    for (const e of d.health) {
      const near = d.metrics.filter((r) => typeof r.lossD === 'number' && (r.step as number) <= Number(e.step)).at(-1);
      curves.addHealth(e, (near?.lossD as number) ?? 0);
      healthList.append(healthItem(e));
    }
    curves.update();
    for (const f of d.samples) addSample(f);
    if (d.summary.family === 'vanilla' && !d.live)
      toyBox.append(h('p', { class: 'msg' }, 'The 2-D view animates while the run trains here (resume it).'));
    if (d.summary.status !== 'live') {
      const resume = h('button', { class: 'btn-resume-run' }, 'Resume training');
      resume.onclick = async () => {
        const r = await postJson<{ error?: string }>(`/api/runs/${id}/resume`, {});
        if (r.status >= 400) msg.textContent = r.body.error ?? 'cannot resume';
        else location.reload();
      };
      controls.append(resume, msg);
      if (d.summary.family !== 'vanilla' && d.summary.family)
        controls.append(h('a', { href: `#/explore/${id}` }, 'Explore the generator'));
      return;
    }
    es = new EventSource(`/api/runs/${id}/events`);
    for (const t of [
      'hello',
      'started',
      'state',
      'progress',
      'log',
      'manual',
      'sample',
      'health',
      'warning',
      'toy',
      'done',
      'run-error',
    ])
      es.addEventListener(t, (ev) => onEvent(t, JSON.parse((ev as MessageEvent).data) as Record<string, unknown>));
  })().catch((e: Error) => {
    msg.textContent = e.message;
  });

  el.append(
    title,
    h('div', {}, status, ' step ', stepEl, counts),
    controls,
    toyBox,
    curves.el,
    h('h3', {}, 'health events'),
    healthList,
    samplesBox,
  );
  return {
    el,
    stop: () => {
      es?.close();
      curves.destroy();
    },
  };
}

/** A health remedy in words (src/health/types.ts: Remedy). */
export function remedyText(r: unknown): string {
  const x = (r ?? {}) as { action?: string; lrFactor?: number; policy?: string };
  if (x.action === 'warn') return 'report only';
  if (x.action === 'rollback')
    return `roll back to the last healthy checkpoint and multiply the learning rates by ${x.lrFactor}`;
  if (x.action === 'diffaugment') return `turn on DiffAugment (${x.policy})`;
  if (x.action === 'stop') return 'stop the run';
  return JSON.stringify(r ?? 'none');
}

function healthItem(e: Record<string, unknown>): HTMLElement {
  return h(
    'li',
    { class: String(e.severity ?? '') },
    `step ${e.step}: ${e.kind} (${e.severity}): ${e.message}`,
    e.remedy ? h('div', { class: 'msg' }, `remedy: ${remedyText(e.remedy)}`) : '',
  );
}

export async function renderRunView(app: HTMLElement, ids: string[]): Promise<() => void> {
  const panels = ids.map(runPanel);
  app.replaceChildren(h('div', { class: 'runs-side' }, ...panels.map((p) => p.el)));
  return () => {
    for (const p of panels) p.stop();
  };
}
