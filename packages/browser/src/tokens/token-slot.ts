import type { CachedToken } from "@portico/core";
import { PorticoError } from "@portico/core";
import { readJson, removeItem, webStorage, writeJson, type StorageLike } from "../internal/web-storage.js";

/**
 * Where this tab keeps the session's token. In memory by default (gone with the tab, out of
 * reach of anything that reads storage later); `sessionStorage` survives reloads of this tab;
 * `localStorage` survives the browser and is readable by any script on the origin, so it needs
 * `persistentStorageAcknowledgingXssRisk: true`.
 */
export type TokenStorageOptions =
  | {
      /** @default "memory" */
      readonly tokenStorage?: "memory" | "sessionStorage";
      readonly persistentStorageAcknowledgingXssRisk?: boolean;
    }
  | {
      readonly tokenStorage: "localStorage";
      /**
       * Required to store tokens in `localStorage`: any script that runs on the origin (one XSS)
       * can read them, and they outlive the tab. Prefer memory plus cross-tab sharing.
       */
      readonly persistentStorageAcknowledgingXssRisk: true;
    };

/** One token, in memory or in Web Storage. */
export interface TokenSlot {
  /** Where the token actually lives (`memory` when the requested storage is unavailable). */
  readonly kind: "memory" | "sessionStorage" | "localStorage";
  read(): CachedToken | undefined;
  write(token: CachedToken): void;
  clear(): void;
}

/** Whether a value read back from storage or another tab has the shape of a cached token. */
export function isCachedToken(value: unknown): value is CachedToken {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.accessToken === "string" &&
    v.accessToken !== "" &&
    typeof v.expiresAt === "number" &&
    typeof v.obtainedAt === "number" &&
    (v.refreshToken === undefined || typeof v.refreshToken === "string") &&
    (v.tenant === undefined || typeof v.tenant === "string") &&
    (v.scopes === undefined || (Array.isArray(v.scopes) && v.scopes.every((s) => typeof s === "string")))
  );
}

function memorySlot(): TokenSlot {
  let token: CachedToken | undefined;
  return {
    kind: "memory",
    read: () => token,
    write(next) {
      token = next;
    },
    clear() {
      token = undefined;
    },
  };
}

function storageSlot(kind: "sessionStorage" | "localStorage", storage: StorageLike, key: string): TokenSlot {
  const fallback = memorySlot();
  return {
    kind,
    read() {
      const stored = readJson(storage, key);
      return isCachedToken(stored) ? stored : fallback.read();
    },
    write(token) {
      fallback.write(token);
      writeJson(storage, key, token);
    },
    clear() {
      fallback.clear();
      removeItem(storage, key);
    },
  };
}

/** Checks the storage options once (a `localStorage` choice without the acknowledgement throws `INVALID_OPTIONS`). */
export function resolveTokenStorage(factory: string, options: TokenStorageOptions): "memory" | "sessionStorage" | "localStorage" {
  const choice = options.tokenStorage ?? "memory";
  if (choice !== "memory" && choice !== "sessionStorage" && choice !== "localStorage") {
    throw new PorticoError("INVALID_OPTIONS", `${factory}: "tokenStorage" must be "memory", "sessionStorage" or "localStorage".`, { option: "tokenStorage" });
  }
  if (choice === "localStorage" && options.persistentStorageAcknowledgingXssRisk !== true) {
    throw new PorticoError(
      "INVALID_OPTIONS",
      `${factory}: tokenStorage "localStorage" keeps tokens readable by any script on the origin after the tab closes; set "persistentStorageAcknowledgingXssRisk: true" to accept that, or use "memory" (default) or "sessionStorage".`,
      { option: "persistentStorageAcknowledgingXssRisk" },
    );
  }
  return choice;
}

/**
 * The slot for a session named `name`. A Web Storage choice that the page cannot use (blocked,
 * sandboxed frame) falls back to memory rather than failing.
 */
export function createTokenSlot(choice: "memory" | "sessionStorage" | "localStorage", name: string): TokenSlot {
  if (choice === "memory") return memorySlot();
  const storage = webStorage(choice);
  return storage === undefined ? memorySlot() : storageSlot(choice, storage, `portico:token:${name}`);
}
