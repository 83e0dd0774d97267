// The new-run form, built from the config's JSON schema (zod, src/train/config.ts): a preset fills
// every field; only the fields changed from it are sent. The server validates with the same schema
// and each error is shown at its field.
import { getJson, h, postJson } from './api';

interface JsonSchema {
  type?: string;
  enum?: unknown[];
  properties?: Record<string, JsonSchema>;
  default?: unknown;
  anyOf?: JsonSchema[];
  items?: JsonSchema;
}
interface Preset {
  name: string;
  description: string;
  config: Record<string, unknown>;
}

/** Leaf fields: top-level scalars and one level into objects (model.*, data.*, health.enabled). */
function leaves(schema: JsonSchema, prefix = '', depth = 0): Array<{ path: string; s: JsonSchema }> {
  const out: Array<{ path: string; s: JsonSchema }> = [];
  for (const [k, s0] of Object.entries(schema.properties ?? {})) {
    const s = s0.anyOf?.find((x) => x.type !== 'null') ?? s0;
    const p = prefix ? `${prefix}.${k}` : k;
    if (p === 'runsDir') continue; // the studio puts new runs in its own folder of runs
    if (s.type === 'object' && s.properties) {
      if (depth === 0)
        out.push(...leaves(s, p, depth + 1).filter((l) => k !== 'health' || l.path === 'health.enabled'));
    } else if (['string', 'number', 'integer', 'boolean'].includes(s.type ?? '') || s.enum) out.push({ path: p, s });
  }
  return out;
}

function get(o: Record<string, unknown>, p: string): unknown {
  return p
    .split('.')
    .reduce<unknown>((a, k) => (a && typeof a === 'object' ? (a as Record<string, unknown>)[k] : undefined), o);
}

function set(o: Record<string, unknown>, p: string, v: unknown): void {
  const ks = p.split('.');
  let cur = o;
  for (const k of ks.slice(0, -1)) {
    if (cur[k] === undefined) cur[k] = {};
    cur = cur[k] as Record<string, unknown>;
  }
  cur[ks.at(-1)!] = v;
}

export async function renderNewRun(app: HTMLElement): Promise<() => void> {
  const { presets, schema } = await getJson<{ presets: Preset[]; schema: JsonSchema }>('/api/presets');
  app.replaceChildren(h('h2', {}, 'New run'));
  const presetSel = h('select', { id: 'preset' });
  for (const p of presets) presetSel.append(h('option', { value: p.name }, p.name));
  const desc = h('p', { class: 'msg' });
  const form = h('form', { class: 'form', id: 'run-form', novalidate: '' });
  const fields = leaves(schema);
  const inputs = new Map<string, HTMLInputElement | HTMLSelectElement>();
  const errs = new Map<string, HTMLElement>();
  for (const { path, s } of fields) {
    let input: HTMLInputElement | HTMLSelectElement;
    if (s.enum) {
      input = h('select', { name: path });
      input.append(h('option', { value: '' }, '(unset)'));
      for (const v of s.enum) input.append(h('option', { value: String(v) }, String(v)));
    } else if (s.type === 'boolean') {
      input = h('select', { name: path });
      for (const v of ['', 'true', 'false']) input.append(h('option', { value: v }, v || '(unset)'));
    } else input = h('input', { name: path, type: 'text', inputmode: s.type === 'string' ? 'text' : 'decimal' });
    input.dataset.kind = s.type ?? 'string';
    const err = h('div', { class: 'err' });
    inputs.set(path, input);
    errs.set(path, err);
    form.append(h('div', { class: 'field', 'data-field': path }, h('label', {}, path), input, err));
  }
  // Model options the preset leaves unset (most belong to other families) wait under a fold.
  const moreGrid = h('div', { class: 'form' });
  const more = h('details', { class: 'more' }, h('summary', {}, 'more model options (every family’s)'), moreGrid);
  const boxes = [...form.querySelectorAll<HTMLElement>('.field')];
  const place = () => {
    for (const box of boxes) {
      const path = box.dataset.field!;
      const folded =
        path.startsWith('model.') &&
        !['model.family', 'model.latentDim'].includes(path) &&
        inputs.get(path)!.value === '';
      (folded ? moreGrid : form).append(box);
    }
    form.append(more);
  };
  const formErr = h('p', { class: 'error', id: 'form-error' });
  const submit = h('button', { class: 'primary', type: 'submit', form: 'run-form' }, 'Start training');
  let base: Record<string, unknown> = {};
  const fill = () => {
    const p = presets.find((x) => x.name === presetSel.value)!;
    base = p.config;
    desc.textContent = p.description;
    for (const [path, input] of inputs) {
      const v = get(base, path);
      input.value = v === undefined || v === null ? '' : Array.isArray(v) ? v.join(',') : String(v);
    }
    place();
  };
  presetSel.onchange = fill;
  fill();
  const parse = (input: HTMLInputElement | HTMLSelectElement): unknown => {
    const v = input.value.trim();
    if (v === '') return undefined;
    const kind = input.dataset.kind;
    if (kind === 'number' || kind === 'integer') return Number(v);
    if (kind === 'boolean') return v === 'true';
    return v;
  };
  form.onsubmit = async (ev) => {
    ev.preventDefault();
    const overrides: Record<string, unknown> = {};
    for (const [path, input] of inputs) {
      const v = parse(input);
      const was = get(base, path);
      const wasStr = was === undefined || was === null ? '' : Array.isArray(was) ? was.join(',') : String(was);
      if (input.value.trim() !== wasStr && v !== undefined) set(overrides, path, v);
    }
    for (const [path, err] of errs) {
      err.textContent = '';
      err.parentElement!.classList.remove('invalid');
    }
    formErr.textContent = '';
    submit.disabled = true;
    const r = await postJson<{ id?: string; error?: string; fields?: Record<string, string> }>('/api/runs', {
      preset: presetSel.value,
      config: overrides,
    });
    submit.disabled = false;
    if (r.status === 201 && r.body.id) {
      location.hash = `#/run/${r.body.id}`;
      return;
    }
    const other: string[] = [];
    for (const [path, msg] of Object.entries(r.body.fields ?? {})) {
      const err = errs.get(path);
      if (err) {
        err.textContent = msg;
        err.parentElement!.classList.add('invalid');
        if (moreGrid.contains(err)) more.open = true;
      } else other.push(`${path}: ${msg}`);
    }
    formErr.textContent = other.length ? other.join('; ') : r.body.fields ? '' : (r.body.error ?? `error ${r.status}`);
  };
  const submitRow = h('div', {}, submit);
  app.append(h('p', {}, h('label', {}, 'Preset '), presetSel), desc, form, submitRow, formErr);
  return () => {};
}
