// Live runs: each is a child process (src/studio/worker.ts) training in its run folder. The server
// keeps the last state, forwards every message to the run's server-sent-event clients, and writes
// control commands to the child. An export is a short-lived child of its own.
import { type ChildProcess, fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { setPriority } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { BASE_HEADERS } from './http_util.js';
import type { ChildCommand, ChildMessage, LiveState } from './protocol.js';

/** The worker script beside this file (.ts when running from source through tsx, .js when built). */
function workerScript(): { file: string; execArgv: string[] } {
  const here = fileURLToPath(import.meta.url);
  const ext = path.extname(here);
  const file = path.join(path.dirname(here), `worker${ext}`);
  if (!existsSync(file)) throw new Error(`studio: the training worker ${file} is missing (rebuild with npm run build)`);
  return { file, execArgv: ext === '.ts' ? ['--import', 'tsx'] : [] };
}

/** The training child's niceness: below the studio server and the browser showing it, so the page stays
 * responsive while a run takes every core; on an otherwise idle machine the run loses nothing. */
const WORKER_NICE = 10;

function forkWorker(): ChildProcess {
  const w = workerScript();
  const child = fork(w.file, [], {
    execArgv: w.execArgv,
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    env: { ...process.env, TSGAN_QUIET: '1' },
  });
  // Set at once, while the child is still starting: the threads it creates later (the engine's pool)
  // inherit the priority of its main thread.
  try {
    if (child.pid !== undefined) setPriority(child.pid, WORKER_NICE);
  } catch {
    // Not permitted here (some sandboxes): the run trains at the server's priority.
  }
  return child;
}

/** Writes one server-sent event. */
export function sseWrite(res: ServerResponse, event: string, data: unknown): void {
  res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

export function sseOpen(res: ServerResponse): void {
  res.writeHead(200, {
    ...BASE_HEADERS,
    'content-type': 'text/event-stream; charset=utf-8',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  res.write(': tsgan studio\n\n');
}

export class LiveRun {
  readonly child: ChildProcess;
  state: LiveState | null = null;
  done: { step: number; reason: string; message?: string } | null = null;
  error: string | null = null;
  private readonly clients = new Set<ServerResponse>();
  private stderr = '';
  /** Resolves when the child has exited. */
  readonly exited: Promise<number>;

  constructor(
    readonly id: string,
    readonly runDir: string,
    start: Extract<ChildCommand, { type: 'train' }>,
  ) {
    this.child = forkWorker();
    this.child.stderr?.on('data', (d: Buffer) => {
      this.stderr = (this.stderr + d.toString()).slice(-4000);
    });
    this.child.on('message', (m: ChildMessage) => this.onMessage(m));
    this.exited = new Promise((resolve) => {
      this.child.on('exit', (code) => {
        if (!this.done && !this.error) {
          this.error = `the training process ended unexpectedly (exit ${code})${this.stderr ? `: ${this.stderr.trim().split('\n').at(-1)}` : ''}`;
          this.broadcast({ type: 'error', message: this.error });
        }
        for (const c of this.clients) c.end();
        this.clients.clear();
        resolve(code ?? 0);
      });
    });
    this.child.send(start);
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null && !this.done && !this.error;
  }

  private onMessage(m: ChildMessage): void {
    if (m.type === 'exit') return;
    if (m.type === 'started' || m.type === 'state' || m.type === 'manual') this.state = m.state;
    if (m.type === 'progress' && this.state) {
      this.state = { ...this.state, step: m.step, phaseUpdates: m.phaseUpdates };
    }
    if (m.type === 'log' && this.state) {
      this.state = { ...this.state, step: m.record.step, lrs: { ...this.state.lrs, G: m.record.lrG, D: m.record.lrD } };
    }
    if (m.type === 'done') this.done = { step: m.step, reason: m.reason, message: m.message };
    if (m.type === 'error') this.error = m.message;
    this.broadcast(m);
  }

  private broadcast(m: ChildMessage): void {
    // 'error' is EventSource's own connection-error event: a run's failure travels as 'run-error'.
    const event = m.type === 'error' ? 'run-error' : m.type;
    for (const c of this.clients) sseWrite(c, event, m);
  }

  /** Adds an event-stream client: it gets the current state first. */
  attach(res: ServerResponse): void {
    sseOpen(res);
    sseWrite(res, 'hello', { id: this.id, state: this.state, done: this.done, error: this.error });
    if (!this.running) {
      res.end();
      return;
    }
    this.clients.add(res);
    res.on('close', () => this.clients.delete(res));
  }

  command(c: ChildCommand): void {
    if (!this.running) throw new Error('the run is not training (it has ended)');
    this.child.send(c);
  }

  /** Asks the child to save and stop; kills it if it has not ended after `graceMs`. */
  async stop(graceMs = 30_000): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    if (this.child.connected) this.child.send({ type: 'stop' } satisfies ChildCommand);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}

/** Exports a run's generator (EMA copy) into outDir in a child process. */
export function exportInChild(runDir: string, outDir: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const child = forkWorker();
    let stderr = '';
    let result: Record<string, unknown> | null = null;
    let error: string | null = null;
    child.stderr?.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-2000);
    });
    child.on('message', (m: ChildMessage) => {
      if (m.type === 'exported') result = m.manifest;
      if (m.type === 'error') error = m.message;
    });
    child.on('exit', (code) => {
      if (result) resolve(result);
      else reject(new Error(error ?? `export failed (exit ${code}): ${stderr.trim().split('\n').at(-1) ?? ''}`));
    });
    child.send({ type: 'export', runDir, outDir } satisfies ChildCommand);
  });
}
