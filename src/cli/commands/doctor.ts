// `tsgan doctor [--json]`: which backend runs, the native engine's threads, SIMD path and build, the WebGPU adapter,
// and the versions in use (library: src/backend/doctor.ts).
import type { Command } from 'commander';

import { doctorAsync, formatDoctorReport } from '../../backend/doctor.js';

export function registerDoctor(program: Command): void {
  program
    .command('doctor')
    .description(
      'show the TensorFlow.js backend in use, native engine threads / SIMD / build, the WebGPU adapter, and versions',
    )
    .option('--json', 'print the report as one JSON object')
    .action(async (opts: { json?: boolean }) => {
      const report = await doctorAsync();
      process.stdout.write(opts.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatDoctorReport(report)}\n`);
    });
}
