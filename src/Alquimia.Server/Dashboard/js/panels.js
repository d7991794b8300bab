// What every panel does alike: it loads on its own, so one endpoint that refuses the token (an API key limited to
// some tables) or fails leaves the others working, and says so in its place.

/** Runs `work` for the panel `section`, recording its state (loading, ready, refused, error) and any message. */
export async function load(section, what, work) {
  section.dataset.state = 'loading';
  say(section, '');
  try {
    await work();
    section.dataset.state = 'ready';
  } catch (error) {
    say(section, explain(error, what), error.refused ? 'refused' : 'error');
    section.dataset.state = error.refused ? 'refused' : 'error';
  }
}

/** Writes the panel's message (its [data-role=status] element); an empty text hides it. */
export function say(section, text, kind = 'info') {
  const status = section.querySelector('[data-role=status]');
  status.textContent = text;
  status.dataset.kind = kind;
  status.hidden = text === '';
}

/** Why `what` could not be shown, in words. */
export function explain(error, what) {
  switch (error.status) {
    case 401:
      return `The server refused this token for ${what} (401): sign in again with a valid token.`;
    case 403:
      return `This key cannot read ${what} (403).`;
    case undefined:
      return `${what} could not be shown: ${error.message}`;
    default:
      return `${what} could not be read (${error.status}): ${error.message}`;
  }
}
