// Builds the native addon with the node-gyp that npm bundles (no download: npm is set to build
// against Node's own headers). A failed build does not fail the install: tsgan then runs on the
// tfjs `cpu` backend and says why in one line at start-up.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

function findNodeGyp() {
  if (process.env.npm_config_node_gyp && existsSync(process.env.npm_config_node_gyp))
    return process.env.npm_config_node_gyp;
  const npmDir = path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm');
  const bundled = path.join(npmDir, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
  if (existsSync(bundled)) return bundled;
  try {
    return createRequire(import.meta.url).resolve('node-gyp/bin/node-gyp.js');
  } catch {
    return null;
  }
}

const gyp = findNodeGyp();
if (!gyp) {
  console.warn('tsgan: node-gyp not found; the native backend is not built (tsgan will run on tfjs cpu)');
  process.exit(0);
}
// configure + build (not rebuild): make only recompiles what changed, and configure picks up new kernel files.
let r = spawnSync(process.execPath, [gyp, 'configure', ...process.argv.slice(2)], { stdio: 'inherit' });
if (r.status === 0) r = spawnSync(process.execPath, [gyp, 'build', '-j', 'max'], { stdio: 'inherit' });
if (r.status !== 0) {
  console.warn(`tsgan: building the native backend failed (exit ${r.status}); tsgan will run on tfjs cpu`);
  if (process.env.TSGAN_REQUIRE_NATIVE === '1') process.exit(1);
}
