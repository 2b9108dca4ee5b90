import type { TokenFetcher } from "@portico/core";

/** What the session's token requests need to know and report. */
export interface SessionFetcherOptions {
  readonly fetcher: TokenFetcher | undefined;
  /** The newest refresh token any tab of the session holds. */
  readonly latestRefreshToken: () => string | undefined;
  /** Receives the `id_token` of an authorization code exchange (for the OIDC nonce check). */
  readonly onIdToken?: (idToken: string) => void;
}

function rewriteRefreshToken(body: string, contentType: string, latest: string): string {
  if (contentType.includes("application/json")) {
    const parsed = JSON.parse(body) as Record<string, unknown>;
    if (parsed.grant_type !== "refresh_token") return body;
    return JSON.stringify({ ...parsed, refresh_token: latest });
  }
  const form = new URLSearchParams(body);
  if (form.get("grant_type") !== "refresh_token") return body;
  form.set("refresh_token", latest);
  return form.toString();
}

function headerOf(init: RequestInit, name: string): string {
  const headers = new Headers(init.headers);
  return headers.get(name) ?? "";
}

/**
 * The `fetch` the session's token requests go through. A refresh carries the newest refresh
 * token any tab holds: core's refresh-token credential keeps the one it last received itself,
 * which is stale in a tab that adopted another tab's rotated token, and presenting a rotated-out
 * refresh token ends the session (RFC 9700 §4.14.2 reuse detection).
 * TODO(@portico/core): drop this once `refreshTokenCredential` refreshes with the refresh token of
 * the newest token in its cache.
 */
export function sessionFetcher(options: SessionFetcherOptions): TokenFetcher {
  const base: TokenFetcher = options.fetcher ?? ((input, init) => globalThis.fetch(input, init));
  return async (input, init) => {
    let sent = init;
    const latest = options.latestRefreshToken();
    if (latest !== undefined && typeof init.body === "string") {
      try {
        sent = { ...init, body: rewriteRefreshToken(init.body, headerOf(init, "content-type"), latest) };
      } catch {
        sent = init;
      }
    }
    const response = await base(input, sent);
    if (options.onIdToken !== undefined && response.ok && typeof init.body === "string" && init.body.includes("authorization_code")) {
      try {
        const body = (await response.clone().json()) as { id_token?: unknown };
        if (typeof body.id_token === "string") options.onIdToken(body.id_token);
      } catch {
        // Not JSON: core reports that.
      }
    }
    return response;
  };
}
