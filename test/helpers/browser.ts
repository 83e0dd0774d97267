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

/**
 * A page of a new context of `browser` that may load only URLs under `origin` (and file: URLs when
 * `files`): every other request is refused as if offline and its URL listed in `blocked`; the page's
 * uncaught script errors are listed in `errors`.
 */
export async function offlinePage(
  browser: import('playwright-core').Browser,
  origin: string,
  opts: { files?: boolean; context?: import('playwright-core').BrowserContextOptions } = {},
): Promise<{ page: import('playwright-core').Page; blocked: string[]; errors: string[] }> {
  const context = await browser.newContext(opts.context);
  const blocked: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(origin) || (opts.files === true && url.startsWith('file:'))) return route.continue();
    blocked.push(url);
    return route.abort('internetdisconnected');
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return { page, blocked, errors };
}
