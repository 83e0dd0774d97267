// The studio's training process: the server forks one per live run (and one per export), so the
// server and the page stay responsive while tensors are computed. It receives ChildCommands over
// the IPC channel and sends ChildMessages back (src/studio/protocol.ts). Controls act between
// steps through train()'s beforeStep hook: pause waits there (single D or G steps still run while
// paused), stop saves a checkpoint and ends the run, a learning-rate change is appended to
// metrics.jsonl as {"step", "control": "lr", "optimizer", "lr"} so the run's log says what was done.
import { appendFileSync } from 'node:fs';
import path from 'node:path';

import { useBackend } from '../backend/select.js';
import { exportRun } from '../export/export_run.js';
import { train } from '../train/run.js';
import type { Trainer } from '../train/trainer.js';
import type { ChildCommand, ChildMessage, LiveState } from './protocol.js';
import { toyView } from './toy_view.js';

/** Shortest time between two progress messages and between two 2-D frames. */
const PROGRESS_MS = 200;
const TOY_MS = 250;

function send(m: ChildMessage): void {
  if (process.connected) process.send?.(m);
}

function liveState(t: Trainer, paused: boolean, toy: boolean): LiveState {
  return {
    step: t.step,
    totalSteps: t.config.steps,
    paused,
    phaseUpdates: { ...t.phaseUpdates },
    lrs: Object.fromEntries(Object.keys(t.optimizers).map((k) => [k, t.lr(k)])),
    phases: [...new Set(t.phases.map((p) => p.name))],
    toy,
  };
}

async function runTraining(
  cmd: Extract<ChildCommand, { type: 'train' }>,
  inbox: ChildCommand[],
  wake: () => Promise<void>,
) {
  await useBackend(cmd.backend ?? 'native');
  let paused = false;
  let toyOn = false;
  let toySent = 0;
  let toyFirst = true;
  let lastProgress = 0;
  let view: ReturnType<typeof toyView> = null;
  const toyFrame = (force: boolean, t: Trainer) => {
    if (!view || !toyOn) return;
    const now = performance.now();
    if (!force && now - toySent < TOY_MS) return;
    toySent = now;
    send({ type: 'toy', frame: view.frame(toyFirst) });
    toyFirst = false;
  };
  const res = await train({
    preset: cmd.resume ? undefined : cmd.preset,
    config: cmd.config ?? {},
    runDir: cmd.runDir,
    resume: cmd.resume ? cmd.runDir : undefined,
    progress: 'none',
    warn: (message) => send({ type: 'warning', step: -1, message }),
    onStart: (t, runDir) => {
      view = toyView(t);
      send({ type: 'started', runDir, state: liveState(t, paused, view != null) });
      t.events.on('log', (record) => send({ type: 'log', record }));
      t.events.on('sample', (e) => send({ type: 'sample', step: e.step, file: path.basename(e.file ?? '') }));
      t.events.on('health', (event) => send({ type: 'health', event: event as unknown as Record<string, unknown> }));
      t.events.on('warning', (w) => send({ type: 'warning', step: w.step, message: w.message }));
      t.events.on('step', (e) => {
        const now = performance.now();
        if (now - lastProgress < PROGRESS_MS) return;
        lastProgress = now;
        send({ type: 'progress', step: e.step, ms: e.ms, phaseUpdates: { ...t.phaseUpdates } });
      });
    },
    beforeStep: async (t) => {
      for (;;) {
        while (inbox.length) {
          const c = inbox.shift()!;
          if (c.type === 'stop') return 'stop';
          if (c.type === 'pause' || c.type === 'resume') {
            paused = c.type === 'pause';
            send({ type: 'state', state: liveState(t, paused, view != null) });
          } else if (c.type === 'toy') {
            toyOn = c.on;
            toyFirst = true;
            toyFrame(true, t);
          } else if (c.type === 'step') {
            const known = new Set(t.phases.map((p) => p.name));
            const phases = c.phases.filter((p) => known.has(p));
            if (phases.length === 0) {
              send({
                type: 'warning',
                step: t.step,
                message: `no phase named ${c.phases.join(', ')} (${[...known].join(', ')})`,
              });
              continue;
            }
            const r = t.trainStep(false, phases);
            send({ type: 'manual', phases, losses: r.losses, state: liveState(t, paused, view != null) });
            toyFrame(true, t);
          } else if (c.type === 'lr') {
            try {
              t.setLearningRate(c.optimizer, c.lr);
              appendFileSync(
                path.join(cmd.runDir, 'metrics.jsonl'),
                `${JSON.stringify({ step: t.step, control: 'lr', optimizer: c.optimizer, lr: c.lr })}\n`,
              );
              send({ type: 'state', state: liveState(t, paused, view != null) });
            } catch (e) {
              send({ type: 'warning', step: t.step, message: (e as Error).message });
            }
          }
        }
        if (!paused) break;
        await wake();
      }
      toyFrame(false, t);
      return undefined;
    },
  });
  send({ type: 'done', step: res.step, reason: res.reason, message: res.message });
  res.trainer.dispose();
}

async function runExport(cmd: Extract<ChildCommand, { type: 'export' }>) {
  await useBackend(cmd.backend ?? 'native');
  // The generator (its EMA copy when the run keeps one) in the TF.js layers format, without the page.
  const r = await exportRun(cmd.runDir, cmd.outDir, { format: 'tfjs', page: false });
  if (r.format === 'tfjs') send({ type: 'exported', manifest: r.manifest as unknown as Record<string, unknown> });
}

function main(): void {
  const inbox: ChildCommand[] = [];
  let waiter: (() => void) | null = null;
  const wake = () =>
    new Promise<void>((r) => {
      waiter = r;
    });
  let started = false;
  process.on('message', (m: ChildCommand) => {
    if (!started && (m.type === 'train' || m.type === 'export')) {
      started = true;
      const job = m.type === 'train' ? runTraining(m, inbox, wake) : runExport(m);
      // Exit once the last message is delivered (the native thread pool would keep the process up).
      const finish = (code: number) => {
        if (!process.connected) process.exit(code);
        process.send?.({ type: 'exit', code } satisfies ChildMessage, () => process.exit(code));
      };
      job.then(
        () => finish(0),
        (e: Error) => {
          send({ type: 'error', message: e.message });
          finish(1);
        },
      );
      return;
    }
    inbox.push(m);
    const w = waiter;
    waiter = null;
    w?.();
  });
  // The server went away: stop like Ctrl-C would (checkpoint, then exit).
  process.on('disconnect', () => {
    if (!started) process.exit(0);
    inbox.push({ type: 'stop' });
    const w = waiter;
    waiter = null;
    w?.();
  });
}

main();
