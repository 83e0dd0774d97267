// Progress of long non-training work (sample, interpolate): a cli-progress bar on a terminal, a plain
// line every few seconds otherwise (logs, pipes). Short jobs show nothing.
import cliProgress from 'cli-progress';

export interface WorkProgress {
  /** Reports units done out of total. */
  update(done: number, total: number): void;
  /** Stops the bar (safe to call more than once). */
  stop(): void;
}

/**
 * A progress display for `label` (e.g. 'samples'). The bar appears only when the work has more than
 * `minTotal` units; lines are written at most every `everyMs` milliseconds.
 */
export function workProgress(
  label: string,
  opts: { out?: NodeJS.WriteStream; minTotal?: number; everyMs?: number; now?: () => number } = {},
): WorkProgress {
  const out = opts.out ?? process.stderr;
  const now = opts.now ?? Date.now;
  const minTotal = opts.minTotal ?? 512;
  const everyMs = opts.everyMs ?? 5000;
  let bar: cliProgress.SingleBar | null = null;
  const t0 = now();
  let lastLine = t0;
  return {
    update(done, total) {
      if (total <= minTotal) return;
      if (out.isTTY) {
        if (!bar) {
          bar = new cliProgress.SingleBar(
            { format: `${label} {value}/{total} |{bar}| {percentage}% | ETA {eta_formatted}`, stream: out, fps: 5 },
            cliProgress.Presets.shades_classic,
          );
          bar.start(total, 0);
        }
        bar.update(done);
        if (done >= total) this.stop();
        return;
      }
      const t = now();
      if (t - lastLine < everyMs || done >= total) return;
      lastLine = t;
      const eta = ((t - t0) / Math.max(1, done)) * (total - done);
      out.write(
        `${label}: ${done}/${total} (${((100 * done) / total).toFixed(1)}%), about ${Math.ceil(eta / 1000)} s left\n`,
      );
    },
    stop() {
      bar?.stop();
      bar = null;
    },
  };
}
