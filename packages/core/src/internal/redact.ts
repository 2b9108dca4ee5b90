/**
 * Redaction: everything an error, log line or hook payload keeps passes through here. Three
 * layers, none with per-API knowledge in code and none process-wide:
 * 1. the secrets a client's credentials hold (passed in by the client: keys, client secrets,
 *    current and refresh tokens), also in their percent-, form-, JSON- and base64-encoded forms;
 * 2. the secret shapes the client's spec declares (`x-portico-credential` patterns and
 *    environment prefixes), compiled once per API;
 * 3. a generic fallback: credential headers and parameters, `Bearer …`/`Basic …`, JWT-shaped strings.
 */
import type { SecuritySchemeDescriptor } from "../spec/descriptor.js";

const REDACTED = "[REDACTED]";
const MIN_SECRET_LENGTH = 8;

/** Removes what must not be printed from a text. */
export type Redactor = (text: string) => string;

/**
 * Safe identification of a secret: its first 8 characters and `…`, as ERIP keeps for its keys.
 * Secrets shorter than 16 characters show only a quarter of their length.
 * @example fingerprint("erip_abc123456789") // "erip_abc…"
 */
export function fingerprint(secret: string): string {
  const shown = secret.length >= 16 ? 8 : Math.floor(secret.length / 4);
  return `${secret.slice(0, shown)}…`;
}

// --- secret shapes declared by a spec ------------------------------------------------------

/** The secret shapes of one API, compiled once. */
export interface SecretShapes {
  /** Full-match patterns of declared credential formats. */
  readonly patterns: readonly RegExp[];
  /** Declared secret prefixes followed by key characters, e.g. `sk_live_…`. */
  readonly prefix: RegExp | undefined;
}

/** A prefix that cannot match ordinary words: letters/digits, then a `_` or `-` separator. */
const USABLE_PREFIX = /^[A-Za-z0-9]+[_-][A-Za-z0-9_-]*$/;
/** Candidate words for declared patterns: runs of token characters, long enough to be a key. */
const CANDIDATE = /[A-Za-z0-9_.-]{12,}/g;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Compiles the secret shapes security schemes declare (`format.pattern`, `format.environments` prefixes). */
export function secretShapesOf(schemes: Readonly<Record<string, SecuritySchemeDescriptor>>): SecretShapes {
  const patterns: RegExp[] = [];
  const prefixes = new Set<string>();
  for (const scheme of Object.values(schemes)) {
    const format = "format" in scheme ? scheme.format : undefined;
    if (format === undefined) continue;
    if (format.pattern !== undefined) {
      try {
        patterns.push(new RegExp(`^(?:${format.pattern})$`));
      } catch {
        // Codegen validates patterns; a hand-written descriptor's bad one is just not used.
      }
    }
    for (const prefix of Object.keys(format.environments ?? {})) if (USABLE_PREFIX.test(prefix)) prefixes.add(prefix);
  }
  const alternatives = [...prefixes].sort((a, b) => b.length - a.length).map(escapeRegExp);
  return { patterns, prefix: alternatives.length === 0 ? undefined : new RegExp(`\\b(?:${alternatives.join("|")})[A-Za-z0-9_-]{4,}`, "g") };
}

/** A word that a declared pattern matches in full and that mixes letters and digits, as keys do. */
function isDeclaredSecret(word: string, shapes: SecretShapes): boolean {
  if (!/\d/.test(word) || !/[A-Za-z]/.test(word)) return false;
  return shapes.patterns.some((pattern) => pattern.test(word));
}

function redactDeclaredShapes(text: string, shapes: SecretShapes): string {
  let out = shapes.prefix === undefined ? text : text.replace(shapes.prefix, REDACTED);
  if (shapes.patterns.length > 0) {
    out = out.replace(CANDIDATE, (word) => {
      const core = word.replace(/\.+$/, ""); // a sentence's full stop is not part of the key
      return isDeclaredSecret(core, shapes) ? `${REDACTED}${word.slice(core.length)}` : word;
    });
  }
  return out;
}

/** The forms a secret may be echoed in: as is, percent-encoded, form-encoded, JSON-escaped, base64. */
function formsOf(secret: string): string[] {
  const forms = new Set([secret, encodeURIComponent(secret), new URLSearchParams([["", secret]]).toString().slice(1), JSON.stringify(secret).slice(1, -1)]);
  try {
    let binary = "";
    for (const byte of new TextEncoder().encode(secret)) binary += String.fromCharCode(byte);
    forms.add(btoa(binary).replace(/=+$/, ""));
  } catch {
    // Not encodable: the plain forms remain.
  }
  return [...forms].filter((form) => form.length >= MIN_SECRET_LENGTH);
}

// --- generic fallback ------------------------------------------------------------------------

/** Header-like names whose value is a credential: `Authorization: …`, `"x-api-key":"…"`, `apiKey=…`. */
const HEADER_NAMES = "authorization|proxy-authorization|x-api-key|api[-_]?key|x-auth-token|x-access-token|private-token|cookie|set-cookie";
const HEADER_VALUE = new RegExp(`(["']?)\\b(${HEADER_NAMES})\\1(\\s*[:=]\\s*)(["']?)([^"'\\r\\n,;}&]*)`, "gi");
/** Parameters whose value is a secret, in forms, query strings and JSON. */
const PARAM_NAMES = "client_secret|clientSecret|access_token|accessToken|refresh_token|refreshToken|id_token|code_verifier|codeVerifier|password|token";
const PARAM_VALUE = new RegExp(`(["']?)\\b(${PARAM_NAMES})\\1(\\s*[:=]\\s*)(["']?)([^"'\\s&,;}]*)`, "gi");
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi;
const OPAQUE_WORD = /[A-Za-z0-9_\-.~+/=]{20,}/g;
const JWT = /\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g;
/** What one of the four patterns above needs to match, from their own names: text without it skips them (most does). */
const MAYBE_CREDENTIAL = new RegExp(`${HEADER_NAMES}|${PARAM_NAMES}|bearer|basic|eyJ`, "i");

