import type { Fetcher, FetcherInit } from "../client/types.js";
import { PorticoError } from "../errors/portico-error.js";
import { excerpt, redact, safeCause } from "../internal/redact.js";
import type { Clock } from "../internal/clock.js";
import { followedToOtherOrigin } from "../internal/cross-origin.js";
import { readLimited, utf8 } from "../internal/read-limited.js";
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
  /** Aborts the request early (e.g. `TokenFetchContext.signal`: every caller waiting for it has gone). */
  readonly signal?: AbortSignal;
  /** Largest token response read, in bytes (decompressed). @default 1048576 */
  readonly maxResponseBytes?: number;
  /** Secrets in `params`, removed from anything an error keeps. */
  readonly secrets: readonly string[];
  /**
   * Client authentication `client_secret_basic` (RFC 6749 §2.3.1): the client id and secret go in
   * `Authorization: Basic`, not in the body. Absent: whatever `params` carry (`client_secret_post`).
   */
  readonly basicAuth?: { readonly clientId: string; readonly clientSecret: string };
}

/** How a client authenticates to the token endpoint (RFC 6749 §2.3.1). */
export type ClientAuthentication = "client_secret_basic" | "client_secret_post";

/** The raw answer of a successful token request. */
export interface TokenEndpointAnswer {
  readonly body: unknown;
  /** Local time the response arrived, epoch ms. */
  readonly obtainedAt: number;
  /** The response's `Date` header, epoch ms. */
  readonly serverDate: number | undefined;
}

/** A token response is a few kilobytes; one over this is not read. */
const MAX_TOKEN_RESPONSE_BYTES = 1 << 20;

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

/** The request's signal: the caller's and the timeout's, whichever aborts first. */
function requestSignal(signal: AbortSignal | undefined, timeoutMs: number): AbortSignal | undefined {
  const timeout = timeoutSignal(timeoutMs);
  if (signal === undefined || timeout === undefined) return signal ?? timeout;
  if (typeof AbortSignal.any === "function") return AbortSignal.any([signal, timeout]);
  const controller = new AbortController();
  const forward = (from: AbortSignal) => (): void => controller.abort(from.reason);
  for (const from of [signal, timeout]) {
    if (from.aborted) controller.abort(from.reason);
    else from.addEventListener("abort", forward(from), { once: true });
  }
  return controller.signal;
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
  // What the request carries, in every form an endpoint may echo: the secrets, and with
  // client_secret_basic the `id:secret` pair as sent (form-encoded, then base64).
  const basic = request.basicAuth === undefined ? [] : basicForms(request.basicAuth.clientId, request.basicAuth.clientSecret);
  const secrets = [...request.secrets, ...basic];
  const secretsRedactor = (text: string): string => redact(text, secrets);
  const fetcher: Fetcher = request.fetcher ?? ((input, init) => globalThis.fetch(input, init as RequestInit));
  const { body, contentType } = encodeBody(request);
  const signal = requestSignal(request.signal, request.timeoutMs ?? 30_000);
  const headers: Record<string, string> = { "content-type": contentType, accept: "application/json" };
  if (request.basicAuth !== undefined) headers["authorization"] = basicCredentials(request.basicAuth.clientId, request.basicAuth.clientSecret);
  const init: FetcherInit = {
    method: "POST",
    headers,
    body,
    redirect: "error",
    ...(signal ? { signal } : {}),
  };
  let response: Response;
  try {
    response = await fetcher(request.url, init);
  } catch (error) {
    throw new PorticoError("TOKEN_REFRESH_FAILED", `Token request to ${endpoint} failed before a response arrived${request.signal?.aborted === true ? " (aborted)" : ""}.`, {
      cause: safeCause(error, secretsRedactor),
    });
  }
  refuseFollowedRedirect(response, request.url, endpoint);
  const obtainedAt = request.clock.now();
  const dateHeader = response.headers.get("date");
  const serverDate = dateHeader ? Date.parse(dateHeader) : undefined;
  let text: string;
  const limit = request.maxResponseBytes ?? MAX_TOKEN_RESPONSE_BYTES;
  try {
    const body = await readLimited(response, limit);
    if (body.overLimit) {
      // A refusal is a failed request whatever its body; a 2xx this large is not a token response.
      throw new PorticoError(
        response.ok ? "TOKEN_RESPONSE_INVALID" : "TOKEN_REFRESH_FAILED",
        `Token ${response.ok ? "response" : `endpoint answered ${response.status}, and its answer`} from ${endpoint} is larger than ${limit} bytes; it was not read (a token response is a few kilobytes).`,
        { status: response.status },
      );
    }
    text = utf8(body.bytes);
  } catch (error) {
    if (error instanceof PorticoError) throw error;
    throw new PorticoError("TOKEN_REFRESH_FAILED", `Token response from ${endpoint} was cut off.`, { status: response.status, cause: safeCause(error, secretsRedactor) });
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
      const safeError = excerpt(error, 100, secretsRedactor);
      const safeDescription = typeof description === "string" ? excerpt(description, 300, secretsRedactor) : undefined;
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

/**
 * A fetcher that ignored `redirect: "error"` and followed a redirect to another origin has sent
 * the token request (client secret, refresh token, code) there: its answer is not used.
 */
function refuseFollowedRedirect(response: Response, requested: string, endpoint: string): void {
  const landed = followedToOtherOrigin(response, requested);
  if (landed === undefined) return;
  throw new PorticoError(
    "INSECURE_TRANSPORT",
    `The fetcher followed a redirect of the token endpoint ${endpoint} to another origin (${landed}) although the request asked for redirect: "error"; the client's secrets may have reached it: rotate them, and make the fetcher pass init.redirect on.`,
    { status: response.status },
  );
}

/** The `id:secret` pair of `client_secret_basic` as it travels: form-encoded, and that in base64 (the header value). */
function basicForms(clientId: string, clientSecret: string): string[] {
  const value = basicCredentials(clientId, clientSecret).slice("Basic ".length);
  const encode = (text: string) => new URLSearchParams([["", text]]).toString().slice(1);
  return [value, `${encode(clientId)}:${encode(clientSecret)}`, `${clientId}:${clientSecret}`];
}

/** `Basic base64(urlencode(id):urlencode(secret))`, as RFC 6749 §2.3.1 asks (form-encoding first). */
export function basicCredentials(clientId: string, clientSecret: string): string {
  const encode = (value: string) => new URLSearchParams([["", value]]).toString().slice(1);
  let binary = "";
  for (const byte of new TextEncoder().encode(`${encode(clientId)}:${encode(clientSecret)}`)) binary += String.fromCharCode(byte);
  return `Basic ${btoa(binary)}`;
}
