// The studio's HTTP safety rules in one place: the access token (query, cookie or bearer header,
// compared in constant time), request paths split into decoded segments with every traversal form
// refused, files served only from inside a base folder (symlinks resolved, then checked again),
// request bodies read up to a cap, and the response headers every answer carries (no CORS header at
// all: a page of another origin cannot read anything, and SameSite=Strict keeps the cookie home).
import { timingSafeEqual } from 'node:crypto';
import { createReadStream, realpathSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';

/** Name of the cookie that carries the token after the first visit (cookies ignore ports: one name per port). */
export function tokenCookie(port: number): string {
  return `tsgan_studio_${port}`;
}

/** Largest request body the studio reads (JSON forms and control commands are a few hundred bytes). */
export const MAX_BODY_BYTES = 64 * 1024;

/** An error the studio turns into a status code and one sentence. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Headers every response carries. */
export const BASE_HEADERS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cache-control': 'no-store',
  // Scripts, styles and fonts come from the studio itself; models load over fetch from it too.
  'content-security-policy':
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; worker-src 'self' blob:; frame-ancestors 'none'",
};

/** True when `given` is the token (constant time in the token's length). */
export function tokenMatches(given: string | null | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The token a request carries: ?token=, the cookie, or Authorization: Bearer. */
export function requestToken(req: IncomingMessage, query: URLSearchParams, cookie: string): string | null {
  const q = query.get('token');
  if (q) return q;
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice(7).trim();
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === cookie) return v.join('=');
  }
  return null;
}

/**
 * The request path as decoded segments, or null when it tries to leave where it points: a `.` or
 * `..` segment (plain or percent-encoded, %2e%2e), an encoded slash or backslash, a NUL byte, or
 * bad percent-encoding. The raw URL is split before decoding, so nothing decodes into a separator.
 */
export function pathSegments(rawUrl: string): { segments: string[]; query: URLSearchParams } | null {
  const q = rawUrl.indexOf('?');
  const rawPath = q >= 0 ? rawUrl.slice(0, q) : rawUrl;
  const query = new URLSearchParams(q >= 0 ? rawUrl.slice(q + 1) : '');
  if (!rawPath.startsWith('/')) return null;
  const segments: string[] = [];
  for (const raw of rawPath.split('/').slice(1)) {
    let s: string;
    try {
      s = decodeURIComponent(raw);
    } catch {
      return null;
    }
    if (s === '.' || s === '..' || /[/\\\0]/.test(s)) return null;
    if (s !== '') segments.push(s);
  }
  return { segments, query };
}

/**
 * The real path of base/rel when it is a regular file inside base once every symlink is resolved,
 * else null (missing, a folder, or somewhere else: the caller answers 404 for all of these).
 */
export function fileInside(base: string, rel: string[]): string | null {
  let realBase: string;
  try {
    realBase = realpathSync(base);
  } catch {
    return null;
  }
  const joined = path.resolve(realBase, ...rel);
  if (joined !== realBase && !joined.startsWith(realBase + path.sep)) return null;
  let real: string;
  try {
    real = realpathSync(joined);
  } catch {
    return null;
  }
  if (!real.startsWith(realBase + path.sep)) return null;
  try {
    if (!statSync(real).isFile()) return null;
  } catch {
    return null;
  }
  return real;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.jsonl': 'text/plain; charset=utf-8',
  '.png': 'image/png',
  '.gif': 'image/gif',
  '.svg': 'image/svg+xml',
  '.bin': 'application/octet-stream',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

/** Streams a file (already checked with fileInside). */
export function sendFile(res: ServerResponse, file: string, method: string): void {
  const type = TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
  const size = statSync(file).size;
  res.writeHead(200, { ...BASE_HEADERS, 'content-type': type, 'content-length': String(size) });
  if (method === 'HEAD') {
    res.end();
    return;
  }
  createReadStream(file).pipe(res);
}

export function sendJson(res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void {
  const data = JSON.stringify(body);
  res.writeHead(status, {
    ...BASE_HEADERS,
    ...extra,
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(data)),
  });
  res.end(data);
}

export function sendError(res: ServerResponse, status: number, message: string): void {
  sendJson(res, status, { error: message });
}

/** Reads a JSON body of at most `limit` bytes (413 past it, 415 for another content type, 400 for bad JSON). */
export function readJsonBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) {
      reject(new HttpError(413, `request body too large: ${declared} bytes (the studio reads at most ${limit})`));
      req.resume();
      return;
    }
    const type = String(req.headers['content-type'] ?? '');
    if (!type.startsWith('application/json')) {
      reject(new HttpError(415, 'the studio reads JSON bodies only (content-type: application/json)'));
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (c: Buffer) => {
      if (done) return;
      size += c.length;
      if (size > limit) {
        done = true;
        reject(new HttpError(413, `request body too large: over ${limit} bytes (the studio reads at most ${limit})`));
        req.resume();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (done) return;
      done = true;
      const text = Buffer.concat(chunks).toString('utf8');
      try {
        resolve(text.trim() === '' ? {} : JSON.parse(text));
      } catch {
        reject(new HttpError(400, 'the request body is not valid JSON'));
      }
    });
    req.on('error', (e) => {
      if (!done) reject(e);
      done = true;
    });
  });
}

/** True for addresses that only this machine can reach. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}
