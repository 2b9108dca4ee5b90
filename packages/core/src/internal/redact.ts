/**
 * Redaction helpers: everything an error, log line or hook payload keeps passes through here.
 * Credentials register their secrets (bounded, most recent kept) so `redact` can remove them
 * wherever they appear, not only where a pattern recognises them.
 */

const MAX_KNOWN_SECRETS = 512;
const MIN_SECRET_LENGTH = 8;
const known = new Set<string>();

/** Remembers a secret so `redact` removes it from any text. Short strings are ignored. */
export function registerSecret(secret: string | undefined): void {
  if (typeof secret !== "string" || secret.length < MIN_SECRET_LENGTH) return;
  if (known.has(secret)) known.delete(secret);
  known.add(secret);
  if (known.size > MAX_KNOWN_SECRETS) {
    const oldest = known.values().next().value;
    if (oldest !== undefined) known.delete(oldest);
  }
}

/** Forgets a secret registered with `registerSecret` (e.g. a token that was replaced). */
export function forgetSecret(secret: string | undefined): void {
  if (secret !== undefined) known.delete(secret);
}

/**
 * Safe identification of a secret: its first 8 characters and `…`, as ERIP keeps for its keys.
 * Secrets shorter than 16 characters show only a quarter of their length.
 * @example fingerprint("erip_abc123456789") // "erip_abc…"
 */
export function fingerprint(secret: string): string {
  const shown = secret.length >= 16 ? 8 : Math.floor(secret.length / 4);
  return `${secret.slice(0, shown)}…`;
}

const REDACTED = "[REDACTED]";
/** Header-like names whose value is a credential: `Authorization: …`, `"x-api-key":"…"`, `apiKey=…`. */
const HEADER_VALUE =
  /(["']?)\b(authorization|proxy-authorization|x-api-key|api[-_]?key|cookie|set-cookie)\1(\s*[:=]\s*)(["']?)([^"'\r\n,;}&]*)/gi;
/** Parameters whose value is a secret, in forms, query strings and JSON. */
const PARAM_VALUE =
  /(["']?)\b(client_secret|clientSecret|access_token|accessToken|refresh_token|refreshToken|id_token|code_verifier|codeVerifier|password|token)\1(\s*[:=]\s*)(["']?)([^"'\s&,;}]*)/gi;
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi;
const OPAQUE_WORD = /[A-Za-z0-9_\-.~+/=]{20,}/g;
const JWT = /\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g;

/**
 * Removes credentials from `text`: known secrets, `Authorization`/`X-Api-Key` values,
 * `client_secret=`, `access_token=` and similar parameters, bearer values and JWTs.
 * @param secrets extra secrets to remove besides the registered ones.
 */
export function redact(text: string, secrets?: Iterable<string>): string {
  let out = text;
  if (secrets !== undefined) {
    for (const secret of secrets) {
      if (secret.length >= MIN_SECRET_LENGTH) out = out.split(secret).join(REDACTED);
    }
  }
  for (const secret of known) {
    if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  return out
    .replace(HEADER_VALUE, (_m, q: string, name: string, sep: string, vq: string) => `${q}${name}${q}${sep}${vq}${REDACTED}`)
    .replace(PARAM_VALUE, (_m, q: string, name: string, sep: string, vq: string) => `${q}${name}${q}${sep}${vq}${REDACTED}`)
    .replace(BEARER, (_m, scheme: string) => `${scheme} ${REDACTED}`)
    .replace(JWT, REDACTED);
}

/**
 * A stand-in for an error we did not create (a user's provider, the runtime's fetch) to keep as
 * `cause`: same name and redacted message, nothing else (no fields that might hold a request).
 */
export function safeCause(error: unknown): Error {
  const name = error instanceof Error ? error.name : "Error";
  const message = error instanceof Error ? error.message : String(error);
  const inner = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : "";
  // Foreign messages may hold secrets nobody registered: also drop long opaque words that mix
  // letters and digits, the shape of keys and tokens.
  const text = redact(`${message}${inner}`).replace(OPAQUE_WORD, (word) => (/\d/.test(word) && /[A-Za-z]/.test(word) ? REDACTED : word));
  const cause = new Error(text.slice(0, 500));
  cause.name = name;
  return cause;
}
