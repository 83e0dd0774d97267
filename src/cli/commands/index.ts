// The one list of CLI commands. Each file under commands/ exports a function that adds its command.
import type { Command } from 'commander';

import { registerBench } from './bench.js';
import { registerDoctor } from './doctor.js';

export function registerCommands(program: Command): void {
  registerBench(program);
  registerDoctor(program);
}
