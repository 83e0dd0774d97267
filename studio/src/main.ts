// The studio page: hash routes #/ (runs), #/new (new run), #/run/ID[,ID...] (live view, side by
// side), #/explore/ID (the generator explorer, loaded on demand with TensorFlow.js).
import { h } from './api';
import { renderNewRun } from './new_run';
import { renderRunView } from './run_view';
import { renderRuns } from './runs_list';

const app = document.getElementById('app')!;
let cleanup: () => void = () => {};

async function route(): Promise<void> {
  cleanup();
  cleanup = () => {};
  const [pathPart, q] = location.hash.replace(/^#/, '').split('?');
  const parts = (pathPart ?? '/').split('/').filter(Boolean);
  const query = new URLSearchParams(q ?? '');
  try {
    if (parts[0] === 'new') cleanup = await renderNewRun(app);
    else if (parts[0] === 'run' && parts[1]) cleanup = await renderRunView(app, parts[1].split(','));
    else if (parts[0] === 'explore' && parts[1]) {
      app.replaceChildren(h('p', { class: 'msg' }, 'loading TensorFlow.js…'));
      const { renderExplorer } = await import('./explorer');
      cleanup = await renderExplorer(app, parts[1], query);
    } else cleanup = await renderRuns(app);
  } catch (e) {
    app.replaceChildren(h('p', { class: 'error', id: 'page-error' }, (e as Error).message));
  }
}

window.addEventListener('hashchange', () => void route());
void route();
