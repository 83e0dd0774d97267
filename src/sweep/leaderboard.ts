// A sweep's leaderboard, read from its trial folders: every trial ranked (those that reached the full
// budget first, by the metric; then those ASHA stopped early, by the highest rung they reached; then
// the ones not run yet and the failed ones, with their errors), the best trial, and the share of the
// full budget (every trial trained to the last rung) that the sweep used. As a terminal table, and as
// a self-contained HTML page (the table and each trial's metric over the rungs, an inline SVG).
import path from 'node:path';

import type { SweepSpec } from './spec.js';
import { readTrialState, type TrialPlan } from './trials.js';

export interface LeaderboardRow {
  rank: number;
  id: string;
  params: Record<string, unknown>;
  /** 'finished' (reached the budget), 'stopped' (ASHA stopped it at a lower rung), 'pending', 'failed'. */
  status: 'finished' | 'stopped' | 'pending' | 'failed';
  /** The highest rung reached (0 if none). */
  step: number;
  /** The metric there (null: not finite or not computable). */
  value: number | null;
  /** The metric at each rung reached. */
  rungs: Record<string, number | null>;
  /** Seconds of all its segments. */
  seconds: number;
  error?: string;
  /** The trial's run folder, relative to the sweep folder. */
  folder: string;
}

export interface Leaderboard {
  name: string;
  metric: { name: string; goal: 'min' | 'max' };
  rungs: number[];
  rows: LeaderboardRow[];
  /** The best trial that reached the full budget (null if none did). */
  best: LeaderboardRow | null;
  /** Steps trained over all trials, and the full budget (trials x steps). */
  stepsTrained: number;
  budgetSteps: number;
}

const STATUS_ORDER = { finished: 0, stopped: 1, pending: 2, failed: 3 } as const;

export function buildLeaderboard(sweepDir: string, spec: SweepSpec, plans: TrialPlan[], rungs: number[]): Leaderboard {
  const full = rungs[rungs.length - 1]!;
  const rows: LeaderboardRow[] = plans.map((p) => {
    const st = readTrialState(sweepDir, p.id);
    const last = st.rungs[st.rungs.length - 1];
    return {
      rank: 0,
      id: p.id,
      params: p.params,
      status: st.failure ? 'failed' : last?.step === full ? 'finished' : last ? 'stopped' : 'pending',
      step: last?.step ?? 0,
      value: last?.value ?? null,
      rungs: Object.fromEntries(st.rungs.map((r) => [String(r.step), r.value])),
      seconds: Number(st.rungs.reduce((a, r) => a + r.seconds, 0).toFixed(1)),
      ...(st.failure ? { error: st.failure.error } : {}),
      folder: path.join('trials', p.id),
    };
  });
  const sign = spec.metric.goal === 'min' ? 1 : -1;
  const order = new Map(plans.map((p, i) => [p.id, i]));
  rows.sort((a, b) => {
    if (a.status !== b.status) return STATUS_ORDER[a.status] - STATUS_ORDER[b.status];
    if (a.step !== b.step) return b.step - a.step;
    if (a.value !== b.value) {
      if (a.value === null) return 1;
      if (b.value === null) return -1;
      return sign * (a.value - b.value);
    }
    return order.get(a.id)! - order.get(b.id)!;
  });
  rows.forEach((r, i) => {
    r.rank = i + 1;
  });
  return {
    name: spec.name,
    metric: spec.metric,
    rungs,
    rows,
    best: rows.find((r) => r.status === 'finished' && r.value !== null) ?? null,
    stepsTrained: rows.reduce((a, r) => a + r.step, 0),
    budgetSteps: plans.length * full,
  };
}

const fmt = (v: number | null) =>
  v === null
    ? 'n/a'
    : Math.abs(v) >= 1000 || Math.abs(v) < 0.01
      ? v.toPrecision(4)
      : v.toFixed(4).replace(/\.?0+$/, '');
const fmtParam = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

