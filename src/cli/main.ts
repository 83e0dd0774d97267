// The tsgan command line. It only declares commands; each command file calls the library API.
import { Command } from 'commander';

import { BACKEND_CHOICES, parseBackendChoice, useBackend } from '../backend/select.js';
import { registerCommands } from './commands/index.js';

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('tsgan')
    .description('Train, evaluate and use Generative Adversarial Networks (TensorFlow.js + a native C++ engine)')
    .showHelpAfterError()
    .configureHelp({ sortSubcommands: false })
    .option(
      '--backend <name>',
      `where tensors run: ${BACKEND_CHOICES.join(' | ')} (auto: a GPU through WebGPU when there is one, else native)`,
      parseBackendChoice,
      process.env.TSGAN_BACKEND ? parseBackendChoice(process.env.TSGAN_BACKEND) : 'native',
    );
  registerCommands(program);
  // Every command runs on the chosen backend (the library registers native at import; switch after).
  program.hook('preAction', async () => {
    await import('../index.js');
    const sel = await useBackend(program.opts().backend as string);
    if (sel.requested === 'auto' && sel.note && process.env.TSGAN_QUIET !== '1')
      process.stderr.write(`tsgan: ${sel.note}\n`);
  });
  return program;
}

export async function main(argv: string[] = process.argv): Promise<void> {
  await buildProgram().parseAsync(argv);
}
