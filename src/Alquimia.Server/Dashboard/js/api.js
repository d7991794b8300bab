// The API as the page reads it: the token kept in this tab (sessionStorage, never a cookie) and sent as a Bearer
// header on every request, and refusals kept apart from failures so that a panel can say which it was.

const TOKEN_KEY = 'alquimia.token';

export const token = {
  get: () => sessionStorage.getItem(TOKEN_KEY),
  set: (value) => sessionStorage.setItem(TOKEN_KEY, value),
  forget: () => sessionStorage.removeItem(TOKEN_KEY),
};

/** An answer other than 2xx: its status, and the server's reason when it gave one. */
export class ApiError extends Error {
  constructor(path, status, reason) {
    super(reason);
    this.path = path;
    this.status = status;
  }

  /** True for 401 (no token the server knows) and 403 (a key whose scope does not hold this). */
  get refused() {
    return this.status === 401 || this.status === 403;
  }
}

/** GETs a JSON answer with the token; throws ApiError for anything but 2xx. */
export async function getJson(path) {
  const response = await fetch(path, {
    headers: { Authorization: `Bearer ${token.get() ?? ''}`, Accept: 'application/json' },
    credentials: 'omit',
  });
  if (!response.ok) {
    throw new ApiError(path, response.status, await reasonOf(response));
  }

  return response.json();
}

/** The read API's rows of a table: GET /api/tables/{layer.name} with its query parameters. */
export function readTable(table, parameters) {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(parameters)) {
    if (value !== null && value !== undefined && value !== '') {
      query.set(name, String(value));
    }
  }

  return getJson(`/api/tables/${encodeURIComponent(table)}?${query}`);
}

async function reasonOf(response) {
  const text = await response.text();
  try {
    return JSON.parse(text).error ?? text;
  } catch {
    return text.trim() || response.statusText;
  }
}
