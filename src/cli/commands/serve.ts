// `tsgan serve DIR`: serves an exported generator's web page over HTTP (library: src/export/serve.ts).
import { type Command, InvalidArgumentError } from 'commander';

import { serveFolder } from '../../index.js';

function parsePort(v: string): number {
  const n = Number(v);
  if (!/^\d+$/.test(v.trim()) || n > 65535) throw new InvalidArgumentError('--port takes an integer from 0 to 65535.');
  return n;
}

export function registerServe(program: Command): void {
  program
    .command('serve <dir>')
    .description("serve a folder (an export's web page) over HTTP on this machine until Ctrl-C")
    .option('--port <n>', 'TCP port (0 picks a free one)', parsePort, 8000)
    .option('--host <address>', 'address to listen on (0.0.0.0: every network interface)', '127.0.0.1')
    .addHelpText(
      'after',
      `
A page opened as a file cannot load its model (browsers block it: CORS); served, it can.

Examples:
  $ tsgan export runs/dcgan-fmnist-20260101-120000 exported/dcgan-fmnist
  $ tsgan serve exported/dcgan-fmnist
  $ tsgan serve exported/dcgan-fmnist --port 0`,
    )
    .action(async (dir: string, o: { port: number; host: string }) => {
      const server = await serveFolder(dir, { port: o.port, host: o.host });
      process.stdout.write(`serving ${dir} at ${server.url} (Ctrl-C to stop)\n`);
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          void server.close().then(resolve);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    });
}
