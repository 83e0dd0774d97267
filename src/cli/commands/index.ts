// The one list of CLI commands. Each file under commands/ exports a function that adds its command.
import type { Command } from 'commander';

import { registerDoctor } from './doctor.js';

export function registerCommands(program: Command): void {
  registerDoctor(program);
}