/**
 * Removes credentials from `text`: the given secrets (in every encoded form), the given secret
 * shapes, `Authorization`/`X-Api-Key` values, `client_secret=`, `access_token=` and similar
 * parameters, bearer values and JWTs.
 */
export function redact(text: string, secrets?: Iterable<string>, shapes?: SecretShapes, forms: (secret: string) => readonly string[] = formsOf): string {
  let out = text;
  if (secrets !== undefined && text.length >= MIN_SECRET_LENGTH) {
    for (const secret of secrets) {
      // Every encoded form is at least as long as the secret: a shorter text holds none of them
      // (a request id is never searched for a token's forms, nor are they worked out for it).
      if (typeof secret !== "string" || secret.length < MIN_SECRET_LENGTH || secret.length > out.length) continue;
      for (const form of forms(secret)) if (out.includes(form)) out = out.split(form).join(REDACTED);
    }
  }
  if (!MAYBE_CREDENTIAL.test(out)) return shapes === undefined ? out : redactDeclaredShapes(out, shapes);
  out = out
    .replace(HEADER_VALUE, (_m, q: string, name: string, sep: string, vq: string) => `${q}${name}${q}${sep}${vq}${REDACTED}`)
    .replace(PARAM_VALUE, (_m, q: string, name: string, sep: string, vq: string) => `${q}${name}${q}${sep}${vq}${REDACTED}`)
    .replace(BEARER, (_m, scheme: string) => `${scheme} ${REDACTED}`)
    .replace(JWT, REDACTED);
  return shapes === undefined ? out : redactDeclaredShapes(out, shapes);
}

/**
 * The encoded forms of the secrets each owner's redactors have met (an owner: a client's state),
 * kept here rather than on the owner, where printing the owner would show them.
 */
const formsByOwner = new WeakMap<object, Map<string, readonly string[]>>();

/**
 * A redactor for a client: its credentials' secrets as of each use, and its spec's shapes. The
 * encoded forms it works out are kept for `owner`, so redactors made one per call share them.
 */
export function redactorFor(secrets: () => Iterable<string>, shapes?: SecretShapes, owner: object = {}): Redactor {
  // A secret's encoded forms are worked out once, not per text, and only when a text long enough
  // to hold them is redacted (an error body, a log line): a client redacts every response's request
  // id, and a tenant fleet's clients would otherwise each keep their token's base64 form. At most
  // MAX_CACHED_SECRETS are kept (a token rotated out drops when the map is renewed).
  const forms = (secret: string): readonly string[] => {
    let cache = formsByOwner.get(owner);
    let known = cache?.get(secret);
    if (known === undefined) {
      if (cache === undefined || cache.size >= MAX_CACHED_SECRETS) formsByOwner.set(owner, (cache = new Map()));
      known = formsOf(secret);
      cache.set(secret, known);
    }
    return known;
  };
  return (text) => redact(text, secrets(), shapes, forms);
}

/** Secrets whose forms one redactor keeps (a client holds a handful: keys, current and previous tokens). */
const MAX_CACHED_SECRETS = 16;

/** Longest body excerpt an error keeps. */
export const EXCERPT_LIMIT = 512;

/**
 * A bounded, redacted excerpt of an untrusted string (body, header, server message), with its
 * control characters escaped: server text printed in a log or a terminal is shown, never acted on.
 */
export function excerpt(text: string, limit: number = EXCERPT_LIMIT, redactor: Redactor = redact): string {
  // Redact a window reaching a margin beyond the limit, so a secret the window cuts in half lies
  // past the limit. Redactions shorten the text, so the window grows (doubling) until what is
  // left after redaction still reaches past the margin, or the whole text is read.
  const margin = limit + 256;
  let end = Math.min(text.length, margin);
  let clean = redactor(text.slice(0, end));
  while (end < text.length && clean.length < margin) {
    end = Math.min(text.length, end * 2);
    clean = redactor(text.slice(0, end));
  }
  clean = escapeControls(clean);
  return clean.length > limit ? `${clean.slice(0, limit)}…` : clean;
}

/**
 * Characters by which text acts on the log or terminal it is printed to: C0 and C1 controls (a
 * line break forges a log line, ESC starts a terminal sequence, NUL cuts a C string), DEL, the
 * Unicode line and paragraph separators, and the bidirectional controls that reorder what a reader
 * sees.
 */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const SHORT_ESCAPES: Readonly<Record<string, string>> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/** `text` with each control character written as its escape (`\n`, `\u001b`). */
function escapeControls(text: string): string {
  return text.replace(CONTROL, (c) => SHORT_ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/**
 * A stand-in for an error we did not create (a user's provider, the runtime's fetch) to keep as
 * `cause`: same name and redacted message, nothing else (no fields that might hold a request).
 */
export function safeCause(error: unknown, redactor: Redactor = redact): Error {
  const name = error instanceof Error ? error.name : "Error";
  const message = error instanceof Error ? error.message : String(error);
  const inner = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : "";
  // Foreign messages may hold secrets nobody registered: also drop long opaque words that mix
  // letters and digits, the shape of keys and tokens.
  const text = redactor(`${message}${inner}`).replace(OPAQUE_WORD, (word) => (/\d/.test(word) && /[A-Za-z]/.test(word) ? REDACTED : word));
  const cause = new Error(text.slice(0, 500));
  cause.name = name;
  return cause;
}
