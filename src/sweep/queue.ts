// Sweeps over BullMQ (a Redis-backed job queue): `tsgan sweep --queue redis://HOST:PORT` adds each
// segment as a job; `tsgan worker --queue redis://HOST:PORT`, on any number of machines, runs them in
// a sandboxed child process (processor.ts: the worker's own process stays free to renew the job's lock
// during CPU-heavy training). Progress comes back through BullMQ's progress events, the rung result
// as the job's return value. Checkpoints live in the sweep folder, which every worker reaches at the
// same path (a network file system or the like). A worker that dies mid-segment stops renewing its
// lock: BullMQ moves the job back to the queue ("stalled") and another worker resumes the trial from
// its last checkpoint.
import { createHash } from 'node:crypto';
import path from 'node:path';

import { Job, Queue, QueueEvents, Worker } from 'bullmq';
import { Redis } from 'ioredis';

import { childExecArgv, type Executor, siblingModule } from './executor.js';
import { type SegmentOutcome, SegmentInterrupted, type SegmentTask } from './segment.js';

/** The queue the sweeps and workers share by default. */
export const DEFAULT_QUEUE_NAME = 'tsgan-trials';
/** How long a connection to Redis may take before it is an error. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 5000;

export class QueueError extends Error {
  override name = 'QueueError';
}

interface RedisTarget {
  host: string;
  port: number;
  db: number;
  username?: string;
  password?: string;
}

/** Parses redis://[user:password@]HOST[:PORT][/DB]; anything else is a sentence. */
export function parseRedisUrl(url: string): RedisTarget {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new QueueError(`--queue ${url}: not a Redis address (write redis://HOST:PORT, e.g. redis://127.0.0.1:6379)`);
  }
  if (u.protocol !== 'redis:' || !u.hostname)
    throw new QueueError(`--queue ${url}: not a Redis address (write redis://HOST:PORT, e.g. redis://127.0.0.1:6379)`);
  const db = u.pathname && u.pathname !== '/' ? Number(u.pathname.slice(1)) : 0;
  if (!Number.isInteger(db) || db < 0)
    throw new QueueError(`--queue ${url}: the database '${u.pathname.slice(1)}' is not a number`);
  return {
    host: u.hostname.replace(/^\[|\]$/g, ''),
    port: u.port ? Number(u.port) : 6379,
    db,
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
  };
}

/** Connects and PINGs within `timeoutMs`, or throws a sentence naming the address. */
export async function checkRedis(url: string, timeoutMs = DEFAULT_CONNECT_TIMEOUT_MS): Promise<RedisTarget> {
  const target = parseRedisUrl(url);
  const client = new Redis({
    ...target,
    lazyConnect: true,
    connectTimeout: timeoutMs,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
  });
  let lastError: NodeJS.ErrnoException | null = null;
  client.on('error', (e: NodeJS.ErrnoException) => {
    lastError = e; // reported below
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      client.connect().then(() => client.ping()),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
      }),
    ]);
  } catch (e) {
    const err = (lastError ?? e) as NodeJS.ErrnoException;
    const why =
      err.code === 'ECONNREFUSED'
        ? 'connection refused'
        : err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN'
          ? `no such host '${target.host}'`
          : (err.code ?? err.message);
    throw new QueueError(
      `cannot reach Redis at ${url}: ${why} (is redis-server running there and reachable from this machine? tsgan waits at most ${timeoutMs / 1000} s)`,
    );
  } finally {
    clearTimeout(timer);
    client.disconnect();
  }
  return target;
}

const connectionOf = (t: RedisTarget) => ({ ...t, maxRetriesPerRequest: null });

export interface QueueExecutorOptions {
  /** Segments in the queue at once (default 4). */
  parallel?: number;
  queueName?: string;
  connectTimeoutMs?: number;
  /** Starts per segment (a worker that dies mid-segment costs one; default 3). */
  attempts?: number;
  log?: (line: string) => void;
}

/** A job's id: the sweep folder, the trial and the rung (the same segment is never queued twice). */
export function segmentJobId(task: SegmentTask): string {
  const sweep = createHash('sha256').update(path.resolve(task.sweepDir)).digest('hex').slice(0, 8);
  return `${sweep}-${task.trialId}-${task.until}`;
}

