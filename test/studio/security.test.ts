import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { type Studio, startStudio } from '../../src/studio/server.js';

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A raw request: the path goes on the wire exactly as written (no URL normalization). */
function request(
  studio: Studio,
  rawPath: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string | Buffer; chunks?: Buffer[] } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: studio.port, path: rawPath, method: opts.method ?? 'GET', headers: opts.headers },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (c: Buffer) => parts.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts).toString() }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (opts.chunks) {
      for (const c of opts.chunks) req.write(c);
      req.end();
    } else req.end(opts.body);
  });
}

const root = mkdtempSync(path.join(tmpdir(), 'tsgan-studio-sec-'));
const runs = path.join(root, 'runs');
const run = path.join(runs, 'demo');
const assets = path.join(root, 'assets');
const secret = path.join(root, 'secret.txt');
let studio: Studio;
let auth: Record<string, string>;

before(async () => {
  mkdirSync(path.join(run, 'samples'), { recursive: true });
  mkdirSync(path.join(assets, 'assets'), { recursive: true });
  writeFileSync(path.join(run, 'config.json'), JSON.stringify({ preset: null, config: { steps: 10 } }));
  writeFileSync(path.join(run, 'metrics.jsonl'), '{"step":5,"lossD":1.2,"lossG":0.7}\n');
  writeFileSync(path.join(run, 'samples', 'step-0000005.png'), 'png bytes');
  writeFileSync(secret, 'top secret');
  symlinkSync(secret, path.join(run, 'samples', 'link.png')); // a file link out of the run
  symlinkSync(root, path.join(run, 'up')); // a folder link out of the run
  writeFileSync(path.join(assets, 'index.html'), '<!doctype html><title>studio</title>');
  writeFileSync(path.join(assets, 'assets', 'app.js'), 'console.log(1)');
  studio = await startStudio({ runDirs: [runs], port: 0, assetsDir: assets });
  auth = { authorization: `Bearer ${studio.token}` };
});

after(async () => {
  await studio.close();
});

test('studio: binds to 127.0.0.1 and prints a URL with a long random token', () => {
  assert.match(studio.url, /^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{32}$/);
  assert.notEqual(studio.token, 'undefined');
});

test('studio: every route without the token answers 401 (API, assets, streams, run files, unknown paths)', async () => {
  const routes: Array<[string, string]> = [
    ['GET', '/'],
    ['GET', '/index.html'],
    ['GET', '/assets/app.js'],
    ['GET', '/api/runs'],
    ['GET', '/api/presets'],
    ['GET', '/api/runs/r1'],
    ['GET', '/api/runs/r1/events'],
    ['GET', '/api/runs/r1/files/samples/step-0000005.png'],
    ['GET', '/api/runs/r1/files/%2e%2e/%2e%2e/secret.txt'],
    ['POST', '/api/runs'],
    ['POST', '/api/runs/r1/control'],
    ['POST', '/api/runs/r1/export'],
    ['GET', '/no/such/thing'],
  ];
  for (const [method, p] of routes) {
    const r = await request(studio, p, {
      method,
      headers: { 'content-type': 'application/json' },
      body: method === 'POST' ? '{}' : undefined,
    });
    assert.equal(r.status, 401, `${method} ${p}`);
    assert.doesNotMatch(r.body, /secret|console\.log|lossD/, `${method} ${p} leaks nothing`);
  }
  // A wrong token (same length, or a prefix of it) is refused too.
  const wrong = `${studio.token.slice(0, -1)}${studio.token.endsWith('A') ? 'B' : 'A'}`;
  for (const t of [wrong, studio.token.slice(0, 10), ''])
    assert.equal((await request(studio, `/api/runs?token=${t}`)).status, 401, `token ${t}`);
  assert.equal(
    (await request(studio, '/api/runs', { headers: { cookie: `tsgan_studio_${studio.port}=${wrong}` } })).status,
    401,
  );
  // Another studio's cookie (cookies ignore ports) is not this one's.
  assert.equal(
    (await request(studio, '/api/runs', { headers: { cookie: `tsgan_studio_1=${studio.token}` } })).status,
    401,
  );
});

test('studio: the token in the URL becomes an HttpOnly SameSite=Strict cookie, then works alone', async () => {
  const first = await request(studio, `/?token=${studio.token}`);
  assert.equal(first.status, 303);
  assert.equal(first.headers.location, '/', 'the token leaves the address bar');
  const cookie = String(first.headers['set-cookie']);
  assert.match(cookie, new RegExp(`^tsgan_studio_${studio.port}=`));
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Strict/);
  const page = await request(studio, '/', { headers: { cookie: cookie.split(';')[0]! } });
  assert.equal(page.status, 200);
  assert.match(page.body, /<title>studio<\/title>/);
  const runsList = await request(studio, '/api/runs', { headers: { cookie: cookie.split(';')[0]! } });
  assert.equal(runsList.status, 200);
  const list = JSON.parse(runsList.body) as { runs: Array<{ id: string; name: string; step: number }> };
  assert.deepEqual(
    list.runs.map((r) => [r.id, r.name, r.step]),
    [['r1', 'demo', 5]],
  );
});

