// The dashboard's start: the token form, then every panel loaded on its own. The page holds no data of its own; what
// it shows comes from the API with the token given here.
import { ApiError, getJson, token } from './api.js';
import { renderCharts } from './charts.js';
import { renderFreshness } from './freshness.js';
import { renderGraph } from './graph.js';
import { renderListings } from './listings.js';
import { load } from './panels.js';
import { renderQuality } from './quality.js';
import { renderRuns } from './runs.js';

// The pipeline's panels follow the runs on their own; the charts and listings wait for Refresh (a page being read
// is not moved under the reader).
const REFRESH_SECONDS = 60;

const byId = (id) => document.getElementById(id);
let config = { project: '', charts: [], tables: [] };
let timer = null;

// Asked at once, awaited only where it is needed: the form must take its submit before the answer comes, or a token
// given meanwhile would submit the form as a plain GET and reload the page.
const configLoaded = fetch('/dashboard/config.json', { credentials: 'omit' })
  .then((answer) => answer.json())
  .then((loaded) => {
    config = loaded;
    byId('project-name').textContent = config.project;
    document.title = `Alquimia · ${config.project}`;
  });

function start() {
  byId('token-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const given = byId('token-input').value.trim();
    if (given !== '') {
      token.set(given);
      open();
    }
  });
  byId('forget-token').addEventListener('click', () => {
    token.forget();
    signIn('');
  });
  byId('refresh').addEventListener('click', () => refresh(true));
  if (token.get()) {
    open();
  } else {
    signIn('');
  }
}

/** Checks the token once, on an endpoint any caller the server knows may read, then shows the dashboard. */
async function open() {
  try {
    await configLoaded;
    await getJson('/api/tables');
  } catch (error) {
    if (!(error instanceof ApiError)) {
      signIn(`The server did not answer: ${error.message}`);
      return;
    }

    if (error.status === 401) {
      token.forget();
      signIn('The server refused this token (401). Check it and try again.');
      return;
    }

    // A key that may not list the tables may still read some: each panel says what it cannot read.
  }

  byId('token-panel').hidden = true;
  byId('dashboard').hidden = false;
  byId('session-actions').hidden = false;
  document.body.dataset.signedIn = 'true';
  await refresh(true);
  clearInterval(timer);
  timer = setInterval(() => refresh(false), REFRESH_SECONDS * 1000);
}

function signIn(message) {
  clearInterval(timer);
  byId('dashboard').hidden = true;
  byId('session-actions').hidden = true;
  byId('token-panel').hidden = false;
  byId('token-error').textContent = message;
  byId('token-input').value = '';
  document.body.dataset.signedIn = 'false';
  byId('token-input').focus();
}

async function refresh(everything) {
  const panels = [
    load(byId('runs-panel'), 'the run history (/api/runs)', () => renderRuns(byId('runs'))),
    load(byId('graph-panel'), 'the pipeline (/api/graph)', () => renderGraph(byId('graph'))),
    load(byId('freshness-panel'), 'the freshness (/api/freshness)', () => renderFreshness(byId('freshness'))),
    load(byId('quality-panel'), 'the quality (/api/quality)', () => renderQuality(byId('quality'))),
  ];
  if (everything) {
    panels.push(load(byId('charts-panel'), 'the charts', () => renderCharts(byId('charts'), config.charts)));
    renderListings(byId('listings'), config.tables);
    byId('listings-panel').hidden = config.tables.length === 0;
  }

  await Promise.all(panels);
  byId('last-refresh').textContent = `Updated ${new Date().toLocaleTimeString()}`;
}

start();