/** The leaderboard as a plain-text table (one line per trial) with a summary line. */
export function formatLeaderboard(lb: Leaderboard): string {
  const keys = [...new Set(lb.rows.flatMap((r) => Object.keys(r.params)))];
  const head = ['#', 'trial', ...keys, 'steps', lb.metric.name, 'status', 'seconds'];
  const body = lb.rows.map((r) => [
    String(r.rank),
    r.id,
    ...keys.map((k) => (k in r.params ? fmtParam(r.params[k]) : '')),
    String(r.step),
    fmt(r.value),
    r.status === 'failed' ? `failed: ${(r.error ?? '').slice(0, 60)}` : r.status,
    r.seconds.toFixed(1),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  const out = [line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)];
  out.push('', summaryLine(lb));
  return `${out.join('\n')}\n`;
}

export function summaryLine(lb: Leaderboard): string {
  const used = lb.budgetSteps ? ((100 * lb.stepsTrained) / lb.budgetSteps).toFixed(1) : '0';
  const best = lb.best
    ? `best: trial ${lb.best.id} ${Object.entries(lb.best.params)
        .map(([k, v]) => `${k}=${fmtParam(v)}`)
        .join(' ')} with ${lb.metric.name} ${fmt(lb.best.value)}`
    : 'no trial reached the full budget yet';
  return `${best}; ${lb.stepsTrained.toLocaleString('en-US')} of ${lb.budgetSteps.toLocaleString('en-US')} steps trained (${used}% of the full budget)`;
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** An SVG of each trial's metric over the rungs (log step axis), best trial highlighted. */
function rungChart(lb: Leaderboard): string {
  const W = 640;
  const H = 320;
  const m = { l: 60, r: 20, t: 20, b: 40 };
  const pts = lb.rows.flatMap((r) =>
    Object.entries(r.rungs)
      .filter(([, v]) => v !== null && Number.isFinite(v))
      .map(([s, v]) => ({ s: Number(s), v: v as number })),
  );
  if (pts.length === 0) return '<p>No rung results yet.</p>';
  const steps = [...new Set(lb.rungs)];
  const lx = (s: number) => Math.log(s);
  const [sMin, sMax] = [lx(steps[0]!), lx(steps[steps.length - 1]!)];
  const vs = pts.map((p) => p.v);
  let [vMin, vMax] = [Math.min(...vs), Math.max(...vs)];
  if (vMin === vMax) [vMin, vMax] = [vMin - 1, vMax + 1];
  const x = (s: number) => m.l + (sMax === sMin ? 0.5 : (lx(s) - sMin) / (sMax - sMin)) * (W - m.l - m.r);
  const y = (v: number) => m.t + (1 - (v - vMin) / (vMax - vMin)) * (H - m.t - m.b);
  const lines = lb.rows.map((r) => {
    const p = Object.entries(r.rungs)
      .filter(([, v]) => v !== null && Number.isFinite(v))
      .map(([s, v]) => `${x(Number(s)).toFixed(1)},${y(v as number).toFixed(1)}`);
    const best = lb.best?.id === r.id;
    const stroke = best ? '#d62728' : r.status === 'finished' ? '#1f77b4' : '#999';
    const dots = p
      .map((q) => `<circle cx="${q.split(',')[0]}" cy="${q.split(',')[1]}" r="3" fill="${stroke}"/>`)
      .join('');
    return `<g><title>${escapeHtml(`${r.id} ${JSON.stringify(r.params)}`)}</title><polyline fill="none" stroke="${stroke}" stroke-width="${best ? 2.5 : 1.2}" points="${p.join(' ')}"/>${dots}</g>`;
  });
  const xTicks = steps
    .map((s) => `<text x="${x(s).toFixed(1)}" y="${H - m.b + 16}" text-anchor="middle">${s}</text>`)
    .join('');
  const yTicks = [vMin, (vMin + vMax) / 2, vMax]
    .map(
      (v) => `<text x="${m.l - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${Number(v.toPrecision(4))}</text>`,
    )
    .join('');
  return `<svg width="${W}" height="${H}" font-size="11" font-family="sans-serif">
<rect x="${m.l}" y="${m.t}" width="${W - m.l - m.r}" height="${H - m.t - m.b}" fill="none" stroke="#ccc"/>
${xTicks}${yTicks}<text x="${(W + m.l) / 2}" y="${H - 6}" text-anchor="middle">steps (rungs, log scale)</text>
${lines.join('\n')}</svg>`;
}

/** A self-contained HTML page: the summary, the metric over the rungs, the table (links to the trial folders). */
export function leaderboardHtml(lb: Leaderboard): string {
  const keys = [...new Set(lb.rows.flatMap((r) => Object.keys(r.params)))];
  const rows = lb.rows
    .map(
      (r) =>
        `<tr class="${r.status}"><td>${r.rank}</td><td><a href="${escapeHtml(r.folder)}/">${r.id}</a></td>${keys
          .map((k) => `<td>${k in r.params ? escapeHtml(fmtParam(r.params[k])) : ''}</td>`)
          .join(
            '',
          )}<td>${r.step}</td><td>${fmt(r.value)}</td><td>${escapeHtml(r.status === 'failed' ? `failed: ${r.error ?? ''}` : r.status)}</td><td>${r.seconds.toFixed(1)}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>tsgan sweep ${escapeHtml(lb.name)}</title>
<style>body{font-family:sans-serif;margin:2em;max-width:1100px}table{border-collapse:collapse}td,th{padding:3px 8px;border-bottom:1px solid #ddd;text-align:left}
tr.failed td{color:#a00}tr.stopped td,tr.pending td{color:#777}th{background:#f4f4f4}</style></head>
<body><h1>Sweep ${escapeHtml(lb.name)}</h1>
<p>Metric: ${escapeHtml(lb.metric.name)} (${lb.metric.goal === 'min' ? 'lower' : 'higher'} is better); rungs at ${lb.rungs.join(', ')} steps.</p>
<p><b>${escapeHtml(summaryLine(lb))}</b></p>
<h2>${escapeHtml(lb.metric.name)} at each rung</h2>
${rungChart(lb)}
<h2>Trials</h2>
<table><tr><th>#</th><th>trial</th>${keys.map((k) => `<th>${escapeHtml(k)}</th>`).join('')}<th>steps</th><th>${escapeHtml(lb.metric.name)}</th><th>status</th><th>seconds</th></tr>
${rows}
</table>
<p>Each trial is a run folder: <code>tsgan report SWEEP/trials/ID</code> draws its curves and samples.</p>
</body></html>
`;
}
