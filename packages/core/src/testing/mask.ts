/**
 * What the recorder keeps of a request, with credentials masked: a recorded call can be printed,
 * logged or snapshotted without leaking a key. Credential headers, query parameters and body
 * fields keep only a fingerprint (the first characters, as core's fingerprints); everything else
 * also passes core's generic redaction (bearer values, JWTs, `client_secret=`, ...).
 */
import { fingerprint, redact } from "../internal/redact.js";

/** Header names that always carry credentials. */
const CREDENTIAL_HEADERS = new Set(["authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key", "api-key", "private-token"]);
/** Header names that look like they carry one. */
const CREDENTIAL_HEADER_NAME = /token|secret|api[-_]?key|password|passwd|session|signature|credential|(^|-)auth(-|$)/i;
/** Query parameter and body field names whose values are secrets. */
const SECRET_FIELD = /secret|password|passwd|token|api[-_]?key|assertion|verifier|credential|signature|^key$|^sig$/i;

/** Masks one secret value: its fingerprint, keeping an auth scheme (`Bearer eyJhbGci…`); Basic credentials entirely. */
export function maskValue(value: string): string {
  const scheme = /^([A-Za-z][A-Za-z0-9-]*) +(\S.*)$/.exec(value);
  if (scheme?.[1] !== undefined && scheme[2] !== undefined) return scheme[1].toLowerCase() === "basic" ? `${scheme[1]} …` : `${scheme[1]} ${fingerprint(scheme[2])}`;
  return fingerprint(value);
}

/** Headers with credential values masked: the known names, names that look like credentials, and `extra`. */
export function maskHeaders(headers: Readonly<Record<string, string>>, extra: ReadonlySet<string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name === "cookie") out[name] = value.split(";").map((pair) => maskCookie(pair.trim())).join("; ");
    else if (CREDENTIAL_HEADERS.has(name) || extra.has(name) || (name !== "idempotency-key" && CREDENTIAL_HEADER_NAME.test(name))) out[name] = maskValue(value);
    else out[name] = redact(value);
  }
  return out;
}

function maskCookie(pair: string): string {
  const at = pair.indexOf("=");
  return at < 0 ? fingerprint(pair) : `${pair.slice(0, at)}=${fingerprint(pair.slice(at + 1))}`;
}

/** The URL with credential query parameters and a userinfo password masked. */
export function maskUrl(url: URL): string {
  const masked = new URL(url.href);
  if (masked.password !== "") masked.password = "…";
  // Only the values of credential parameters change: the rest of the query stays byte for byte as sent.
  if (masked.search.length > 1) masked.search = masked.search.slice(1).split("&").map(maskPair).join("&");
  return masked.href;
}

function maskPair(pair: string): string {
  const at = pair.indexOf("=");
  if (at < 0) return pair;
  const name = decodeForm(pair.slice(0, at));
  return SECRET_FIELD.test(name) ? `${pair.slice(0, at)}=${encodeURIComponent(fingerprint(decodeForm(pair.slice(at + 1))))}` : pair;
}

function decodeForm(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, " "));
  } catch {
    return text;
  }
}

/** Query parameters (first values) with credential parameters masked. */
export function maskQuery(query: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(query)) out[name] = SECRET_FIELD.test(name) ? fingerprint(value) : redact(value);
  return out;
}

/**
 * A body with secret fields masked, as a copy: JSON values and form fields by name (at any
 * depth), text through core's redaction, `FormData` as a record of its fields (files as
 * `{ file, type, size }`); bytes are kept as they are.
 */
export function maskBody(body: unknown, depth = 0): unknown {
  if (typeof body === "string") return redact(body);
  if (typeof body !== "object" || body === null || body instanceof Uint8Array) return body;
  if (body instanceof FormData) {
    const fields: Record<string, unknown> = {};
    body.forEach((value, name) => {
      fields[name] = typeof value === "string" ? (SECRET_FIELD.test(name) ? fingerprint(value) : redact(value)) : { file: value.name, type: value.type, size: value.size };
    });
    return fields;
  }
  if (depth > 32) return body;
  if (Array.isArray(body)) return body.map((item) => maskBody(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(body)) {
    out[name] = SECRET_FIELD.test(name) && (typeof value === "string" || Array.isArray(value)) ? maskSecret(value) : maskBody(value, depth + 1);
  }
  return out;
}

function maskSecret(value: string | unknown[]): string | unknown[] {
  return typeof value === "string" ? fingerprint(value) : value.map((item) => (typeof item === "string" ? fingerprint(item) : item));
}
