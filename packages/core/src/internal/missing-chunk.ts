/**
 * What a call ends with when a module core loads with `import()` (a chunk of its own in an app's
 * bundle) cannot be loaded: an app redeployed under an open page, a page gone offline.
 */
import { PorticoError } from "../errors/portico-error.js";
import { safeCause } from "./redact.js";

/**
 * What to do when a module core loads with `import()` (a chunk of its own in an app's bundle)
 * cannot be loaded: the end of every message that says so.
 */
export const MISSING_CHUNK_FIX =
  "Reload the page or restart the app, and check that it serves all of its JavaScript chunks: a deployment that replaced them while the app was running is the usual cause.";

/** Which module could not be loaded, and what was not done for want of it. */
export interface MissingChunk<Code extends string> {
  /** The code of the error the case would have had anyway (`NETWORK_ERROR` for a request never sent). */
  readonly code: Code;
  /** What was not done, as the message starts: `"The request was not sent"`. */
  readonly notDone: string;
  /** The module, after "portico's": `"paging"`, `"token endpoint client"`. */
  readonly module: string;
  /** When it loads, after "loaded with": `"the first token request"`. */
  readonly loadedWith: string;
}

/**
 * The typed error of a module that could not be loaded: `chunk.code`, the message
 * `"<notDone>: portico's <module>, a module loaded with <loadedWith>, could not be loaded. <MISSING_CHUNK_FIX>"`,
 * and what the loader threw as `cause` (through `safeCause`: its name and redacted message only).
 */
export function missingChunkError<Code extends string>(chunk: MissingChunk<Code>, thrown: unknown, details: Readonly<Record<string, unknown>> = {}): PorticoError<Code> {
  return new PorticoError(chunk.code, `${chunk.notDone}: portico's ${chunk.module}, a module loaded with ${chunk.loadedWith}, could not be loaded. ${MISSING_CHUNK_FIX}`, { ...details, cause: safeCause(thrown) });
}
