// Reading a training config from a JSON file (`tsgan train --config file.json`): every problem is a
// sentence naming the file (missing, unreadable, not JSON, not an object of fields).
import { readFileSync } from 'node:fs';

import { describeFsError } from './checkpoint.js';
import { ConfigError, describeJson } from './config.js';

/** The config fields in a JSON file (validated later, merged with the preset and command-line fields). */
export function readConfigFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder, not a file' : describeFsError(e);
    throw new ConfigError(`cannot read the config file ${file}: ${why}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`the config file ${file} is not valid JSON: ${(e as Error).message}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigError(
      `the config file ${file} must hold a JSON object of config fields (like {"steps": 2000, "model": {"width": 32}}), not ${describeJson(value)}`,
    );
  }
  return value as Record<string, unknown>;
}
