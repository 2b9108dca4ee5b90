import type { Fetcher, FetcherInit } from "../client/types.js";
import { PorticoError } from "../errors/portico-error.js";
import { redact, safeCause } from "../internal/redact.js";
import type { Clock } from "../internal/clock.js";
import { OAuthTokenError } from "./oauth-error.js";

/**
 * The `fetch` a token request goes through: the same `Fetcher` contract as API calls (plain-object
 * headers, a string body), so one injected fetcher serves both.
 * @deprecated Use `Fetcher`; kept as an alias.
 */
export type TokenFetcher = Fetcher;

/** One POST to a token endpoint. */
export interface TokenEndpointRequest {
  readonly url: string;
  readonly params: Readonly<Record<string, string | number>>;
  /** `json` (Auth0, Atlas) or `application/x-www-form-urlencoded` (RFC 6749, Arrotech). */
  readonly encoding: "json" | "form";
  readonly fetcher?: Fetcher;
  readonly clock: Clock;
  /** Abort the token request after this long. @default 30000 */
  readonly timeoutMs?: number;
  /** Secrets in `params`, removed from anything an error keeps. */
  readonly secrets: readonly string[];
}

/** The raw answer of a successful token request. */
export interface TokenEndpointAnswer {
  readonly body: unknown;
  /** Local time the response arrived, epoch ms. */
  readonly obtainedAt: number;
  /** The response's `Date` header, epoch ms. */
  readonly serverDate: number | undefined;
}

/** Where a token request went, for messages: origin and path, never query or credentials. */
export function describeEndpoint(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return "(token endpoint)";
  }
}

function encodeBody(request: TokenEndpointRequest): { body: string; contentType: string } {
  if (request.encoding === "json") return { body: JSON.stringify(request.params), contentType: "application/json" };
  const form = new URLSearchParams();
  for (const [name, value] of Object.entries(request.params)) form.set(name, String(value));
  return { body: form.toString(), contentType: "application/x-www-form-urlencoded" };
}

function timeoutSignal(ms: number): AbortSignal | undefined {
  return typeof AbortSignal !== "undefined" && typeof AbortSignal.timeout === "function" ? AbortSignal.timeout(ms) : undefined;
}

/**
 * POSTs a token request and returns the JSON body of a 2xx answer. Failures are typed:
 * network/5xx/non-OAuth 4xx → `TOKEN_REFRESH_FAILED`, an OAuth error body → `OAuthTokenError`,
 * a 2xx that is not JSON → `TOKEN_RESPONSE_INVALID`. Redirects are refused so the secret in the
 * body never follows one.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5
 */
export async function postTokenRequest(request: TokenEndpointRequest): Promise<TokenEndpointAnswer> {
  const endpoint = describeEndpoint(request.url);
  const fetcher: Fetcher = request.fetcher ?? ((input, init) => globalThis.fetch(input, init as RequestInit));
  const { body, contentType } = encodeBody(request);
  const signal = timeoutSignal(request.timeoutMs ?? 30_000);
  const init: FetcherInit = {
    method: "POST",
    headers: { "content-type": contentType, accept: "application/json" },
    body,
    redirect: "error",
    ...(signal ? { signal } : {}),
  };
  let response: Response;
  try {
    response = await fetcher(request.url, init);
  } catch (error) {
    throw new PorticoError("TOKEN_REFRESH_FAILED", `Token request to ${endpoint} failed before a response arrived.`, {
      cause: safeCause(error),
    });
  }
  const obtainedAt = request.clock.now();
  const dateHeader = response.headers.get("date");
  const serverDate = dateHeader ? Date.parse(dateHeader) : undefined;
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    throw new PorticoError("TOKEN_REFRESH_FAILED", `Token response from ${endpoint} was cut off.`, { status: response.status, cause: safeCause(error) });
  }
  let parsed: unknown;
  let isJson = true;
  try {
    parsed = JSON.parse(text);
  } catch {
    isJson = false;
  }
  if (!response.ok) {
    if (isJson && typeof parsed === "object" && parsed !== null && typeof (parsed as { error?: unknown }).error === "string") {
      const { error, error_description: description } = parsed as { error: string; error_description?: unknown };
      const safeError = redact(error, request.secrets).slice(0, 100);
      const safeDescription = typeof description === "string" ? redact(description, request.secrets).slice(0, 300) : undefined;
      throw new OAuthTokenError(
        `Token endpoint ${endpoint} refused the request (${response.status} ${safeError}${safeDescription ? `: ${safeDescription}` : ""}).`,
        safeError,
        safeDescription,
        { status: response.status },
      );
    }
    throw new PorticoError("TOKEN_REFRESH_FAILED", `Token endpoint ${endpoint} answered ${response.status}.`, { status: response.status });
  }
  if (!isJson) {
    throw new PorticoError("TOKEN_RESPONSE_INVALID", `Token response from ${endpoint} is not JSON.`, { status: response.status });
  }
  return { body: parsed, obtainedAt, serverDate: serverDate !== undefined && Number.isFinite(serverDate) ? serverDate : undefined };
}
