#!/usr/bin/env node
// The tsgan CLI entry: runs the compiled TypeScript (npm install builds it into dist/).
import { main } from '../dist/src/cli/main.js';

main().catch((err) => {
  process.stderr.write(`tsgan: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
