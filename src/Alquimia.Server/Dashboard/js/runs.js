// Run history: the recent runs, newest first, each a bar as long as its duration beside the longest one.
import { getJson } from './api.js';
import { clear, dateTime, duration, el } from './dom.js';

export async function renderRuns(container) {
  const runs = await getJson('/api/runs');
  clear(container);
  if (runs.length === 0) {
    container.append(el('p', { class: 'muted' }, 'No run yet: `alquimia run`, a job of the schedule, or POST /api/runs starts one.'));
    return;
  }

  const now = Date.now();
  // A run still going is as long as it has been so far.
  const lengths = runs.map((run) => new Date(run.finished_at ?? now) - new Date(run.started_at));
  const longest = Math.max(...lengths, 1);
  const list = el('ol', { class: 'timeline' });
  runs.forEach((run, index) => {
    const bar = el('div', { class: `bar status-${run.status}` });
    bar.style.width = `${Math.max(1, (100 * lengths[index]) / longest)}%`;
    const counts = `${run.models_succeeded} ok, ${run.models_failed} failed, ${run.models_skipped} skipped`;
    list.append(el('li', { dataset: { runId: run.run_id, status: run.status } },
      el('span', { class: 'when' }, dateTime(run.started_at)),
      el('span', { class: `badge status-${run.status}`, dataset: { role: 'run-status' } }, run.status),
      el('span', { class: 'track', title: `${duration(lengths[index])}` }, bar),
      el('span', { class: 'duration' }, duration(lengths[index])),
      el('span', { class: 'detail' }, `${run.run_id} · run date ${run.run_date} · ${run.selector ?? 'all'} · ${counts}`)));
  });
  container.append(list);
}
