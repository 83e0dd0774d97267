// `tsgan serve DIR`: a small static HTTP server for an exported generator's web page. Browsers do not
// let a page opened as a file (file://) read model.json beside it, so the page must come over HTTP;
// this needs nothing but Node (no network, no other package). Read-only: GET and HEAD of the files
// inside the folder, no listings, nothing outside it.
import { createReadStream, existsSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.bin': 'application/octet-stream',
  '.png': 'image/png',
  '.gif': 'image/gif',
  '.css': 'text/css; charset=utf-8',
};

export interface ServeOptions {
  /** TCP port; 0 picks a free one (default 8000). */
  port?: number;
  /** Address to listen on (default 127.0.0.1: this machine only). */
  host?: string;
}

export interface FolderServer {
  /** The page's address, e.g. http://127.0.0.1:8000/ */
  url: string;
  port: number;
  /** Stops listening and closes open connections. */
  close(): Promise<void>;
}

/** The file a request path names inside `root`, or null when it is outside the folder or absent. */
function resolveRequest(root: string, urlPath: string): string | null {
  let rel: string;
  try {
    rel = decodeURIComponent(urlPath.split('?')[0]!.split('#')[0]!);
  } catch {
    return null;
  }
  if (rel.endsWith('/')) rel += 'index.html';
  const file = path.resolve(root, `.${path.posix.normalize(`/${rel}`)}`);
  if (file !== root && !file.startsWith(root + path.sep)) return null;
  try {
    return statSync(file).isFile() ? file : null;
  } catch {
    return null;
  }
}

/** Serves the files of `dir` over HTTP until close() is called. */
export async function serveFolder(dir: string, opts: ServeOptions = {}): Promise<FolderServer> {
  const root = path.resolve(dir);
  if (!existsSync(root)) throw new Error(`serve: ${dir} does not exist`);
  if (!statSync(root).isDirectory()) throw new Error(`serve: ${dir} is a file, not a folder`);
  const port = opts.port ?? 8000;
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`serve: --port must be an integer from 0 to 65535, got ${port}`);
  const host = opts.host ?? '127.0.0.1';
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    const file = resolveRequest(root, req.url ?? '/');
    if (file == null) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found\n');
      return;
    }
    const type = CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
    res.writeHead(200, { 'Content-Type': type, 'Content-Length': statSync(file).size, 'Cache-Control': 'no-cache' });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EADDRINUSE')
        reject(new Error(`serve: port ${port} is in use; choose another with --port (0 picks a free one)`));
      else if (e.code === 'EACCES')
        reject(new Error(`serve: port ${port} needs more privileges; choose one above 1023 with --port`));
      else if (e.code === 'EADDRNOTAVAIL' || e.code === 'ENOTFOUND')
        reject(new Error(`serve: cannot listen on --host ${host}: not an address of this machine`));
      else reject(new Error(`serve: cannot listen on ${host}:${port}: ${e.message}`));
    });
    server.listen(port, host, () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${actual}/`,
    port: actual,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
