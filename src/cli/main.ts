// The tsgan command line. It only declares commands; each command file calls the library API.
import { Command } from 'commander';

import { registerCommands } from './commands/index.js';

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('tsgan')
    .description('Train, evaluate and use Generative Adversarial Networks (TensorFlow.js + a native C++ engine)')
    .showHelpAfterError()
    .configureHelp({ sortSubcommands: false });
  registerCommands(program);
  return program;
}

export async function main(argv: string[] = process.argv): Promise<void> {
  await buildProgram().parseAsync(argv);
}
