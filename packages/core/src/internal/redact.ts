/**
 * Redaction: everything an error, log line or hook payload keeps passes through here. Three
 * layers, none with per-API knowledge in code:
 * 1. secrets credentials register (`registerSecret`), removed wherever they appear;
 * 2. secret shapes a spec declares (`x-portico-credential` patterns and environment prefixes),
 *    registered when a client is built for its descriptor (`registerSecretShapes`);
 * 3. a generic fallback: credential headers and parameters, `Bearer …`/`Basic …`, JWT-shaped strings.
 */
import type { ApiDescriptor } from "../spec/descriptor.js";

const REDACTED = "[REDACTED]";
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

// --- secret shapes declared by specs -------------------------------------------------------

const MAX_SHAPES = 64;
/** Full-match patterns of declared credential formats, by source. */
const patterns = new Map<string, RegExp>();
/** Declared secret prefixes (`x-portico-credential.environments` keys), e.g. `sk_live_`. */
const prefixes = new Set<string>();
let prefixPattern: RegExp | undefined;
const registered = new WeakSet<ApiDescriptor>();

/** A prefix that cannot match ordinary words: letters/digits, then a `_` or `-` separator. */
const USABLE_PREFIX = /^[A-Za-z0-9]+[_-][A-Za-z0-9_-]*$/;
/** Candidate words for declared patterns: runs of token characters, long enough to be a key. */
const CANDIDATE = /[A-Za-z0-9_.-]{12,}/g;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Registers the secret shapes a descriptor declares (`format.pattern` and `format.environments`
 * prefixes of its security schemes), so `redact` recognises such secrets even when no credential
 * registered them (e.g. another key echoed by a server). Idempotent per descriptor; bounded.
 */
export function registerSecretShapes(descriptor: ApiDescriptor): void {
  if (registered.has(descriptor)) return;
  registered.add(descriptor);
  let newPrefix = false;
  for (const scheme of Object.values(descriptor.securitySchemes)) {
    const format = scheme.format;
    if (format === undefined) continue;
    if (format.pattern !== undefined && !patterns.has(format.pattern) && patterns.size < MAX_SHAPES) {
      try {
        patterns.set(format.pattern, new RegExp(`^(?:${format.pattern})$`));
      } catch {
        // Codegen validates patterns; a hand-written descriptor's bad one is just not used.
      }
    }
    for (const prefix of Object.keys(format.environments ?? {})) {
      if (USABLE_PREFIX.test(prefix) && !prefixes.has(prefix) && prefixes.size < MAX_SHAPES) {
        prefixes.add(prefix);
        newPrefix = true;
      }
    }
  }
  if (newPrefix) {
    const alternatives = [...prefixes].sort((a, b) => b.length - a.length).map(escapeRegExp);
    prefixPattern = new RegExp(`\\b(?:${alternatives.join("|")})[A-Za-z0-9_-]{4,}`, "g");
  }
}

/** A word that a declared pattern matches in full and that mixes letters and digits, as keys do. */
function isDeclaredSecret(word: string): boolean {
  if (!/\d/.test(word) || !/[A-Za-z]/.test(word)) return false;
  for (const pattern of patterns.values()) if (pattern.test(word)) return true;
  return false;
}

function redactDeclaredShapes(text: string): string {
  let out = prefixPattern === undefined ? text : text.replace(prefixPattern, REDACTED);
  if (patterns.size > 0) {
    out = out.replace(CANDIDATE, (word) => {
      const core = word.replace(/\.+$/, ""); // a sentence's full stop is not part of the key
      return isDeclaredSecret(core) ? `${REDACTED}${word.slice(core.length)}` : word;
    });
  }
  return out;
}

// --- generic fallback ------------------------------------------------------------------------

/** Header-like names whose value is a credential: `Authorization: …`, `"x-api-key":"…"`, `apiKey=…`. */
const HEADER_VALUE =
  /(["']?)\b(authorization|proxy-authorization|x-api-key|api[-_]?key|x-auth-token|x-access-token|private-token|cookie|set-cookie)\1(\s*[:=]\s*)(["']?)([^"'\r\n,;}&]*)/gi;
/** Parameters whose value is a secret, in forms, query strings and JSON. */
const PARAM_VALUE =
  /(["']?)\b(client_secret|clientSecret|access_token|accessToken|refresh_token|refreshToken|id_token|code_verifier|codeVerifier|password|token)\1(\s*[:=]\s*)(["']?)([^"'\s&,;}]*)/gi;
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi;
const OPAQUE_WORD = /[A-Za-z0-9_\-.~+/=]{20,}/g;
const JWT = /\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g;

/**
 * Removes credentials from `text`: registered secrets, secret shapes declared by the specs of the
 * clients built so far, `Authorization`/`X-Api-Key` values, `client_secret=`, `access_token=` and
 * similar parameters, bearer values and JWTs.
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
  out = out
    .replace(HEADER_VALUE, (_m, q: string, name: string, sep: string, vq: string) => `${q}${name}${q}${sep}${vq}${REDACTED}`)
    .replace(PARAM_VALUE, (_m, q: string, name: string, sep: string, vq: string) => `${q}${name}${q}${sep}${vq}${REDACTED}`)
    .replace(BEARER, (_m, scheme: string) => `${scheme} ${REDACTED}`)
    .replace(JWT, REDACTED);
  return redactDeclaredShapes(out);
}

/** Longest body excerpt an error keeps. */
export const EXCERPT_LIMIT = 512;

/** A bounded, redacted excerpt of an untrusted string (body, header, server message). */
export function excerpt(text: string, limit: number = EXCERPT_LIMIT): string {
  // Redact a little beyond the limit so a secret cut in half by the bound is still caught.
  const head = text.length > limit + 256 ? text.slice(0, limit + 256) : text;
  const clean = redact(head);
  return clean.length > limit ? `${clean.slice(0, limit)}…` : clean;
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
