/**
 * One attempt's credentials: each scheme of the chosen requirement asks its credential for a
 * secret, the rails check the secret about to be sent, and the scheme places it. A request that
 * would carry the credentials of two schemes where the API takes one (a credential header the
 * caller set as well) is refused with `CREDENTIAL_CONFLICT`.
 */
import type { SelectedScheme } from "../auth/bind-credentials.js";
import type { AuthorizeContext, ClaimNames } from "../auth/credential.js";
import { headerOf, placeAuthorization, type CredentialTarget } from "../auth/place-credential.js";
import { checkSend } from "../auth/request-safety.js";
import { PorticoError } from "../errors/portico-error.js";
import type { ServerEnvironment, SecuritySchemeDescriptor } from "../spec/descriptor.js";
import type { AttemptWatch } from "../observe/observer.js";
import type { OperationPlan } from "./api-plan.js";

/** What the attempt sends besides the request itself. */
export interface AuthorizedAttempt {
  readonly target: CredentialTarget;
  /** Handles to pass back to `invalidate` after a 401, one per scheme. */
  readonly handles: readonly unknown[];
}

export interface AuthorizeInput {
  readonly op: OperationPlan;
  readonly url: string;
  readonly parts: readonly SelectedScheme[];
  /** The request's headers before credentials (defaults, per call, hooks), lower-case names. */
  readonly headers: Record<string, string>;
  readonly environment: ServerEnvironment | undefined;
  /** The client's base URL, whose transport construction checked. */
  readonly baseUrl: string;
  readonly claims: ClaimNames | undefined;
  /** The attempt's signal, made only if a credential reads `context.signal`. */
  readonly attempt: { readonly signal: AbortSignal };
  /** Every scheme of the API, for the conflict check. */
  readonly schemes: Readonly<Record<string, SecuritySchemeDescriptor>>;
  /** The attempt's watch, handed to credentials that report token requests. */
  readonly watch: AttemptWatch | undefined;
}

/** Authorizes every part, writing into `input.headers`; returns what was sent, or a refusal. Throws what a credential throws. */
export async function authorizeAttempt(input: AuthorizeInput): Promise<AuthorizedAttempt | PorticoError> {
  const { op, parts, headers, url } = input;
  const callerHeaders = Object.keys(headers);
  const target: CredentialTarget = { headers, query: [], written: new Set() };
  const handles: unknown[] = [];
  const { attempt, baseUrl } = input;
  // Construction checked the base URL's transport for every credential; a URL under it needs no second look.
  const underBase = url.startsWith(baseUrl) && (url.length === baseUrl.length || url[baseUrl.length] === "/" || url[baseUrl.length] === "?");
  for (const part of parts) {
    const context: { -readonly [K in keyof AuthorizeContext]: AuthorizeContext[K] } = {
      url,
      method: op.method,
      operation: op.key,
      scopes: part.scopes,
      get signal() {
        return attempt.signal;
      },
    };
    if (part.scheme !== undefined) context.scheme = part.scheme;
    if (part.descriptor !== undefined) context.schemeDescriptor = part.descriptor;
    if (input.claims !== undefined) context.claims = input.claims;
    if (input.watch !== undefined) context.watch = input.watch;
    const authorization = await part.credential.authorize(context);
    const refusal = checkSend(part.credential, part.descriptor, authorization.secret, url, input.environment, underBase);
    if (refusal !== undefined) return refusal;
    placeAuthorization(target, part.descriptor, authorization);
    const unsendable = unsendableSecret(part, authorization.secret);
    if (unsendable !== undefined) return unsendable;
    handles.push(authorization.handle);
  }
  const conflict = conflictOf(op, parts, callerHeaders, target, input.schemes, url);
  return conflict ?? { target, handles };
}

/**
 * Tells each credential of an answered attempt how long it took from authorization to the
 * response headers; returns what they say of a 401 (see `Credential.attemptAnswered`).
 */
export function reportAnswered(parts: readonly SelectedScheme[], handles: readonly unknown[], elapsedMs: number, status: number): string | undefined {
  let note: string | undefined;
  for (let i = 0; i < parts.length; i++) {
    const said = parts[i]?.credential.attemptAnswered?.(handles[i], elapsedMs, status);
    if (said !== undefined) note = note === undefined ? said : `${note} ${said}`;
  }
  return note;
}

/** A 401's error, with what the attempt's credentials said of it (the token expired on the way). */
export function explainRefusal(error: PorticoError<string>, note: string | undefined): PorticoError<string> {
  if (note !== undefined && error.status === 401) error.message = `${error.message}${error.message.endsWith(".") ? "" : "."} ${note}`;
  return error;
}

