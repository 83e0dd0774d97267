// The headless browser of the page tests: Debian's chromium (TSGAN_CHROMIUM overrides) driven by
// playwright-core, or why the test cannot run here (it is skipped with that reason).
import { existsSync } from 'node:fs';

/** Debian's chromium and playwright-core, or the reason a browser test is skipped. */
export async function findBrowser(): Promise<{ path: string } | { skip: string }> {
  const exe = process.env.TSGAN_CHROMIUM ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find(existsSync);
  if (!exe || !existsSync(exe)) return { skip: 'no chromium here (Debian: apt-get install chromium)' };
  try {
    await import('playwright-core');
  } catch {
    return { skip: 'playwright-core is not installed (npm ci installs it as a devDependency)' };
  }
  return { path: exe };
}
