/** What shapes a token request; two requests that differ in any of these never share a token. */
export interface TokenCacheKeyParts {
  readonly grant: string;
  readonly tokenUrl: string;
  readonly clientId?: string;
  readonly audience?: string;
  readonly scope?: string;
  readonly tenant?: string;
  /** Other request parameters, e.g. Atlas's `terminal_id`. */
  readonly extra?: Readonly<Record<string, string | number>>;
}

/**
 * Builds the opaque cache key of a token: every part that shapes the token request, never a
 * secret. Scope order does not matter.
 */
export function tokenCacheKey(parts: TokenCacheKeyParts): string {
  const scope = parts.scope?.split(/\s+/).filter(Boolean).sort().join(" ");
  const extra = parts.extra
    ? Object.keys(parts.extra)
        .sort()
        .map((name) => [name, String(parts.extra?.[name])])
    : [];
  return `portico:token:v1:${JSON.stringify([parts.grant, parts.tokenUrl, parts.clientId ?? "", parts.audience ?? "", scope ?? "", parts.tenant ?? "", extra])}`;
}