/**
 * A credential header (or query parameter) the caller set too, or another scheme's header next to
 * the chosen one: two credentials on one request.
 */
function conflictOf(
  op: OperationPlan,
  parts: readonly SelectedScheme[],
  callerHeaders: readonly string[],
  target: CredentialTarget,
  schemes: Readonly<Record<string, SecuritySchemeDescriptor>>,
  url: string,
): PorticoError | undefined {
  if (parts.length === 0) return undefined;
  let chosen: Set<string | undefined> | undefined; // made for the first header the caller set
  const found: string[] = [];
  for (const name of callerHeaders) {
    if (name === "cookie") continue;
    if (target.written.has(name)) {
      found.push(`${name} (set by the call and by the credential)`);
      continue;
    }
    const picked = (chosen ??= new Set(parts.map((part) => part.scheme)));
    const other = Object.entries(schemes).find(([scheme, descriptor]) => !picked.has(scheme) && headerOf(descriptor) === name);
    if (other !== undefined) found.push(`${name} (scheme ${other[0]})`);
  }
  for (const written of target.written) {
    if (written.startsWith("?") && new URL(url).searchParams.has(written.slice(1))) found.push(`query parameter ${written.slice(1)} (set by the call and by the credential)`);
    if (written.startsWith("cookie:") && cookieNames(target.headers["cookie"]).filter((n) => n === written.slice(7)).length > 1) {
      found.push(`cookie ${written.slice(7)} (set by the call and by the credential)`);
    }
  }
  if (found.length === 0) return undefined;
  return new PorticoError(
    "CREDENTIAL_CONFLICT",
    `${op.key} would carry two credentials: ${found.join(", ")}. Send one: remove the header from the client's or the call's headers (or the hook that sets it), or drop the credential.`,
    { operation: op.key, headers: found },
  );
}

/** A secret HTTP cannot carry (line break, NUL, non-Latin-1): refused before anything is sent, never retried. */
function unsendableSecret(part: SelectedScheme, secret: string | undefined): PorticoError | undefined {
  const scheme = part.descriptor;
  // Basic credentials are base64-encoded, query and cookie values percent-encoded: only raw header values are at risk.
  const raw = scheme !== undefined && ((scheme.type === "apiKey" && scheme.in === "header") || (scheme.type === "http" && scheme.scheme !== "basic") || scheme.type === "oauth2" || scheme.type === "openIdConnect");
  // eslint-disable-next-line no-control-regex
  if (!raw || secret === undefined || !/[\r\n\0]|[^\u0000-\u00ff]/.test(secret)) return undefined;
  return new PorticoError(
    "INVALID_TOKEN_FORMAT",
    `Credential ${part.credential.fingerprint} holds a value HTTP cannot carry (a line break, NUL or a character outside Latin-1); check that the secret was copied whole and nothing more.`,
    { credential: part.credential.fingerprint },
  );
}

/**
 * The conflict check again, on the headers openapi-fetch middleware leaves: a credential header it
 * changed or added (another scheme's) means two credentials on one request.
 */
export function conflictAfterMiddleware(
  op: OperationPlan,
  parts: readonly SelectedScheme[],
  sent: AuthorizedAttempt,
  schemes: Readonly<Record<string, SecuritySchemeDescriptor>>,
  headers: Readonly<Record<string, string>>,
): PorticoError | undefined {
  const found: string[] = [];
  for (const name of sent.target.written) {
    if (!name.includes(":") && !name.startsWith("?") && headers[name] !== sent.target.headers[name]) found.push(`${name} (changed by middleware)`);
  }
  const chosen = new Set(parts.map((part) => part.scheme));
  for (const [scheme, descriptor] of Object.entries(schemes)) {
    const header = headerOf(descriptor);
    if (header === undefined || header === "cookie" || chosen.has(scheme) || sent.target.written.has(header) || headers[header] === undefined) continue;
    found.push(`${header} (scheme ${scheme}, added by middleware)`);
  }
  if (found.length === 0) return undefined;
  return new PorticoError("CREDENTIAL_CONFLICT", `${op.key} would carry two credentials: ${found.join(", ")}. Send one: remove it from the middleware, or drop the credential.`, {
    operation: op.key,
    headers: found,
  });
}

function cookieNames(header: string | undefined): string[] {
  return header === undefined ? [] : header.split(";").map((pair) => pair.split("=", 1)[0]?.trim() ?? "");
}
