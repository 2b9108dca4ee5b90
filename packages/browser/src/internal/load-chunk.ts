import { PorticoError } from "@portico/core";

/**
 * Loads a module that a bundler puts in a chunk of its own (`import()`). A chunk that cannot be
 * fetched (offline, or an older page after a deploy removed it) fails with `NETWORK_ERROR`, its
 * cause attached, instead of the bundler's own error.
 */
export async function loadChunk<T>(caller: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (cause) {
    throw new PorticoError("NETWORK_ERROR", `${caller}: part of @portico/browser could not be loaded (a chunk of the app's bundle); check the connection, or reload the page if the app was redeployed, then try again.`, { cause });
  }
}
