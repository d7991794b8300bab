// Freshness: every table of the project (each source table's bronze and each model) with when a run last refreshed
// it, and whether a table_stale alert rule finds it too old.
import { getJson } from './api.js';
import { clear, dateTime, duration, el } from './dom.js';

export async function renderFreshness(container) {
  const freshness = await getJson('/api/freshness');
  clear(container);
  const body = el('tbody');
  for (const table of freshness.tables) {
    const state = table.refreshed_at === null ? 'never' : table.stale ? 'stale' : 'fresh';
    body.append(el('tr', { dataset: { table: table.table, state } },
      el('td', {}, table.table),
      el('td', {}, dateTime(table.refreshed_at) || 'never'),
      el('td', { class: 'number' }, table.age_seconds === null ? '' : duration(table.age_seconds * 1000)),
      el('td', {}, el('span', { class: `badge freshness-${state}` }, state)),
      el('td', { class: 'muted' }, table.stale_after_seconds === null ? '' : `stale after ${duration(table.stale_after_seconds * 1000)}`)));
  }

  container.append(el('table', { class: 'grid' },
    el('thead', {}, el('tr', {}, el('th', {}, 'Table'), el('th', {}, 'Last refreshed'), el('th', {}, 'Age'), el('th', {}, ''), el('th', {}, 'Alert'))),
    body));
  if (freshness.jobs.length > 0) {
    container.append(el('p', { class: 'muted' }, `Jobs last succeeded: ${freshness.jobs.map((job) => `${job.job} ${dateTime(job.succeeded_at)}`).join(', ')}`));
  }
}
