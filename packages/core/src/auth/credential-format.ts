import { PorticoError } from "../errors/portico-error.js";
import type { SecuritySchemeDescriptor } from "../spec/descriptor.js";
import type { Credential } from "./credential.js";

const compiled = new Map<string, RegExp | null>();

function patternOf(source: string): RegExp | null {
  let pattern = compiled.get(source);
  if (pattern === undefined) {
    try {
      pattern = new RegExp(source);
    } catch {
      pattern = null;
    }
    compiled.set(source, pattern);
  }
  return pattern;
}

/**
 * Checks a static credential against the format the scheme declares
 * (`x-portico-credential.pattern`, e.g. EUDR `^eudr_live_[0-9a-f]{48}$`), locally, before any
 * request. `INVALID_TOKEN_FORMAT` on a mismatch.
 */
export function checkCredentialFormat(credential: Credential, scheme: SecuritySchemeDescriptor | undefined, secret: string | undefined): PorticoError | undefined {
  const source = scheme !== undefined && "format" in scheme ? scheme.format?.pattern : undefined;
  if (source === undefined || secret === undefined || credential.kind === "none") return undefined;
  const pattern = patternOf(source);
  if (pattern === null || pattern.test(secret)) return undefined;
  return new PorticoError(
    "INVALID_TOKEN_FORMAT",
    `Credential ${credential.fingerprint} does not have the format this API expects (${source}); check that the whole token was copied.`,
    { credential: credential.fingerprint, pattern: source },
  );
}
