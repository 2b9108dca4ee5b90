/** What the authorization server put on the redirect URI. @see RFC 6749 §4.1.2 */
export type RedirectResult =
  | { readonly kind: "code"; readonly code: string; readonly state: string | null }
  | { readonly kind: "error"; readonly error: string; readonly description: string | undefined; readonly state: string | null }
  | { readonly kind: "none"; readonly state: string | null };

/** Parameters the redirect adds and the address bar should lose afterwards. */
const REDIRECT_PARAMS = ["code", "state", "error", "error_description", "error_uri", "iss", "session_state"];

/** Reads `code`/`error` and `state` from the query (or, for `response_mode=fragment`, the fragment). */
export function readRedirect(url: URL): RedirectResult {
  const fragment = new URLSearchParams(url.hash.slice(1));
  const inFragment = !url.searchParams.has("code") && !url.searchParams.has("error") && (fragment.has("code") || fragment.has("error"));
  const params = inFragment ? fragment : url.searchParams;
  const state = params.get("state");
  const error = params.get("error");
  if (error !== null) {
    const description = params.get("error_description");
    return { kind: "error", error: error.slice(0, 100), description: description === null ? undefined : description.slice(0, 300), state };
  }
  const code = params.get("code");
  if (code !== null && code !== "") return { kind: "code", code, state };
  return { kind: "none", state };
}

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
