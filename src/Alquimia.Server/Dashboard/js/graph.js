// The pipeline's graph: one column per level (ingestion, then what reads it, …), each step a box coloured by its
// latest attempt's status, and a curve from each table to each step that reads it.
import { getJson } from './api.js';
import { clear, dateTime, duration, el, svg } from './dom.js';

const NODE_WIDTH = 230;
const NODE_HEIGHT = 28;
const COLUMN_GAP = 60;
const ROW_GAP = 10;
const MARGIN = 8;

export async function renderGraph(container) {
  const graph = await getJson('/api/graph');
  clear(container);
  const levels = [];
  for (const node of graph.nodes) {
    (levels[node.level] ??= []).push(node);
  }

  const places = new Map();
  levels.forEach((nodes, level) => nodes.forEach((node, row) => places.set(node.name, {
    x: MARGIN + level * (NODE_WIDTH + COLUMN_GAP),
    y: MARGIN + row * (NODE_HEIGHT + ROW_GAP),
  })));
  const width = 2 * MARGIN + levels.length * NODE_WIDTH + Math.max(0, levels.length - 1) * COLUMN_GAP;
  const height = 2 * MARGIN + Math.max(...levels.map((nodes) => nodes.length), 1) * (NODE_HEIGHT + ROW_GAP) - ROW_GAP;
  const drawing = svg('svg', {
    viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', 'aria-label': 'The pipeline: each step and the tables it reads',
  });

  for (const edge of graph.edges) {
    const from = places.get(edge.from);
    const to = places.get(edge.to);
    const x1 = from.x + NODE_WIDTH;
    const y1 = from.y + NODE_HEIGHT / 2;
    const x2 = to.x;
    const y2 = to.y + NODE_HEIGHT / 2;
    const middle = (x1 + x2) / 2;
    drawing.append(svg('path', {
      class: 'edge', d: `M ${x1} ${y1} C ${middle} ${y1}, ${middle} ${y2}, ${x2} ${y2}`, dataset: { from: edge.from, to: edge.to },
    }));
  }

  for (const node of graph.nodes) {
    const place = places.get(node.name);
    const status = node.status ?? 'never';
    const details = [node.name, `${node.kind}`, `status: ${status}`];
    if (node.finished_at) {
      details.push(`finished ${dateTime(node.finished_at)} in ${duration(node.duration_ms)} (run ${node.run_id})`);
    }

    if (node.error) {
      details.push(node.error);
    }

    drawing.append(svg('g', { class: `node status-${status}`, transform: `translate(${place.x} ${place.y})`, dataset: { node: node.name, status } },
      svg('title', {}, details.join('\n')),
      svg('rect', { width: NODE_WIDTH, height: NODE_HEIGHT, rx: 5 }),
      svg('circle', { cx: 12, cy: NODE_HEIGHT / 2, r: 5 }),
      svg('text', { x: 24, y: NODE_HEIGHT / 2 + 4 }, node.name)));
  }

  const legend = el('p', { class: 'legend' }, ...['succeeded', 'warning', 'failed', 'skipped', 'running', 'never'].map((status) =>
    el('span', { class: `badge status-${status}` }, status === 'never' ? 'never run' : status)));
  container.append(el('div', { class: 'scroll' }, drawing), legend);
}
