import { PorticoError } from "../errors/portico-error.js";
import { fingerprint } from "../internal/redact.js";
import type { Authorization, Credential } from "./credential.js";
import { CredentialBase } from "./define-credential.js";
import { requireString } from "./options.js";
import { registerCredentialSecrets, type HeldSecrets } from "./secret-access.js";

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

type Placement = { readonly type: "apiKey"; readonly in: "header" | "query" | "cookie"; readonly name: string };

/** The placement of every key built without options: one object for all of them. */
const DEFAULT_PLACEMENT: Placement = Object.freeze({ type: "apiKey", in: "header", name: "X-Api-Key" });

/**
 * An API key: its key, the key before the last rotation, a rotation count (the handle of what a
 * request sent), its fingerprint and its placement in private fields; behaviour on the prototype.
 * Defined inside a call marked pure (`#__PURE__`), as its `static {}` block is a side effect.
 */
const ApiKey = /*#__PURE__*/ (() => {
  class ApiKey extends CredentialBase<"apiKey"> implements ApiKeyCredential {
    #key: string;
    /** The key before the last rotation: requests authorized with it may still echo it. */
    #previous: string | undefined;
    #version: number;
    #fingerprint: string;
    readonly #placement: Placement;

    constructor(key: string, placement: Placement) {
      super();
      this.#key = key;
      this.#previous = undefined;
      this.#version = 0;
      this.#fingerprint = fingerprint(key);
      this.#placement = placement;
    }

    get kind(): "apiKey" {
      return "apiKey";
    }

    get fingerprint(): string {
      return this.#fingerprint;
    }

    get placement(): Placement {
      return this.#placement;
    }

    authorize(): Authorization {
      return { secret: this.#key, handle: this.#version };
    }

    /** A 401 with a key rotated since is worth one replay with the new key. */
    invalidate(handle: unknown): boolean {
      return handle !== this.#version;
    }

    rotate(next: string): void {
      const rotated = requireString("apiKey.rotate", "key", next);
      this.#previous = this.#key;
      this.#key = rotated;
      this.#fingerprint = fingerprint(rotated);
      this.#version += 1;
    }

    static {
      registerCredentialSecrets(ApiKey.prototype, (credential): HeldSecrets => {
        if (!(#key in credential)) return { all: [] };
        const own = credential as ApiKey;
        const current = own.#key;
        const previous = own.#previous;
        return { all: previous === undefined ? [current] : [current, previous], environment: [current], static: current };
      });
    }
  }
  return ApiKey;
})();

/**
 * A static API key (Atlas `sk_live_…`, ERIP `erip_…`), sent in the header (or query parameter)
 * the spec's apiKey scheme names.
 * @example apiKey("sk_test_…", { header: "X-Api-Key" })
 */
export function apiKey(key: string, options: ApiKeyOptions = {}): ApiKeyCredential {
  return new ApiKey(requireString("apiKey", "key", key), placementOption(options));
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Where the key goes when no scheme says: one of `header`, `query`, `cookie`. */
function placementOption(options: ApiKeyOptions): Placement {
  const given = (["header", "query", "cookie"] as const).filter((place) => options?.[place] !== undefined);
  if (given.length > 1) {
    throw new PorticoError("INVALID_OPTIONS", `apiKey: give one of "header", "query" or "cookie" (got ${given.join(" and ")}).`, { option: given[1] });
  }
  const place = given[0] ?? "header";
  const name = options?.[place] ?? "X-Api-Key";
  if (typeof name !== "string" || !TOKEN.test(name)) {
    throw new PorticoError("INVALID_OPTIONS", `apiKey: "${place}" must be a header, parameter or cookie name such as "X-Api-Key".`, { option: place });
  }
  return place === "header" && name === "X-Api-Key" ? DEFAULT_PLACEMENT : { type: "apiKey", in: place, name };
}
