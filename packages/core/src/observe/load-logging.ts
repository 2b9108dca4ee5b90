/**
 * The observer of a client that logs: its logger, loaded on the first call (a separate chunk, so
 * bundles of apps that never log leave it out), with its tracers.
 */
import { MISSING_CHUNK_FIX } from "../internal/missing-chunk.js";
import { safeCause } from "../internal/redact.js";
import type { Logger, LogLevel } from "./log-level.js";
import { combineObservers, type CallObserver } from "./observer.js";

/** Logging settings of a client whose level is not `"off"`. */
export interface LoggingSettings {
  readonly logger: Logger;
  readonly level: LogLevel;
  /** The client's other observers (`telemetry`). */
  readonly telemetry: readonly CallObserver[];
}

/** The observer of each settings object, once its logger is loaded (or while it loads). */
const loaded = new WeakMap<LoggingSettings, Promise<CallObserver | undefined>>();

/** Settings whose logger was told that its module could not be loaded. */
const warned = new WeakSet<LoggingSettings>();

const LOGGER_MISSING = `[portico] log lines are off: portico's logger, a module loaded with the first call of a client that logs, could not be loaded; the next call tries again. ${MISSING_CHUNK_FIX}`;

/**
 * The logger and the tracers as one observer, made once per settings object. Logging never fails
 * a call: if the logger's module cannot be loaded (a chunk the app no longer serves after a
 * deployment, or a page gone offline), the call goes on with the tracers alone, the logger gets
 * one `warn` saying so (once per settings object, whatever its level), and the next call tries to
 * load the module again.
 */
export function loggingObserver(settings: LoggingSettings): Promise<CallObserver | undefined> {
  let observer = loaded.get(settings);
  if (observer === undefined) {
    observer = import("./log-observer.js").then(
      ({ logObserver }) => combineObservers([logObserver(settings.logger, settings.level), ...settings.telemetry]),
      (thrown: unknown) => {
        loaded.delete(settings);
        warnOnce(settings, thrown);
        return settings.telemetry.length === 0 ? undefined : combineObservers(settings.telemetry);
      },
    );
    loaded.set(settings, observer);
  }
  return observer;
}

/** Tells the logger, once per settings object, that its log lines are off; a logger that throws is ignored. */
function warnOnce(settings: LoggingSettings, thrown: unknown): void {
  if (warned.has(settings)) return;
  warned.add(settings);
  try {
    settings.logger.warn(LOGGER_MISSING, { cause: safeCause(thrown) });
  } catch {
    // A logger that fails is no reason to fail the call.
  }
}
