/** What the authorization server put on the redirect URI. @see RFC 6749 §4.1.2 */
export type RedirectResult =
  | { readonly kind: "code"; readonly code: string; readonly state: string | null }
  | { readonly kind: "error"; readonly error: string; readonly description: string | undefined; readonly state: string | null }
  | { readonly kind: "none"; readonly state: string | null };

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
