// The project's listings (dashboard.tables in alquimia.yml): a page of rows at a time through the read API, the next
// page by its keyset cursor (`next`) and the previous one by the cursor that led to it.
import { readTable } from './api.js';
import { cell, clear, el } from './dom.js';
import { load, say } from './panels.js';

export function renderListings(container, listings) {
  clear(container);
  listings.forEach((listing, index) => {
    const table = el('table', { class: 'grid' });
    const previous = el('button', { type: 'button', dataset: { role: 'previous' }, disabled: true }, '← Previous');
    const next = el('button', { type: 'button', dataset: { role: 'next' }, disabled: true }, 'Next →');
    const position = el('span', { class: 'muted', dataset: { role: 'page' } });
    const section = el('section', { class: 'listing', id: `listing-${index}`, dataset: { table: listing.table } },
      el('h2', {}, listing.title),
      el('div', { class: 'panel-status', dataset: { role: 'status' }, hidden: true }),
      el('div', { class: 'scroll' }, table),
      el('div', { class: 'pager' }, previous, position, next));
    container.append(section);

    // cursors[i] is the `after` of page i: null for the first, then each page's `next`.
    const cursors = [null];
    let current = 0;
    const show = (page) => load(section, listing.table, async () => {
      const answer = await readTable(listing.table, {
        columns: listing.columns.join(','), order: listing.order, page_size: listing.page_size, after: cursors[page],
      });
      current = page;
      cursors[page + 1] = answer.next;
      fill(table, answer);
      previous.disabled = page === 0;
      next.disabled = answer.next === null;
      position.textContent = `Page ${page + 1}`;
      section.dataset.page = String(page + 1);
      if (answer.rows.length === 0) {
        say(section, `${listing.table} has no rows.`);
      }
    });
    previous.addEventListener('click', () => show(current - 1));
    next.addEventListener('click', () => show(current + 1));
    show(0);
  });
}

function fill(table, answer) {
  clear(table);
  const names = answer.columns.map((column) => column.name);
  table.append(
    el('thead', {}, el('tr', {}, ...names.map((name) => el('th', {}, name)))),
    el('tbody', {}, ...answer.rows.map((row) => el('tr', {}, ...names.map((name) => el('td', { dataset: { column: name } }, cell(row[name])))))));
}
