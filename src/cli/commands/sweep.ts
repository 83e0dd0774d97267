// `tsgan sweep SPEC` and `tsgan worker --queue URL`: options only; the work is src/sweep/.
import path from 'node:path';

import type { Command } from 'commander';

import { formatLeaderboard, readSweepSpec, runSweep, runWorker } from '../../sweep/index.js';

export function registerSweep(program: Command): void {
  program
    .command('sweep <spec>')
    .description(
      'run many trials of a preset (a JSON or YAML spec: fields to vary, metric, budget) with ASHA early stopping; prints a leaderboard',
    )
    .option(
      '--dir <folder>',
      'the sweep folder (default runs/sweeps/<name>; with --queue: a folder every worker reaches at the same path)',
    )
    .option('--workers <n>', 'worker processes on this machine (default 2)', Number)
    .option('--queue <url>', 'redis://HOST:PORT: trials become BullMQ jobs that `tsgan worker` processes run')
    .option('--parallel <n>', 'with --queue: segments queued at once (default 4)', Number)
    .option('--queue-name <name>', 'with --queue: the BullMQ queue (default tsgan-trials)')
    .option('--connect-timeout <s>', 'with --queue: seconds to reach Redis before giving up', Number, 5)
    .addHelpText(
      'after',
      `
A spec (YAML or JSON):
  preset: dcgan-fmnist
  config: { logEvery: 100 }          # fields every trial shares
  vary: { lr: [1e-4, 2e-4, 4e-4] }   # dotted config fields: a grid; or search: random, samples: 8,
                                     #   with lists or ranges {min: 1e-5, max: 1e-3, log: true}
  metric: fid-fmnist                 # or lossG, is-fmnist (max), {name: ..., goal: min|max}
  evalN: 1000                        # images per evaluation of an fmnist metric
  steps: 4000                        # the full budget of a trial
  asha: { minSteps: 500, eta: 3 }    # rungs 500, 1500, 4000; the top third goes on (mode: async|sync)

Each trial trains in SWEEP/trials/<id> (id: a hash of its config) with checkpoints; running the same
sweep again skips what is finished and resumes the rest from its checkpoints. The leaderboard goes to
the terminal, SWEEP/leaderboard.json and SWEEP/leaderboard.html.

Examples:
  $ tsgan sweep lr.yaml
  $ tsgan sweep lr.yaml --workers 4 --dir /shared/sweeps/lr
  $ tsgan sweep lr.yaml --queue redis://10.0.0.5:6379 --dir /mnt/nfs/sweeps/lr   # then, on each machine:
  $ tsgan worker --queue redis://10.0.0.5:6379`,
    )
    .action(async (specFile: string, o: Record<string, unknown>, cmd: Command) => {
      const spec = readSweepSpec(specFile);
      const abort = new AbortController();
      let firstSignal = 0;
      const onSignal = () => {
        // A second signal quits at once (not the copy a wrapper such as npx relays at the same moment).
        if (abort.signal.aborted) {
          if (Date.now() - firstSignal > 1000) process.exit(130);
          return;
        }
        firstSignal = Date.now();
        process.stderr.write('\nstopping: the running trials save a checkpoint (Ctrl-C again to quit at once)\n');
        abort.abort();
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      try {
        const res = await runSweep({
          spec,
          sweepDir: o.dir as string | undefined,
          workers: o.workers as number | undefined,
          queue: o.queue as string | undefined,
          parallel: o.parallel as number | undefined,
          queueName: o.queueName as string | undefined,
          connectTimeoutMs: (o.connectTimeout as number) * 1000,
          backend: (cmd.parent?.opts().backend as string | undefined) ?? undefined,
          signal: abort.signal,
        });
        process.stdout.write(formatLeaderboard(res.leaderboard));
        process.stdout.write(
          `${res.segmentsRun === 0 && !res.interrupted ? 'nothing new to run; ' : ''}report: ${path.join(res.sweepDir, 'leaderboard.html')}\n`,
        );
        if (res.interrupted) {
          process.stderr.write(`sweep interrupted: run the same command again to continue\n`);
          process.exitCode = 130;
        }
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    });

  program
    .command('worker')
    .description('run sweep trials from a BullMQ queue (started by tsgan sweep --queue) until Ctrl-C')
    .requiredOption('--queue <url>', 'redis://HOST:PORT')
    .option('--queue-name <name>', 'the BullMQ queue (default tsgan-trials)')
    .option('--connect-timeout <s>', 'seconds to reach Redis before giving up', Number, 5)
    .option(
      '--lock-duration <ms>',
      "a job's lock without renewal: a dead worker's trial is retried after about this long",
      Number,
      30000,
    )
    .option('--stalled-interval <ms>', 'how often to look for the jobs of dead workers', Number, 30000)
    .addHelpText(
      'after',
      `
The sweep folder must be at the same path on every worker (a network file system or the like): the
trials' checkpoints are there, so a trial whose worker died resumes from its last checkpoint on another.

Examples:
  $ tsgan worker --queue redis://10.0.0.5:6379
  $ TSGAN_NUM_THREADS=8 tsgan worker --queue redis://10.0.0.5:6379`,
    )
    .action(async (o: Record<string, unknown>) => {
      const abort = new AbortController();
      const stop = () => {
        process.stderr.write('worker: stopping after the current trial segment saves its checkpoint\n');
        abort.abort();
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      await runWorker(o.queue as string, {
        queueName: o.queueName as string | undefined,
        connectTimeoutMs: (o.connectTimeout as number) * 1000,
        lockDuration: o.lockDuration as number,
        stalledInterval: o.stalledInterval as number,
        signal: abort.signal,
        log: (l) => process.stderr.write(`${l}\n`),
      });
    });
}
