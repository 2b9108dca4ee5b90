import type { RedisConnection } from "./redis-connection.js";

/** Why a shared store stopped using Redis for a while. */
export interface RedisFallbackEvent {
  /** `"unavailable"`: not connected; `"error"`: a command failed. */
  readonly reason: "unavailable" | "error";
  /** The store operation that noticed (`get`, `set`, `lock`, `reserve`, `spend`, ...). */
  readonly operation: string;
  /** Redacted error (name, message and code only), for `"error"`. */
  readonly error?: Error;
}

/** A Redis error, redacted: name, message and `code` only, never the command's arguments. */
export interface RedisErrorEvent {
  readonly operation: string;
  readonly error: Error;
}

/** Observability of a shared store. Hooks never throw into a call; their errors are ignored. */
export interface RedisStoreHooks {
  /** Fired once when Redis becomes unusable: the store now serves this process's own state. */
  onFallback?(event: RedisFallbackEvent): void;
  /** Fired for every Redis error, including background reconnect failures (`operation: "connection"`). */
  onRedisError?(event: RedisErrorEvent): void;
  /** Fired once when Redis answers again after a fallback. */
  onRecover?(): void;
}

/** Runs Redis operations for a store that falls back to its own process when Redis fails. */
export interface RedisGuard {
  /** `"redis"` while Redis answers, `"fallback"` while the store runs on this process's own copy. */
  readonly mode: "redis" | "fallback";
  /** Runs one Redis operation; `undefined` (after falling back) when Redis is down or the command failed. */
  attempt<R>(operation: string, run: () => Promise<R>): Promise<{ value: R } | undefined>;
  /** Reports an error that is not a failed command (an undecodable entry). */
  report(operation: string, error: unknown): void;
  /** Runs `listener` (before `onRecover`) each time Redis answers again after a fallback. */
  onRecovered(listener: () => void): void;
  /** Stops listening to the connection's events. */
  dispose(): void;
}

/** Tracks fallback and recovery over `connection`, firing `hooks` once per change. */
export function createRedisGuard(connection: RedisConnection, hooks: RedisStoreHooks): RedisGuard {
  let mode: "redis" | "fallback" = "redis";
  const listeners: (() => void)[] = [];
  const onReady = (): void => recovered();
  connection.redis.on("ready", onReady);

  function recovered(): void {
    if (mode === "redis") return;
    mode = "redis";
    for (const listener of listeners) safely(listener);
    safely(() => hooks.onRecover?.());
  }

  function fellBack(operation: string, error?: unknown): void {
    const redacted = error === undefined ? undefined : redactRedisError(error);
    if (redacted !== undefined) safely(() => hooks.onRedisError?.({ operation, error: redacted }));
    if (mode === "fallback") return;
    mode = "fallback";
    const event: RedisFallbackEvent =
      redacted === undefined ? { reason: "unavailable", operation } : { reason: "error", operation, error: redacted };
    safely(() => hooks.onFallback?.(event));
  }

  return {
    get mode() {
      return mode;
    },
    async attempt(operation, run) {
      if (!(await connection.ready())) {
        fellBack(operation);
        return undefined;
      }
      try {
        const value = await run();
        recovered();
        return { value };
      } catch (error) {
        fellBack(operation, error);
        return undefined;
      }
    },
    report(operation, error) {
      safely(() => hooks.onRedisError?.({ operation, error: redactRedisError(error) }));
    },
    onRecovered(listener) {
      listeners.push(listener);
    },
    dispose() {
      connection.redis.off("ready", onReady);
    },
  };
}

/** Keeps name, message and code: ioredis errors can carry the command and its arguments (a token). */
export function redactRedisError(error: unknown): Error {
  if (!(error instanceof Error)) return new Error("Redis error");
  const copy = new Error(error.message);
  copy.name = error.name;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string") Object.assign(copy, { code });
  return copy;
}

/** Runs a hook; a failing hook must not fail the call. */
export function safely(hook: () => void): void {
  try {
    hook();
  } catch {
    // ignored
  }
}
