// Runs the op test suite that ships with @tensorflow/tfjs-core (dist/ops/**/*_test.js and
// dist/gradients/*_test.js) against tsgan's `native` backend, the way tfjs tests its own backends:
// esbuild bundles setup.ts + every test file into one ESM file (one ES2017 copy of tfjs-core and
// tfjs-backend-cpu; the .node addon stays external and loads through src/backend/native_addon.ts),
// then jasmine 5 runs it. Prints failures, then one line `TSGAN_SUITE_RESULT {json}`.
// Exit code: 0 when every spec passed, 1 otherwise.
//   node test/tfjs-core-suite/run.mjs [--filter <substring of spec name>]
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import * as esbuild from 'esbuild';
import Jasmine from 'jasmine';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const require = createRequire(path.join(root, 'package.json'));
const coreDist = path.dirname(require.resolve('@tensorflow/tfjs-core/dist/index.js'));
const cpuIndex = require.resolve('@tensorflow/tfjs-backend-cpu/dist/index.js');

const args = process.argv.slice(2);
const filterAt = args.indexOf('--filter');
const filter = filterAt >= 0 ? args[filterAt + 1] : null;

// The exclusion list is TypeScript without imports: strip its types and load it.
const exclusionsTs = readFileSync(path.join(here, 'exclusions.ts'), 'utf8');
const { code: exclusionsJs } = await esbuild.transform(exclusionsTs, { loader: 'ts', format: 'esm' });
const { excludedFiles, excludedSpecs } = await import(
  `data:text/javascript;base64,${Buffer.from(exclusionsJs).toString('base64')}`
);

function walk(dir, out) {
  for (const name of readdirSync(dir).sort()) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (name.endsWith('_test.js')) out.push(p);
  }
  return out;
}
const skipFiles = new Set(excludedFiles.map((e) => e.file));
const testFiles = [...walk(path.join(coreDist, 'ops'), []), ...walk(path.join(coreDist, 'gradients'), [])].filter(
  (f) =>
    !skipFiles.has(
      path
        .relative(coreDist, f)
        .replace(/\\/g, '/')
        .replace(/_test\.js$/, ''),
    ),
);

// Inside node_modules/ of the package, so that native_addon.ts finds the package root from import.meta.url.
const outDir = path.join(root, 'node_modules', '.cache', 'tsgan-tfjs-core-suite');
mkdirSync(outDir, { recursive: true });
const outFile = path.join(outDir, `bundle-${process.pid}.mjs`);
const entry = [
  `import ${JSON.stringify(path.join(here, 'setup.ts'))};`,
  ...testFiles.map((f) => `import ${JSON.stringify(f)};`),
].join('\n');

const t0 = performance.now();
await esbuild.build({
  stdin: { contents: entry, resolveDir: here, sourcefile: 'tfjs-core-suite-entry.js', loader: 'js' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outfile: outFile,
  // tfjs-core's package.json `sideEffects` would make esbuild drop every test import.
  ignoreAnnotations: true,
  logLevel: 'error',
  // The bundled CommonJS parts (jasmine-core, seedrandom...) call require().
  banner: {
    js: "import { createRequire as __tsganCreateRequire } from 'node:module'; const require = __tsganCreateRequire(import.meta.url);",
  },
  external: ['*.node'],
  plugins: [
    {
      name: 'one-copy-of-tfjs',
      setup(build) {
        // One ES2017 copy of each: the bare package names go to the ESM builds the test files use.
        build.onResolve({ filter: /^@tensorflow\/tfjs-core$/ }, () => ({ path: path.join(coreDist, 'index.js') }));
        build.onResolve({ filter: /^@tensorflow\/tfjs-backend-cpu$/ }, () => ({ path: cpuIndex }));
      },
    },
  ],
});
const bundleMs = performance.now() - t0;

const runner = new Jasmine({ projectBaseDir: root });
runner.exitOnCompletion = false;
globalThis.jasmine = runner.jasmine;
const env = runner.env;

const skipped = excludedSpecs.map((e) => e.name);
env.configure({
  random: false,
  specFilter: (spec) => {
    const name = spec.getFullName();
    if (filter != null && !name.includes(filter)) return false;
    return !skipped.some((s) => name.includes(s));
  },
});

const failures = [];
let specs = 0;
let passed = 0;
let excluded = 0;
const suiteErrors = [];
env.clearReporters();
env.addReporter({
  specDone(r) {
    if (r.status === 'excluded' || r.status === 'pending') {
      excluded++;
      return;
    }
    specs++;
    if (r.status === 'passed') passed++;
    else failures.push({ name: r.fullName, messages: r.failedExpectations.map((e) => e.message.split('\n')[0]) });
  },
  suiteDone(r) {
    if (r.failedExpectations?.length) {
      suiteErrors.push({ name: r.fullName, messages: r.failedExpectations.map((e) => e.message.split('\n')[0]) });
    }
  },
});

let result;
const t1 = performance.now();
try {
  await import(pathToFileURL(outFile).href);
  result = await runner.execute();
} finally {
  try {
    (await import('node:fs')).rmSync(outFile, { force: true });
  } catch {
    /* best effort */
  }
}
const runMs = performance.now() - t1;

for (const f of failures) console.log(`FAILED: ${f.name}\n    ${f.messages.join('\n    ')}`);
for (const s of suiteErrors) console.log(`SUITE ERROR: ${s.name}\n    ${s.messages.join('\n    ')}`);
const summary = {
  files: testFiles.length,
  specs,
  passed,
  failed: failures.length,
  suiteErrors: suiteErrors.length,
  excluded,
  excludedFiles: excludedFiles.length,
  excludedSpecPatterns: excludedSpecs.length,
  overallStatus: result?.overallStatus,
  nativeKernels: globalThis.__tsganNativeKernels ?? [],
  bundleMs: Math.round(bundleMs),
  runMs: Math.round(runMs),
};
console.log(`TSGAN_SUITE_RESULT ${JSON.stringify(summary)}`);
writeFileSync(path.join(outDir, 'last-result.json'), JSON.stringify({ ...summary, failures, suiteErrors }, null, 2));
process.exitCode = failures.length === 0 && suiteErrors.length === 0 && result?.overallStatus === 'passed' ? 0 : 1;
