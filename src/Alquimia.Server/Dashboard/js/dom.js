// Building the page's elements. Text always goes in as text nodes (textContent), never as HTML: whatever a table
// holds is shown, never run.

const SVG = 'http://www.w3.org/2000/svg';

/** An HTML element with attributes (dataset: {...} for data-*) and children (strings become text nodes). */
export function el(tag, attributes = {}, ...children) {
  return fill(document.createElement(tag), attributes, children);
}

/** An SVG element, the same way. */
export function svg(tag, attributes = {}, ...children) {
  return fill(document.createElementNS(SVG, tag), attributes, children);
}

function fill(element, attributes, children) {
  for (const [name, value] of Object.entries(attributes)) {
    if (name === 'dataset') {
      Object.assign(element.dataset, value);
    } else if (value !== null && value !== undefined && value !== false) {
      element.setAttribute(name, value === true ? '' : String(value));
    }
  }

  for (const child of children.flat()) {
    if (child !== null && child !== undefined) {
      element.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
  }

  return element;
}

/** Removes every child. */
export function clear(element) {
  element.replaceChildren();
}

const pad = (value) => String(value).padStart(2, '0');

/** 2026-11-10 06:00:03, in the browser's time zone; an empty string for null. */
export function dateTime(text) {
  if (!text) {
    return '';
  }

  const at = new Date(text);
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())} ${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}`;
}

/** 850 ms, 12.4 s, 3 min 05 s, 2 h 10 min, 3 d 4 h. */
export function duration(ms) {
  if (ms === null || ms === undefined || Number.isNaN(ms)) {
    return '';
  }

  if (ms < 1000) {
    return `${Math.round(ms)} ms`;
  }

  const seconds = ms / 1000;
  if (seconds < 60) {
    return `${seconds.toFixed(1)} s`;
  }

  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) {
    return `${minutes} min ${pad(Math.floor(seconds % 60))} s`;
  }

  const hours = Math.floor(minutes / 60);
  return hours < 48 ? `${hours} h ${pad(minutes % 60)} min` : `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

/** 12,345 (the browser's own grouping); an empty string for null. */
export function number(value) {
  return value === null || value === undefined ? '' : Number(value).toLocaleString();
}

/** A cell of a listing: null as an em dash, everything else as its text. */
export function cell(value) {
  if (value === null || value === undefined) {
    return '—';
  }

  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}
