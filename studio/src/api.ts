// Calls to the studio server (same origin: the token cookie rides along).
export async function getJson<T>(url: string): Promise<T> {
  const r = await fetch(url, { credentials: 'same-origin' });
  if (!r.ok) throw new Error(((await r.json().catch(() => ({}))) as { error?: string }).error ?? `${r.status} ${url}`);
  return (await r.json()) as T;
}

export async function postJson<T>(url: string, body: unknown): Promise<{ status: number; body: T }> {
  const r = await fetch(url, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: r.status, body: (await r.json().catch(() => ({}))) as T };
}

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: Array<Node | string>
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v;
    else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c);
  return e;
}

export function fmt(v: unknown): string {
  if (typeof v !== 'number' || !Number.isFinite(v)) return '–';
  if (v !== 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e5)) return v.toExponential(2);
  return String(Math.round(v * 1000) / 1000);
}

export interface RunSummary {
  id: string;
  name: string;
  path: string;
  preset: string | null;
  family: string | null;
  dataset: string | null;
  status: string;
  step: number;
  totalSteps: number | null;
  last: Record<string, number>;
  samples: number;
  exported: boolean;
}

export interface LiveState {
  step: number;
  totalSteps: number;
  paused: boolean;
  phaseUpdates: Record<string, number>;
  lrs: Record<string, number>;
  phases: string[];
  toy: boolean;
}

export interface RunDetails {
  summary: RunSummary;
  config: { config?: Record<string, unknown>; model?: Record<string, unknown>; dataset?: string } | null;
  metrics: Record<string, unknown>[];
  health: Record<string, unknown>[];
  samples: string[];
  live: { state: LiveState | null; done: unknown; error: string | null } | null;
}
