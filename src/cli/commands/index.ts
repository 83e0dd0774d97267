// The one list of CLI commands. Each file under commands/ exports a function that adds its command.
import type { Command } from 'commander';

export function registerCommands(program: Command): void {
  void program;
}
