import { fingerprint, registerSecret } from "../internal/redact.js";
import type { Credential } from "./credential.js";
import { defineCredential } from "./define-credential.js";
import { requireString } from "./options.js";

/** Options of `apiKey`. */
export interface ApiKeyOptions {
  /** Header to send the key in; default: the name the spec's apiKey scheme declares, else `X-Api-Key`. */
  readonly header?: string;
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
  registerSecret(current);
  return defineCredential(
    "apiKey",
    () => fingerprint(current),
    {
      authorize(context) {
        const scheme = context.schemeDescriptor;
        const sent = current;
        const handle = version;
        if (options.header === undefined && scheme.type === "apiKey") {
          return scheme.in === "query" ? { query: { [scheme.name]: sent }, handle } : { headers: { [scheme.name]: sent }, handle };
        }
        return { headers: { [options.header ?? "X-Api-Key"]: sent }, handle };
      },
      // A 401 with a key rotated since is worth one replay with the new key.
      invalidate: (handle) => handle !== version,
    },
    { presented: () => current, environmentSecrets: () => [current] },
    {
      rotate(next: string): void {
        current = requireString("apiKey.rotate", "key", next);
        version += 1;
        registerSecret(current);
      },
    },
  );
}
