// Progress display for a training run: a cli-progress bar (step, losses, img/s, ETA) on a TTY,
// plain log lines otherwise (CI logs, pipes). Subscribes to the trainer's typed events.
import cliProgress from 'cli-progress';

import type { TrainEvents } from './events.js';

export type ProgressMode = 'auto' | 'bar' | 'lines' | 'none';

const fmt = (v: number | undefined, d = 3) => (v == null || !Number.isFinite(v) ? String(v) : v.toFixed(d));

/** The log line's losses: a model without a D phase (an L1-only U-Net) shows lossG alone. */
const lossText = (r: { lossD?: number; lossG?: number }) =>
  [r.lossD === undefined ? '' : `lossD ${fmt(r.lossD)} `, r.lossG === undefined ? '' : `lossG ${fmt(r.lossG)} `].join(
    '',
  );

/** Attaches a display to the events; returns a function that detaches it (and stops the bar). */
export function attachProgress(
  events: TrainEvents,
  opts: { mode: ProgressMode; totalSteps: number; startStep: number; out?: NodeJS.WriteStream },
): () => void {
  const out = opts.out ?? process.stderr;
  const mode = opts.mode === 'auto' ? (out.isTTY ? 'bar' : 'lines') : opts.mode;
  const offs: (() => void)[] = [];
  const line = (s: string) => out.write(`${s}\n`);
  if (mode === 'none') return () => {};
  if (mode === 'bar') {
    const bar = new cliProgress.SingleBar(
      {
        format: 'step {value}/{total} |{bar}| D {lossD} G {lossG} | {ips} img/s | ETA {eta_formatted}',
        stream: out,
        hideCursor: true,
        etaBuffer: 50,
        fps: 5,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(opts.totalSteps, opts.startStep, { lossD: '-', lossG: '-', ips: '-' });
    offs.push(events.on('step', (e) => bar.update(e.step)));
    offs.push(
      events.on('log', (r) =>
        bar.update(r.step, {
          lossD: r.lossD === undefined ? '-' : fmt(r.lossD),
          lossG: fmt(r.lossG),
          ips: fmt(r.imgPerSec, 0),
        }),
      ),
    );
    const say = (s: string) => {
      bar.stop();
      line(s);
      bar.start(opts.totalSteps, bar.getProgress() * opts.totalSteps, {});
    };
    offs.push(events.on('health', (e) => say(`health: ${e.kind} (${e.severity}) at step ${e.step}: ${e.message}`)));
    offs.push(events.on('warning', (e) => say(`warning: ${e.message}`)));
    offs.push(events.on('done', () => bar.stop()));
    return () => {
      bar.stop();
      offs.forEach((f) => {
        f();
      });
    };
  }
  let t0 = Date.now();
  offs.push(
    events.on('log', (r) => {
      const left = opts.totalSteps - r.step;
      const perStep = r.step > opts.startStep ? (Date.now() - t0) / (r.step - opts.startStep) : 0;
      line(
        `step ${r.step}/${opts.totalSteps} ${lossText(r)}${fmt(r.imgPerSec, 0)} img/s ETA ${Math.round((left * perStep) / 1000)}s`,
      );
    }),
  );
  offs.push(events.on('checkpoint', (e) => line(`checkpoint ${e.file}`)));
  offs.push(events.on('health', (e) => line(`health: ${e.kind} (${e.severity}) at step ${e.step}: ${e.message}`)));
  offs.push(events.on('warning', (e) => line(`warning: ${e.message}`)));
  t0 = Date.now();
  return () =>
    offs.forEach((f) => {
      f();
    });
}
