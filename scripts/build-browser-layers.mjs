// Bundles src/browser/layers.ts (tsgan's custom tfjs-layers classes) for browser pages into
// dist/browser/tsgan-layers.js: one script that registers the classes on the page's global `tf`
// (the TensorFlow.js bundle an export writes beside it), so tf.loadLayersModel reads models that use
// them. Run by `npm run build` and on install (`prepare`), with esbuild.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'dist', 'browser', 'tsgan-layers.js');
mkdirSync(path.dirname(out), { recursive: true });

// The tfjs packages are the page's global `tf` (tf-core, tf-backend-cpu and tf-layers merge into it).
const globalTf = {
  name: 'global-tf',
  setup(b) {
    b.onResolve({ filter: /^@tensorflow\/tfjs-(core|layers|backend-cpu)$/ }, (args) => ({
      path: args.path,
      namespace: 'global-tf',
    }));
    b.onLoad({ filter: /.*/, namespace: 'global-tf' }, () => ({
      contents: 'module.exports = globalThis.tf;',
      loader: 'js',
    }));
  },
};

await build({
  entryPoints: [path.join(root, 'src', 'browser', 'layers.ts')],
  bundle: true,
  platform: 'browser',
  format: 'iife',
  target: 'es2020',
  minify: true,
  legalComments: 'none',
  banner: { js: '/* tsgan custom layers for TensorFlow.js pages (MIT). Load after tf.min.js. */' },
  plugins: [globalTf],
  outfile: out,
  logLevel: 'warning',
});
console.log(`browser layers: ${path.relative(root, out)}`);
