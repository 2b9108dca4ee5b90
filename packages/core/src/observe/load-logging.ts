/**
 * The observer of a client that logs: its logger, loaded on the first call (a separate chunk, so
 * bundles of apps that never log leave it out), with its tracers.
 */
import type { Logger, LogLevel } from "./log-level.js";
import { combineObservers, type CallObserver } from "./observer.js";

/** Logging settings of a client whose level is not `"off"`. */
export interface LoggingSettings {
  readonly logger: Logger;
  readonly level: LogLevel;
  /** The client's other observers (`telemetry`). */
  readonly telemetry: readonly CallObserver[];
}

const loaded = new WeakMap<LoggingSettings, Promise<CallObserver>>();

/** The logger and the tracers as one observer, made once per settings object. */
export function loggingObserver(settings: LoggingSettings): Promise<CallObserver> {
  let observer = loaded.get(settings);
  if (observer === undefined) {
    observer = import("./log-observer.js").then(({ logObserver }) => combineObservers([logObserver(settings.logger, settings.level), ...settings.telemetry]));
    loaded.set(settings, observer);
  }
  return observer;
}
