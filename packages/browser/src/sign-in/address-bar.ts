/**
 * Cleaning the address bar after the redirect: `completeSignIn` does it at once, before the rest
 * of the sign-in loads, so `code` and `state` leave the history even when the sign-in fails.
 */

/** Parameters the redirect adds and the address bar should lose afterwards. */
const REDIRECT_PARAMS = ["code", "state", "error", "error_description", "error_uri", "iss", "session_state"];

/** The URL without the redirect's parameters (query and fragment), for `history.replaceState`. */
export function withoutRedirectParams(url: URL): string {
  const clean = new URL(url.href);
  for (const name of REDIRECT_PARAMS) clean.searchParams.delete(name);
  if (clean.hash.length > 1) {
    const fragment = new URLSearchParams(clean.hash.slice(1));
    if (REDIRECT_PARAMS.some((name) => fragment.has(name))) {
      for (const name of REDIRECT_PARAMS) fragment.delete(name);
      const rest = fragment.toString();
      clean.hash = rest === "" ? "" : rest;
    }
  }
  return clean.href;
}

/**
 * Removes `code`/`state` from the address bar (history, bookmarks, Referer) when `url` is the
 * page's own address; a no-op outside a window.
 */
export function cleanAddressBar(url: URL): void {
  const location = (globalThis as { location?: Location }).location;
  const history = (globalThis as { history?: History }).history;
  if (location === undefined || history === undefined || typeof history.replaceState !== "function") return;
  let current: URL;
  try {
    current = new URL(location.href);
  } catch {
    return;
  }
  if (current.origin !== url.origin || current.pathname !== url.pathname) return;
  const clean = withoutRedirectParams(current);
  if (clean === current.href) return;
  try {
    history.replaceState(history.state, "", clean);
  } catch {
    // Sandboxed documents may refuse; nothing else to do.
  }
}