export async function queueExecutor(url: string, opts: QueueExecutorOptions = {}): Promise<Executor> {
  const target = await checkRedis(url, opts.connectTimeoutMs);
  const name = opts.queueName ?? DEFAULT_QUEUE_NAME;
  const queue = new Queue(name, { connection: connectionOf(target) });
  const events = new QueueEvents(name, { connection: connectionOf(target) });
  await events.waitUntilReady();
  const listeners = new Map<string, (step: number, total: number) => void>();
  // Interrupting stops waiting: the jobs go on in the workers, and a re-run picks up their results.
  const stop = new AbortController();
  const stopped = new Promise<never>((_, reject) =>
    stop.signal.addEventListener('abort', () =>
      reject(new SegmentInterrupted('the sweep stopped waiting (the queued segments go on in the workers)')),
    ),
  );
  stopped.catch(() => {});
  events.on('progress', ({ jobId, data }: { jobId: string; data: unknown }) => {
    const p = data as { step?: number; total?: number };
    if (typeof p?.step === 'number' && typeof p.total === 'number') listeners.get(jobId)?.(p.step, p.total);
  });
  if ((await queue.getWorkersCount()) === 0)
    opts.log?.(`no worker is connected to ${url} yet: start some with  tsgan worker --queue ${url}`);
  return {
    capacity: Math.max(1, opts.parallel ?? 4),
    async run(task, onProgress) {
      const jobId = segmentJobId(task);
      listeners.set(jobId, onProgress);
      try {
        let job = await Job.fromId(queue, jobId);
        const state = job ? await job.getState() : 'unknown';
        if (job && state === 'completed') return job.returnvalue as SegmentOutcome;
        if (job && state === 'failed') {
          // Its starts ran out in an earlier sweep (workers died): queue it again.
          await job.remove();
          job = undefined;
        }
        job ??= await queue.add('segment', task, {
          jobId,
          attempts: opts.attempts ?? 3,
          backoff: { type: 'fixed', delay: 1000 },
          removeOnComplete: false,
          removeOnFail: false,
        });
        try {
          return (await Promise.race([job.waitUntilFinished(events), stopped])) as SegmentOutcome;
        } catch (e) {
          if (e instanceof SegmentInterrupted) throw e;
          const why = e instanceof Error ? e.message : String(e);
          if (/interrupted/.test(why)) throw new SegmentInterrupted(why);
          return { ok: false, failure: { trialId: task.trialId, error: why, step: task.until } };
        }
      } finally {
        listeners.delete(jobId);
      }
    },
    interrupt() {
      stop.abort();
    },
    async close() {
      await events.close();
      await queue.close();
    },
  };
}

export interface WorkerOptions {
  queueName?: string;
  connectTimeoutMs?: number;
  /** Segments this worker runs at once (default 1: training uses every core). */
  concurrency?: number;
  /** Milliseconds a job's lock lasts without renewal (default 30,000): a dead worker's job is retried after about this long. */
  lockDuration?: number;
  /** Milliseconds between checks for stalled jobs (default 30,000). */
  stalledInterval?: number;
  log?: (line: string) => void;
  /** Stops the worker when aborted (the CLI aborts on Ctrl-C / SIGTERM). */
  signal?: AbortSignal;
}

/** Runs segments from the queue until `signal` aborts; resolves once the worker has closed. */
export async function runWorker(url: string, opts: WorkerOptions = {}): Promise<void> {
  const target = await checkRedis(url, opts.connectTimeoutMs);
  const log = opts.log ?? (() => {});
  const worker = new Worker(opts.queueName ?? DEFAULT_QUEUE_NAME, siblingModule('processor'), {
    connection: connectionOf(target),
    concurrency: opts.concurrency ?? 1,
    lockDuration: opts.lockDuration ?? 30000,
    stalledInterval: opts.stalledInterval ?? 30000,
    // A worker that dies mid-segment stalls its job; it is retried (and resumes) up to 3 times.
    maxStalledCount: 3,
    useWorkerThreads: false,
    workerForkOptions: { execArgv: childExecArgv() },
  });
  worker.on('active', (job: Job) => log(`trial ${job.data.trialId}: training to step ${job.data.until}`));
  worker.on('completed', (job: Job) => {
    const o = job.returnvalue as SegmentOutcome;
    log(
      o.ok
        ? `trial ${o.result.trialId}: step ${o.result.step}, ${job.data.metric.name} ${o.result.value ?? 'n/a'} (${o.result.seconds} s)`
        : `trial ${o.failure.trialId}: failed: ${o.failure.error}`,
    );
  });
  worker.on('failed', (job: Job | undefined, err: Error) =>
    log(
      `trial ${job?.data.trialId ?? '?'}: ${err.message}${job && job.attemptsMade < (job.opts.attempts ?? 1) ? ' (it will be retried)' : ''}`,
    ),
  );
  worker.on('error', (err: Error) => log(`worker: ${err.message}`));
  await worker.waitUntilReady();
  log(`worker ready on ${url} (queue ${opts.queueName ?? DEFAULT_QUEUE_NAME})`);
  await new Promise<void>((resolve) => {
    if (opts.signal?.aborted) resolve();
    opts.signal?.addEventListener('abort', () => resolve(), { once: true });
  });
  await worker.close();
}
