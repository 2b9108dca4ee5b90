import { PorticoError } from "../errors/portico-error.js";
import { fingerprint } from "../internal/redact.js";
import type { Credential } from "./credential.js";
import { defineCredential } from "./define-credential.js";
import { requireString } from "./options.js";

/** Options of `apiKey`: where the key goes when the spec declares no apiKey scheme for the call (the spec's scheme wins). */
export interface ApiKeyOptions {
  /** Header to send the key in. @default "X-Api-Key" */
  readonly header?: string;
  /** Query parameter to send the key in, instead of a header. */
  readonly query?: string;
  /** Cookie to send the key in, instead of a header. */
  readonly cookie?: string;
}

/** An API key credential; `rotate` swaps the key on a live client. */
export interface ApiKeyCredential extends Credential<"apiKey"> {
  /**
   * Uses `key` from the next request on. Requests already authorized keep the key they started
   * with (Atlas keeps the old key valid for 24 h after rotation).
   */
  rotate(key: string): void;
}

/**
 * A static API key (Atlas `sk_live_…`, ERIP `erip_…`), sent in the header (or query parameter)
 * the spec's apiKey scheme names.
 * @example apiKey("sk_test_…", { header: "X-Api-Key" })
 */
export function apiKey(key: string, options: ApiKeyOptions = {}): ApiKeyCredential {
  let current = requireString("apiKey", "key", key);
  let version = 0;
  /** The key before the last rotation: requests authorized with it may still echo it. */
  let previous: string | undefined;
  return defineCredential(
    "apiKey",
    () => fingerprint(current),
    {
      authorize: () => ({ secret: current, handle: version }),
      // A 401 with a key rotated since is worth one replay with the new key.
      invalidate: (handle) => handle !== version,
    },
    () => ({ all: previous === undefined ? [current] : [current, previous], environment: [current], static: current }),
    {
      placement: placementOption(options),
      rotate(next: string): void {
        const rotated = requireString("apiKey.rotate", "key", next);
        previous = current;
        current = rotated;
        version += 1;
      },
    },
  );
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Where the key goes when no scheme says: one of `header`, `query`, `cookie`. */
function placementOption(options: ApiKeyOptions): { type: "apiKey"; in: "header" | "query" | "cookie"; name: string } {
  const given = (["header", "query", "cookie"] as const).filter((place) => options?.[place] !== undefined);
  if (given.length > 1) {
    throw new PorticoError("INVALID_OPTIONS", `apiKey: give one of "header", "query" or "cookie" (got ${given.join(" and ")}).`, { option: given[1] });
  }
  const place = given[0] ?? "header";
  const name = options?.[place] ?? "X-Api-Key";
  if (typeof name !== "string" || !TOKEN.test(name)) {
    throw new PorticoError("INVALID_OPTIONS", `apiKey: "${place}" must be a header, parameter or cookie name such as "X-Api-Key".`, { option: place });
  }
  return { type: "apiKey", in: place, name };
}
