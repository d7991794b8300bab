// The project's KPI charts (dashboard.charts in alquimia.yml), drawn with Chart.js from rows read through the read
// API, so that whatever an API key may read is all it charts. Rows come in pages (the `next` cursor) up to the
// chart's max_rows; each y is summed per x (and series) here, for tables finer than the chart.
import { readTable } from './api.js';
import { clear, el } from './dom.js';
import { explain } from './panels.js';

const PAGE = 1000;
const PALETTE = ['#2563eb', '#dc2626', '#059669', '#d97706', '#7c3aed', '#0891b2', '#db2777', '#65a30d', '#475569', '#ea580c'];

const drawn = new Map();

/** Draws every chart, each on its own: one the token cannot read says so in its place. */
export async function renderCharts(container, charts) {
  for (const chart of drawn.values()) {
    chart.destroy();
  }

  drawn.clear();
  clear(container);
  if (charts.length === 0) {
    container.append(el('p', { class: 'muted' }, 'This project declares no charts: add dashboard.charts to alquimia.yml (docs/running.md, "The dashboard").'));
    return;
  }

  await Promise.all(charts.map((chart, index) => {
    const canvas = el('canvas', { 'aria-label': chart.title, role: 'img' });
    const note = el('p', { class: 'note', dataset: { role: 'note' } });
    const figure = el('figure', { class: 'chart', id: `chart-${index}`, dataset: { table: chart.table, state: 'loading' } },
      el('figcaption', {}, chart.title),
      el('div', { class: 'canvas' }, canvas),
      note);
    container.append(figure);
    return draw(chart, figure, canvas, note, index);
  }));
}

async function draw(chart, figure, canvas, note, index) {
  try {
    const { rows, truncated } = await readRows(chart);
    const { labels, datasets } = summarize(chart, rows);
    drawn.set(index, new window.Chart(canvas, options(chart, labels, datasets)));
    figure.dataset.points = String(labels.length);
    figure.dataset.series = String(datasets.length);
    figure.dataset.rows = String(rows.length);
    figure.dataset.state = 'drawn';
    note.textContent = truncated
      ? `The first ${rows.length.toLocaleString()} rows of ${chart.table} (max_rows); the chart stops there.`
      : `${chart.table}, ${rows.length.toLocaleString()} rows.`;
  } catch (error) {
    figure.dataset.state = error.refused ? 'refused' : 'error';
    note.textContent = explain(error, chart.table);
    note.dataset.kind = error.refused ? 'refused' : 'error';
  }
}

/** The rows of the chart's columns in x order, page after page, up to max_rows. */
async function readRows(chart) {
  const columns = [...new Set([chart.x, ...chart.y, chart.series].filter(Boolean))];
  const rows = [];
  let after = null;
  do {
    const page = await readTable(chart.table, {
      columns: columns.join(','), order: chart.x, page_size: Math.min(PAGE, chart.max_rows - rows.length), after,
    });
    rows.push(...page.rows);
    after = page.next;
  } while (after && rows.length < chart.max_rows);
  return { rows, truncated: after !== null };
}

/** Each y summed per x (and per value of the series column), the x values in the order read (ascending). */
function summarize(chart, rows) {
  const labels = [];
  const seen = new Set();
  const series = new Map();
  for (const row of rows) {
    const x = String(row[chart.x]);
    if (!seen.has(x)) {
      seen.add(x);
      labels.push(x);
    }

    const group = chart.series ? String(row[chart.series]) : null;
    for (const column of chart.y) {
      const value = row[column] === null ? NaN : Number(row[column]);
      const name = group === null ? column : chart.y.length > 1 ? `${group} · ${column}` : group;
      if (!series.has(name)) {
        series.set(name, new Map());
      }

      if (Number.isFinite(value)) {
        const sums = series.get(name);
        sums.set(x, (sums.get(x) ?? 0) + value);
      }
    }
  }

  // The series of a column's values in their order (ORG1, ORG2…); the y columns in the order alquimia.yml lists them.
  const entries = chart.series ? [...series.entries()].sort(([a], [b]) => a.localeCompare(b, undefined, { numeric: true })) : [...series.entries()];
  const datasets = entries.map(([label, sums]) => ({ label, data: labels.map((x) => sums.get(x) ?? null) }));
  return { labels, datasets };
}

function options(chart, labels, datasets) {
  return {
    type: chart.kind,
    data: {
      labels,
      datasets: datasets.map((dataset, index) => ({
        ...dataset,
        borderColor: PALETTE[index % PALETTE.length],
        backgroundColor: PALETTE[index % PALETTE.length] + (chart.kind === 'bar' ? 'cc' : '33'),
        fill: chart.stacked && chart.kind === 'line',
        pointRadius: labels.length > 60 ? 0 : 2,
        // Straight segments: a smoothed curve would dip below zero between counts.
        tension: 0,
        spanGaps: true,
      })),
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      // Drawn once, at once: an animation only delays what the reader (and a test) sees.
      animation: false,
      interaction: { mode: 'index', intersect: false },
      scales: { x: { stacked: chart.stacked }, y: { stacked: chart.stacked, beginAtZero: true } },
      plugins: { legend: { position: 'bottom' } },
    },
  };
}
