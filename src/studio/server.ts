// `tsgan studio`: a local web app to watch, steer and explore GANs (issue: the studio). Node's http
// module only. Security model: it listens on 127.0.0.1 unless told otherwise (a non-loopback address
// needs allowRemote and prints a warning); every request (page, assets, API, event streams, run
// files) needs the random token printed in the URL (then a SameSite=Strict HttpOnly cookie); no
// CORS header is ever sent; files come only from the built page (dist/studio) and the named run
// folders (traversal, encoded traversal and symlinks out of a run answer 404); bodies are capped
// (413). Training runs in child processes (live.ts, worker.ts), so the server never computes tensors.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { z } from 'zod';

import { provenanceText } from '../io/png.js';
import { mergeConfigLayers, trainConfigSchema } from '../train/config.js';
import { PRESETS } from '../train/presets.js';
import {
  BASE_HEADERS,
  fileInside,
  HttpError,
  isLoopback,
  pathSegments,
  readJsonBody,
  requestToken,
  sendError,
  sendFile,
  sendJson,
  tokenCookie,
  tokenMatches,
} from './http_util.js';
import { exportInChild, LiveRun, sseOpen, sseWrite } from './live.js';
import type { ChildCommand } from './protocol.js';
import { discoverRuns, listSampleFiles, readJsonl, summarizeRun } from './runs.js';

export interface StudioOptions {
  /** Run folders, or folders of runs (default: ./runs). */
  runDirs?: string[];
  /** TCP port (0: a free one; default 7860). */
  port?: number;
  /** Address to listen on (default 127.0.0.1). */
  host?: string;
  /** Required to listen on an address other machines can reach. */
  allowRemote?: boolean;
  /** The access token (default: 24 random bytes, base64url). */
  token?: string;
  /** Where runs started from the page go (default: the first folder of runs given, else ./runs). */
  newRunsDir?: string;
  /** The built page (default: dist/studio of the package). */
  assetsDir?: string;
  /** Where warnings go (default stderr). */
  warn?: (msg: string) => void;
}

export interface Studio {
  /** The address with the token: what to open in a browser. */
  url: string;
  /** The address without the token. */
  origin: string;
  token: string;
  port: number;
  /** Live runs by id (training in child processes). */
  live: Map<string, LiveRun>;
  /** Stops the live runs (each saves a checkpoint), closes connections and the listener. */
  close(): Promise<void>;
}

export class StudioError extends Error {}

/** The package's root folder (where package.json names tsgan). */
function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const p = path.join(dir, 'package.json');
    if (existsSync(p)) {
      try {
        if ((JSON.parse(readFileSync(p, 'utf8')) as { name?: string }).name === 'tsgan') return dir;
      } catch {
        // not ours
      }
    }
    dir = path.dirname(dir);
  }
  return process.cwd();
}

/** The built front end (npm run build writes it). */
export function defaultAssetsDir(): string {
  return path.join(packageRoot(), 'dist', 'studio');
}

function timestamp(): string {
  return new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, '')
    .replace('T', '-');
}

/** A run request checked against the config schema: per-field messages keyed by dotted path. */
export function validateRunRequest(
  body: unknown,
): { ok: true; preset?: string; config: Record<string, unknown> } | { ok: false; fields: Record<string, string> } {
  const b = (body ?? {}) as { preset?: unknown; config?: unknown };
  const fields: Record<string, string> = {};
  if (b.preset !== undefined && (typeof b.preset !== 'string' || !PRESETS[b.preset]))
    fields.preset = `unknown preset ${JSON.stringify(b.preset)}`;
  const overrides = b.config ?? {};
  if (typeof overrides !== 'object' || overrides === null || Array.isArray(overrides))
    fields.config = 'config must be an object of fields';
  if (Object.keys(fields).length) return { ok: false, fields };
  const preset = b.preset as string | undefined;
  const base = preset ? (PRESETS[preset]!.config as Record<string, unknown>) : {};
  const merged = mergeConfigLayers([base, overrides as Record<string, unknown>], () => {});
  const r = trainConfigSchema.safeParse(merged);
  if (!r.success) {
    for (const iss of r.error.issues) {
      const where = iss.path.join('.');
      if (iss.code === 'unrecognized_keys') {
        for (const k of iss.keys) fields[where ? `${where}.${k}` : k] = 'unknown field';
      } else fields[where || 'config'] = iss.message;
    }
    return { ok: false, fields };
  }
  return { ok: true, preset, config: overrides as Record<string, unknown> };
}

