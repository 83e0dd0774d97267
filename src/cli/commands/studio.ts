// `tsgan studio [RUN_DIR...]`: the local web app (library: src/studio/server.ts).
import { type Command, InvalidArgumentError } from 'commander';

import { startStudio } from '../../index.js';

function parsePort(v: string): number {
  const n = Number(v);
  if (!/^\d+$/.test(v.trim()) || n > 65535) throw new InvalidArgumentError('--port takes an integer from 0 to 65535.');
  return n;
}

export function registerStudio(program: Command): void {
  program
    .command('studio [runDirs...]')
    .description('watch, steer and explore GANs in the browser: live curves, controls, 2-D view, generator explorer')
    .option('--port <n>', 'TCP port (0 picks a free one)', parsePort, 7860)
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .option('--allow-remote', 'allow a --host other machines can reach (the token still guards every request)')
    .addHelpText(
      'after',
      `
RUN_DIR is a run folder or a folder of runs (default: runs/). New runs started from the page go
into the first folder of runs given. The printed URL carries a random access token: every request
without it is refused (401).

Examples:
  $ tsgan studio
  $ tsgan studio runs/ --port 0
  $ tsgan studio runs/dcgan-fmnist-20260101-120000`,
    )
    .action(async (runDirs: string[], o: { port: number; host: string; allowRemote?: boolean }) => {
      const studio = await startStudio({ runDirs, port: o.port, host: o.host, allowRemote: o.allowRemote });
      process.stdout.write(`tsgan studio: open ${studio.url}\n(Ctrl-C stops it; live runs save a checkpoint first)\n`);
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          process.stdout.write('tsgan studio: stopping (live runs save a checkpoint)\n');
          void studio.close().then(resolve);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    });
}
