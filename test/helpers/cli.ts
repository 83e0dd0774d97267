// Runs the tsgan CLI in-process for tests: commander errors are thrown (exitOverride) instead of
// exiting. `runCli` captures what the commands print: stdout (text chunks: the test runner reports
// to its parent through this process's stdout in binary chunks, which always pass through, so no
// test's report is swallowed), stderr, or console.log.
import { buildProgram } from '../../src/cli/main.js';

export interface RunCliOptions {
  /** What to capture: 'stdout' (default), 'stderr', or 'log' (console.log only). */
  capture?: 'stdout' | 'stderr' | 'log';
  /** Also print the captured text (stdout/stderr only). */
  echo?: boolean;
  /** Silence commander's own error output (the error is still thrown). */
  quiet?: boolean;
}

/** Runs `tsgan ARGS...` in-process and returns the captured text; errors are thrown. */
export async function runCli(args: string[], opts: RunCliOptions = {}): Promise<string> {
  let out = '';
  const run = async () => {
    const program = buildProgram();
    const quiet = { writeErr: () => {}, outputError: () => {} };
    program.exitOverride();
    if (opts.quiet) program.configureOutput(quiet);
    for (const c of program.commands) {
      c.exitOverride();
      if (opts.quiet) c.configureOutput(quiet);
    }
    await program.parseAsync(['node', 'tsgan', ...args]);
  };
  if (opts.capture === 'log') {
    const log = console.log;
    console.log = (...a: unknown[]) => {
      out += `${a.join(' ')}\n`;
    };
    try {
      await run();
    } finally {
      console.log = log;
    }
    return out;
  }
  const stream = opts.capture === 'stderr' ? process.stderr : process.stdout;
  const write = stream.write.bind(stream);
  stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    if (typeof chunk !== 'string') return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
    out += chunk;
    return opts.echo ? (write as (...a: unknown[]) => boolean)(chunk, ...rest) : true;
  }) as typeof stream.write;
  try {
    await run();
  } finally {
    stream.write = write;
  }
  return out;
}
