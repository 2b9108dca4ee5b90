/** The part of the Web Storage API portico uses; any object with these three methods will do. */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/**
 * `sessionStorage` or `localStorage` if this page may use it, else `undefined`. Reading the
 * property itself throws in sandboxed frames and with storage blocked, and `setItem` throws in
 * some private modes, so both are probed.
 */
export function webStorage(kind: "sessionStorage" | "localStorage"): StorageLike | undefined {
  try {
    const storage = (globalThis as { sessionStorage?: Storage; localStorage?: Storage })[kind];
    if (storage === undefined || storage === null) return undefined;
    const probe = "portico:probe";
    storage.setItem(probe, "1");
    storage.removeItem(probe);
    return storage;
  } catch {
    return undefined;
  }
}

/** Reads and parses a JSON item; `undefined` when missing, unreadable or not JSON. */
export function readJson(storage: StorageLike, key: string): unknown {
  try {
    const text = storage.getItem(key);
    return text === null ? undefined : (JSON.parse(text) as unknown);
  } catch {
    return undefined;
  }
}

/** Writes a JSON item; false when the storage refused it (quota, blocked). */
export function writeJson(storage: StorageLike, key: string, value: unknown): boolean {
  try {
    storage.setItem(key, JSON.stringify(value));
    return true;
  } catch {
    return false;
  }
}

/** Removes an item, ignoring a storage that refuses. */
export function removeItem(storage: StorageLike, key: string): void {
  try {
    storage.removeItem(key);
  } catch {
    // Nothing to clean up in a storage we cannot reach.
  }
}
