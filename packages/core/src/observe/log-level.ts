/**
 * The logger's public shape and levels, apart from the logger itself: a client that logs loads
 * `log-observer.ts` on its first call, so an app that never logs does not bundle it.
 */

/** A console-like logger: `console`, pino, winston and most others fit. */
export interface Logger {
  error(message: string, ...details: unknown[]): void;
  warn(message: string, ...details: unknown[]): void;
  info(message: string, ...details: unknown[]): void;
  debug(message: string, ...details: unknown[]): void;
}

/** How much the client logs; each level includes the ones before it. */
export type LogLevel = "off" | "error" | "warn" | "info" | "debug";

export const LOG_LEVELS: readonly LogLevel[] = ["off", "error", "warn", "info", "debug"];