test('studio: traversal, encoded traversal and symlinks out of a run folder answer 404', async () => {
  assert.equal((await request(studio, '/api/runs/r1/files/samples/step-0000005.png', { headers: auth })).status, 200);
  const bad = [
    '/api/runs/r1/files/../../secret.txt',
    '/api/runs/r1/files/%2e%2e/%2e%2e/secret.txt',
    '/api/runs/r1/files/%2E%2E/%2E%2E/secret.txt',
    '/api/runs/r1/files/samples/%2e%2e%2f%2e%2e%2f%2e%2e%2fsecret.txt',
    '/api/runs/r1/files/..%5c..%5csecret.txt',
    '/api/runs/r1/files/samples/link.png',
    '/api/runs/r1/files/up/secret.txt',
    '/api/runs/r1/files/%00',
    '/assets/../../secret.txt',
    '/%2e%2e/secret.txt',
    '/api/runs/r1/files/samples/%E0%A4%A',
  ];
  for (const p of bad) {
    const r = await request(studio, p, { headers: auth });
    assert.equal(r.status, 404, p);
    assert.doesNotMatch(r.body, /top secret/, p);
  }
});

test('studio: bodies over the cap answer 413 (declared or streamed), other types 415', async () => {
  const big = Buffer.alloc(200 * 1024, 32);
  const declared = await request(studio, '/api/validate', {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json', 'content-length': String(big.length) },
    body: big,
  });
  assert.equal(declared.status, 413);
  assert.match(declared.body, /too large/);
  const streamed = await request(studio, '/api/validate', {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
    chunks: [big.subarray(0, 40_000), big.subarray(40_000, 80_000), big.subarray(80_000)],
  });
  assert.equal(streamed.status, 413);
  const form = await request(studio, '/api/validate', {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'a=1',
  });
  assert.equal(form.status, 415);
});

test('studio: no CORS header, even to a request from another origin', async () => {
  for (const method of ['GET', 'OPTIONS']) {
    const r = await request(studio, '/api/runs', {
      method,
      headers: { ...auth, origin: 'http://evil.example', 'access-control-request-method': 'POST' },
    });
    assert.equal(r.headers['access-control-allow-origin'], undefined, method);
    assert.equal(r.headers['access-control-allow-credentials'], undefined, method);
  }
});

test('studio: the new-run form is validated field by field', async () => {
  const r = await request(studio, '/api/validate', {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ preset: 'vanilla-ring8', config: { lr: -1, model: { depth: 2.5 }, stepz: 3 } }),
  });
  assert.equal(r.status, 400);
  const fields = (JSON.parse(r.body) as { fields: Record<string, string> }).fields;
  assert.deepEqual(Object.keys(fields).sort(), ['lr', 'model.depth', 'stepz']);
  const ok = await request(studio, '/api/validate', {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ preset: 'vanilla-ring8', config: { steps: 20 } }),
  });
  assert.equal(ok.status, 200);
});

test('studio: a non-loopback host needs allowRemote, and then warns', async () => {
  await assert.rejects(startStudio({ host: '0.0.0.0', port: 0, runDirs: [runs] }), /refusing to listen on 0\.0\.0\.0/);
  await assert.rejects(startStudio({ host: '::', port: 0, runDirs: [runs] }), /refusing to listen on ::/);
  const warnings: string[] = [];
  const open = await startStudio({
    host: '0.0.0.0',
    port: 0,
    runDirs: [runs],
    allowRemote: true,
    warn: (m) => warnings.push(m),
  });
  await open.close();
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /anyone on your network/);
  await assert.rejects(startStudio({ port: 70000, runDirs: [runs] }), /--port must be an integer/);
  await assert.rejects(startStudio({ port: 0, runDirs: [path.join(root, 'nope')] }), /no such folder/);
});

test('tsgan studio (CLI): a non-loopback --host without --allow-remote, a missing folder, a bad port: one sentence each', async () => {
  const { runCli } = await import('../helpers/cli.js');
  await assert.rejects(
    runCli(['studio', runs, '--host', '0.0.0.0', '--port', '0'], { quiet: true }),
    /refusing to listen on 0\.0\.0\.0.*--allow-remote/,
  );
  await assert.rejects(runCli(['studio', path.join(root, 'nope'), '--port', '0'], { quiet: true }), /no such folder/);
  await assert.rejects(runCli(['studio', runs, '--port', 'x'], { quiet: true }), /--port takes an integer/);
});
