import { missingChunkError } from "@portico/core/internal";

/**
 * Loads a module that a bundler puts in a chunk of its own (`import()`). A chunk that cannot be
 * fetched (offline, or an older page after a deploy removed it) fails with `NETWORK_ERROR`, as
 * core's own lazy modules do, instead of the bundler's own error: `notDone` says what did not
 * happen, `caller` is the function that needed the module.
 */
export async function loadChunk<T>(caller: string, notDone: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (thrown) {
    throw missingChunkError({ code: "NETWORK_ERROR", notDone, module: `${caller} code`, loadedWith: `the first ${caller}()` }, thrown);
  }
}
