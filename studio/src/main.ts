// The studio page: hash routes #/ (runs), #/new (new run), #/run/ID[,ID...] (live view, side by
// side), #/explore/ID (the generator explorer, loaded on demand with TensorFlow.js).
import { h } from './api';
import { renderNewRun } from './new_run';
import { renderRunView } from './run_view';
import { renderRuns } from './runs_list';

const app = document.getElementById('app')!;
let cleanup: () => void = () => {};
// Counts routes: a page that finishes loading after the hash changed again is torn down at once
// instead of drawing over (or refreshing into) the newer page.
let generation = 0;
let drawn = 0; // the generation whose page is on screen

async function route(): Promise<void> {
  cleanup();
  cleanup = () => {};
  const mine = ++generation;
  const [pathPart, q] = location.hash.replace(/^#/, '').split('?');
  const parts = (pathPart ?? '/').split('/').filter(Boolean);
  const query = new URLSearchParams(q ?? '');
  const settle = (done: () => void) => {
    if (mine === generation) {
      cleanup = done;
      drawn = mine;
      return;
    }
    done();
    // This page drew over a newer one that had already finished: draw that one again.
    if (drawn === generation) void route();
  };
  try {
    if (parts[0] === 'new') settle(await renderNewRun(app));
    else if (parts[0] === 'run' && parts[1]) settle(await renderRunView(app, parts[1].split(',')));
    else if (parts[0] === 'explore' && parts[1]) {
      app.replaceChildren(h('p', { class: 'msg' }, 'loading TensorFlow.js…'));
      const { renderExplorer } = await import('./explorer');
      if (mine !== generation) return;
      settle(await renderExplorer(app, parts[1], query));
    } else settle(await renderRuns(app));
  } catch (e) {
    if (mine === generation) app.replaceChildren(h('p', { class: 'error', id: 'page-error' }, (e as Error).message));
  }
}

window.addEventListener('hashchange', () => void route());
void route();
