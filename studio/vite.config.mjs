// The studio's page (plain TypeScript, no framework), built into dist/studio of the package by
// `npm run build` and `npm install` (prepare). Everything it loads is bundled: no CDN, no web font.
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));

export default {
  root: here,
  base: './',
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('../dist/studio', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 8000,
    sourcemap: false,
  },
};
