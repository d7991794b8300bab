// Quality per model: what the newest run that checked data found (rows checked, quarantined, dropped, the rules
// that failed most), and a trend of each model's set-aside rows over the recent runs.
import { ApiError, getJson } from './api.js';
import { clear, el, number, svg } from './dom.js';

const WORST_RULES = 3;

export async function renderQuality(container) {
  let report;
  try {
    report = await getJson('/api/quality');
  } catch (error) {
    // 400: no run has checked anything yet; the server says so.
    if (error instanceof ApiError && error.status === 400) {
      clear(container);
      container.append(el('p', { class: 'muted' }, error.message));
      return;
    }

    throw error;
  }

  const history = await getJson('/api/quality/history?runs=20');
  clear(container);
  const trends = new Map();
  for (const point of history) {
    if (!trends.has(point.model)) {
      trends.set(point.model, []);
    }

    trends.get(point.model).push(point);
  }

  const body = el('tbody');
  for (const model of report.models) {
    const worst = model.rules.filter((rule) => rule.rows_failed > 0).slice(0, WORST_RULES);
    body.append(el('tr', { dataset: { model: model.model, quarantined: String(model.rows_quarantined ?? 0) } },
      el('td', {}, model.model),
      el('td', {}, model.status ? el('span', { class: `badge status-${model.status}` }, model.status) : ''),
      el('td', { class: 'number' }, number(model.rows_in)),
      el('td', { class: 'number', dataset: { role: 'quarantined' } }, number(model.rows_quarantined)),
      el('td', { class: 'number' }, number(model.rows_dropped)),
      el('td', { class: 'rules' }, worst.length === 0
        ? el('span', { class: 'muted' }, 'every rule passed')
        : el('ul', {}, ...worst.map((rule) => el('li', { dataset: { rule: rule.rule } }, `${rule.rule}: ${number(rule.rows_failed)} of ${number(rule.rows_checked)} (${rule.action})`)))),
      el('td', {}, sparkline(trends.get(model.model) ?? []))));
  }

  container.append(
    el('p', { class: 'muted' }, `Run ${report.run_id}.`),
    el('table', { class: 'grid' },
      el('thead', {}, el('tr', {}, ...['Model', 'Status', 'Rows checked', 'Quarantined', 'Dropped', 'Worst rules', 'Set aside, last runs'].map((title) => el('th', {}, title)))),
      body));
}

/**
 * A small line of the rows quarantined or dropped in each run, oldest first; its title lists the figures. Empty for a
 * model no run's expectations checked (tests alone leave no rows aside).
 */
function sparkline(points) {
  const width = 120;
  const height = 24;
  const values = points.map((point) => point.rows_quarantined + point.rows_dropped);
  const highest = Math.max(...values, 1);
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  const coordinates = values.map((value, index) => `${(index * step).toFixed(1)},${(height - 2 - ((height - 4) * value) / highest).toFixed(1)}`);
  return svg('svg', { class: 'sparkline', width, height, viewBox: `0 0 ${width} ${height}`, dataset: { points: String(values.length) } },
    svg('title', {}, points.map((point) => `${point.run_id}: ${point.rows_quarantined} quarantined, ${point.rows_dropped} dropped of ${point.rows_checked}`).join('\n')),
    values.length > 1 ? svg('polyline', { points: coordinates.join(' ') }) : null,
    values.length === 1 ? svg('circle', { cx: width / 2, cy: coordinates[0].split(',')[1], r: 2 }) : null);
}