/** The presets and the config's JSON schema, for the new-run form. */
function presetsPayload(): unknown {
  return {
    presets: Object.entries(PRESETS).map(([name, p]) => {
      const r = trainConfigSchema.safeParse(p.config);
      return { name, description: p.description, config: r.success ? r.data : p.config };
    }),
    schema: z.toJSONSchema(trainConfigSchema, { io: 'input', unrepresentable: 'any' }),
  };
}

const controlSchema = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('pause') }),
  z.strictObject({ action: z.literal('resume') }),
  z.strictObject({ action: z.literal('stop') }),
  z.strictObject({ action: z.literal('step'), phases: z.array(z.string().min(1)).min(1).max(8) }),
  z.strictObject({ action: z.literal('lr'), optimizer: z.string().min(1), lr: z.number().positive().max(1) }),
  z.strictObject({ action: z.literal('toy'), on: z.boolean() }),
]);

export async function startStudio(opts: StudioOptions = {}): Promise<Studio> {
  const host = opts.host ?? '127.0.0.1';
  const warn = opts.warn ?? ((m: string) => process.stderr.write(`tsgan: ${m}\n`));
  if (!isLoopback(host)) {
    if (!opts.allowRemote)
      throw new StudioError(
        `refusing to listen on ${host}: other machines could reach the studio (it can start training runs and read run folders); ` +
          'use --host 127.0.0.1, or add --allow-remote if you mean it',
      );
    warn(
      `the studio listens on ${host}: anyone on your network who has the URL (with its token) can start runs and read these run folders; traffic is not encrypted`,
    );
  }
  const port = opts.port ?? 7860;
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new StudioError(`--port must be an integer from 0 to 65535, got ${port}`);
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const roots = (opts.runDirs?.length ? opts.runDirs : ['runs']).map((d) => path.resolve(d));
  for (const r of opts.runDirs ?? [])
    if (!existsSync(r)) throw new StudioError(`${r}: no such folder (give run folders, or a folder of runs)`);
  const newRunsDir = path.resolve(
    opts.newRunsDir ?? roots.find((r) => !existsSync(path.join(r, 'config.json'))) ?? 'runs',
  );
  const assetsDir = opts.assetsDir ?? defaultAssetsDir();
  const live = new Map<string, LiveRun>();
  const ids = new Map<string, string>(); // run path -> id
  const paths = new Map<string, string>(); // id -> run path
  const idFor = (dir: string) => {
    let id = ids.get(dir);
    if (!id) {
      id = `r${ids.size + 1}`;
      ids.set(dir, id);
      paths.set(id, dir);
    }
    return id;
  };
  const allRuns = () => {
    const dirs = discoverRuns([...roots, newRunsDir]);
    for (const d of dirs) idFor(d);
    for (const l of live.values()) idFor(l.runDir);
    return [...paths.entries()];
  };
  const runOr404 = (id: string): string => {
    const p = paths.get(id) ?? (allRuns(), paths.get(id));
    if (!p) throw new HttpError(404, `no run '${id}'`);
    return p;
  };

  let actualPort = port; // the bound port once listening (--port 0 picks one)
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const raw = req.url ?? '/';
    const q = raw.indexOf('?');
    const query = new URLSearchParams(q >= 0 ? raw.slice(q + 1) : '');
    // The token first: without it, every path (existing or not) answers 401 and nothing more.
    if (!tokenMatches(requestToken(req, query, tokenCookie(actualPort)), token))
      throw new HttpError(401, 'this studio needs its access token: open the URL `tsgan studio` printed');
    const parsed = pathSegments(raw);
    if (!parsed) throw new HttpError(404, 'not found');
    const seg = parsed.segments;
    const method = req.method ?? 'GET';
    // First visit with ?token=: keep it in a cookie and drop it from the address bar.
    if (query.has('token') && method === 'GET' && seg[0] !== 'api') {
      res.writeHead(303, {
        ...BASE_HEADERS,
        'set-cookie': `${tokenCookie(actualPort)}=${token}; HttpOnly; SameSite=Strict; Path=/`,
        location: `/${seg.map(encodeURIComponent).join('/')}`,
      });
      res.end();
      return;
    }
    if (seg[0] !== 'api') {
      if (method !== 'GET' && method !== 'HEAD') throw new HttpError(405, `${method} is not allowed here`);
      const rel = seg.length === 0 ? ['index.html'] : seg;
      const file = fileInside(assetsDir, rel);
      if (!file) {
        if (seg.length === 0)
          throw new HttpError(503, `the studio's page is not built (${assetsDir} is missing): run npm run build`);
        throw new HttpError(404, 'not found');
      }
      sendFile(res, file, method);
      return;
    }
    const api = seg.slice(1);
    if (api[0] === 'presets' && api.length === 1 && method === 'GET') return sendJson(res, 200, presetsPayload());
    if (api[0] === 'provenance' && api.length === 1 && method === 'GET') {
      // The text chunks of a PNG the page downloads (the same labels as every PNG tsgan writes).
      const sha = query.get('sha256') ?? '';
      const seed = Number(query.get('seed'));
      return sendJson(
        res,
        200,
        provenanceText({
          model: (query.get('model') ?? 'unknown').slice(0, 200),
          ...(/^[0-9a-f]{64}$/.test(sha) ? { modelSha256: sha } : {}),
          ...(Number.isInteger(seed) ? { seed } : {}),
          kind: (query.get('kind') ?? 'studio download').slice(0, 100),
        }),
      );
    }
    if (api[0] === 'validate' && api.length === 1 && method === 'POST') {
      const v = validateRunRequest(await readJsonBody(req));
      return sendJson(res, v.ok ? 200 : 400, v.ok ? { ok: true } : { error: 'invalid config', fields: v.fields });
    }
    if (api[0] !== 'runs') throw new HttpError(404, 'not found');
    if (api.length === 1 && method === 'GET') {
      const runs = allRuns().map(([id, p]) => summarizeRun(id, p, live.get(id)?.running ?? false));
      return sendJson(res, 200, { runs, newRunsDir });
    }
    if (api.length === 1 && method === 'POST') {
      const body = await readJsonBody(req);
      const v = validateRunRequest(body);
      if (!v.ok) return sendJson(res, 400, { error: 'invalid config', fields: v.fields });
      const name = String((v.config.name as string | undefined) ?? `${v.preset ?? 'run'}-${timestamp()}`);
      if (!/^[\w.-]+$/.test(name) || name.startsWith('.'))
        return sendJson(res, 400, { error: 'invalid config', fields: { name: 'letters, digits, . _ - only' } });
      const runDir = path.join(newRunsDir, name);
      if (existsSync(runDir))
        return sendJson(res, 409, { error: `${runDir} exists already`, fields: { name: 'a run of that name exists' } });
      mkdirSync(newRunsDir, { recursive: true });
      const id = idFor(runDir);
      live.set(id, new LiveRun(id, runDir, { type: 'train', runDir, preset: v.preset, config: v.config }));
      return sendJson(res, 201, { id, path: runDir });
    }
    const id = api[1]!;
    const dir = runOr404(id);
    const run = live.get(id);
    if (api.length === 2 && method === 'GET') {
      let config: unknown = null;
      try {
        config = JSON.parse(readFileSync(path.join(dir, 'config.json'), 'utf8'));
      } catch {
        // being created
      }
      return sendJson(res, 200, {
        summary: summarizeRun(id, dir, run?.running ?? false),
        config,
        metrics: readJsonl(path.join(dir, 'metrics.jsonl')),
        health: readJsonl(path.join(dir, 'health.jsonl')),
        samples: listSampleFiles(dir),
        live: run ? { state: run.state, done: run.done, error: run.error } : null,
      });
    }
    if (api[2] === 'events' && api.length === 3 && method === 'GET') {
      if (run) run.attach(res);
      else {
        sseOpen(res);
        sseWrite(res, 'hello', { id, state: null, done: null, error: null });
        res.end();
      }
      return;
    }
    if (api[2] === 'files' && (method === 'GET' || method === 'HEAD')) {
      const file = fileInside(dir, api.slice(3));
      if (!file) throw new HttpError(404, 'not found');
      return sendFile(res, file, method);
    }
    if (api[2] === 'control' && api.length === 3 && method === 'POST') {
      const body = controlSchema.safeParse(await readJsonBody(req));
      if (!body.success)
        throw new HttpError(
          400,
          `bad control: ${body.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
        );
      if (!run?.running) throw new HttpError(409, `run ${id} is not training in this studio`);
      const c = body.data;
      const cmd: ChildCommand =
        c.action === 'step'
          ? { type: 'step', phases: c.phases }
          : c.action === 'lr'
            ? { type: 'lr', optimizer: c.optimizer, lr: c.lr }
            : c.action === 'toy'
              ? { type: 'toy', on: c.on }
              : { type: c.action };
      run.command(cmd);
      return sendJson(res, 202, { ok: true });
    }
    if (api[2] === 'resume' && api.length === 3 && method === 'POST') {
      if (run?.running) throw new HttpError(409, `run ${id} is training already`);
      if (!existsSync(path.join(dir, 'checkpoints')))
        throw new HttpError(409, `run ${id} has no checkpoint to resume from`);
      const body = (await readJsonBody(req)) as { steps?: unknown };
      const config =
        typeof body.steps === 'number' && Number.isInteger(body.steps) && body.steps > 0 ? { steps: body.steps } : {};
      live.set(id, new LiveRun(id, dir, { type: 'train', runDir: dir, resume: true, config }));
      return sendJson(res, 202, { id });
    }
    if (api[2] === 'export' && api.length === 3 && method === 'POST') {
      await readJsonBody(req);
      if (!existsSync(path.join(dir, 'checkpoints'))) throw new HttpError(409, `run ${id} has no checkpoint yet`);
      try {
        const manifest = await exportInChild(dir, path.join(dir, 'export'));
        return sendJson(res, 200, { manifest, model: `/api/runs/${id}/files/export/model.json` });
      } catch (e) {
        throw new HttpError(422, (e as Error).message);
      }
    }
    throw new HttpError(404, 'not found');
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      const status = e instanceof HttpError ? e.status : 500;
      const message = e instanceof HttpError ? e.message : `internal error: ${(e as Error).message}`;
      if (res.headersSent) res.end();
      else sendError(res, status, message);
    });
  });
  server.headersTimeout = 20_000;
  server.requestTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(
        new StudioError(
          e.code === 'EADDRINUSE'
            ? `port ${port} on ${host} is in use (pick another with --port, or --port 0 for a free one)`
            : `cannot listen on ${host}:${port}: ${e.message}`,
        ),
      ),
    );
    server.listen(port, host, () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  actualPort = actual;
  const shown = host.includes(':') ? `[${host}]` : host;
  const origin = `http://${shown}:${actual}`;
  return {
    url: `${origin}/?token=${token}`,
    origin,
    token,
    port: actual,
    live,
    async close() {
      await Promise.all([...live.values()].map((r) => r.stop()));
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
