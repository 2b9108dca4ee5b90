/**
 * Public types of the request pipeline: client options, the fetcher contract, typed methods,
 * results, meta, hooks. Generated `createXApiClient` factories are written against these.
 */
import type {
  HeadersOptions,
  Middleware,
  ParamsOption,
  ParseAsResponse,
  QuerySerializerOptions,
  RequestBodyOption,
} from "openapi-fetch";
import type {
  FilterKeys,
  HttpMethod,
  MediaType,
  PathsWithMethod,
  Readable,
  RequiredKeysOf,
  ResponseObjectMap,
  SuccessResponse,
} from "openapi-typescript-helpers";
import type { Credential, CredentialKind } from "../auth/credential.js";
import type { ApiError } from "../errors/api-error.js";
import type { CallErrorCode } from "../errors/codes.js";
import type { PorticoError } from "../errors/portico-error.js";
import type { StatusErrorCode } from "../errors/status-codes.js";
import type { Logger, LogLevel } from "../observe/log-level.js";
import type { CallObserver } from "../observe/observer.js";
import type { PacingOptions } from "../pacing/pacing.js";
import type { ConcurrencyGate } from "../resilience/concurrency-gate.js";
import type { CircuitBreakerOptions, RetryBudgetOptions } from "../resilience/origin-health.js";

export type { HttpMethod, MediaType, Middleware, PathsWithMethod };

// ---------------------------------------------------------------------------------------------
// Fetcher
// ---------------------------------------------------------------------------------------------

/**
 * What the client hands to the fetcher: a `RequestInit` whose `headers` is a plain object
 * (lower-case names, `content-type: application/json` kept on JSON bodies) and whose `body` is
 * already buffered, so every retry sends identical bytes.
 */
export interface FetcherInit extends Omit<RequestInit, "headers" | "body"> {
  method: string;
  headers: Record<string, string>;
  body?: string | Uint8Array<ArrayBuffer>;
  /** Aborts on the caller's signal or the per-attempt timeout. */
  signal?: AbortSignal;
  /**
   * `"manual"` whenever a credential is attached: the client then follows same-origin redirects
   * itself (up to 5) and refuses cross-origin ones with `INSECURE_TRANSPORT`, so a credential
   * never reaches another origin. Unset otherwise (the fetcher's default, usually `"follow"`).
   */
  redirect?: RequestRedirect;
  /**
   * Node only: the undici `Dispatcher` of a `mutualTLS` credential, whose connections present the
   * client certificate. Node's global `fetch` and `@portico/node`'s fetcher honour it; pass it on
   * when wrapping another fetcher.
   */
  dispatcher?: object;
}

/**
 * Sends one HTTP attempt. Defaults to `globalThis.fetch` (looked up at call time).
 *
 * @example
 * const fetcher: Fetcher = (url, init) =>
 *   fetch(url, { ...init, headers: { ...init?.headers, Authorization: `Bearer ${token}` } });
 */
export type Fetcher = (url: string, init: FetcherInit) => Promise<Response>;

// ---------------------------------------------------------------------------------------------
// Options
// ---------------------------------------------------------------------------------------------

/**
 * Retry policy. Retries network errors, timeouts, 408/425/429/500/502/503/504, declared errors
 * whose code the spec marks retryable (`x-portico-retryable`), and a 409 of undeclared shape on a
 * call with an idempotency key. GET, HEAD, OPTIONS, PUT and DELETE are retried as they are (idempotent
 * by RFC 9110); POST and PATCH only with an idempotency key.
 */
export interface RetryOptions {
  /** Retries after the first attempt. @default 2 */
  maxRetries?: number;
  /** First backoff step; the delay is a full-jitter draw in `[0, min(maxDelayMs, baseDelayMs * 2^n)]`. @default 300 */
  baseDelayMs?: number;
  /** Cap of one backoff delay. @default 8000 */
  maxDelayMs?: number;
  /** A `Retry-After` longer than this is not waited for: the call fails with the last answer. @default 60000 */
  maxRetryAfterMs?: number;
}

/** Facts every hook event carries about the logical call. */
export interface CallInfo {
  /** `"METHOD /path/template"` of the operation. */
  readonly operation: string;
  readonly method: string;
  /** Absolute URL of the request (without credential query parameters). */
  readonly url: string;
  /** 1-based attempt number. */
  readonly attempt: number;
  readonly idempotencyKey?: string;
}

/** `onRequest` event: `headers` may be changed; credentials are added after the hook runs. */
export interface RequestEvent extends CallInfo {
  readonly headers: Record<string, string>;
}

/** `onResponse` event, once per attempt that got an HTTP response. */
export interface ResponseEvent extends CallInfo {
  readonly response: Response;
  readonly durationMs: number;
}

/** `onRetry` event, before the client waits `delayMs` and sends attempt `attempt + 1`. */
export interface RetryEvent extends CallInfo {
  readonly delayMs: number;
  /** HTTP status that caused the retry, if any. */
  readonly status?: number;
  /** Error that caused the retry (`NETWORK_ERROR`, `TIMEOUT`), if any. */
  readonly error?: PorticoError<string>;
}

/** `onError` event, once per logical call that ends in an error. */
export interface CallErrorEvent {
  readonly operation: string;
  readonly error: PorticoError<string>;
  readonly meta: ResponseMeta;
}

/** Hooks observe the pipeline; each is optional and costs nothing when absent. */
export interface ClientHooks {
  onRequest?(event: RequestEvent): void | Promise<void>;
  onResponse?(event: ResponseEvent): void | Promise<void>;
  onRetry?(event: RetryEvent): void | Promise<void>;
  onError?(event: CallErrorEvent): void | Promise<void>;
  /** Called whenever a response carries credit headers. */
  onCredits?(credits: CreditsInfo, event: CallInfo): void;
  /** Called whenever a response carries rate-limit headers. */
  onRateLimit?(rateLimit: RateLimitInfo, event: CallInfo): void;
}

/**
 * Options of `createClient` (and of every generated `createXApiClient`). Validated once.
 * `Throws` is the type of `throwOnError`, inferred by the factories: `true` narrows every result
 * to its success branch.
 */
export interface ClientOptions<
  Kinds extends CredentialKind = CredentialKind,
  Throws extends boolean = boolean,
  Schemes extends SchemeKinds<Schemes> = SchemeKinds,
  Variables extends ServerVariables = ServerVariables,
> {
  /** Root URL of the API. @default the descriptor's first server, its variables filled from `serverVariables` */
  baseUrl?: string;
  /**
   * Values of the first server's variables (`https://{region}.api.example.com`), when `baseUrl` is
   * not given. A variable in the host with no `enum` has no usable default: it must be given.
   */
  serverVariables?: Variables;
  /** Sends each attempt. @default globalThis.fetch, looked up at call time */
  fetcher?: Fetcher;
  /**
   * Credentials, given one of three ways:
   * - one credential, or a list: each serves the schemes of its kind (an API key the `apiKey`
   *   schemes, a token the bearer/OAuth schemes, ...);
   * - by scheme name, `{ appId: apiKey(id), appKey: apiKey(key) }`: each scheme gets its own,
   *   which a requirement naming two schemes of one kind needs.
   * Per operation, the requirement the credentials satisfy is chosen (credentials bound by name
   * first, then header before cookie before query), and each of its schemes is authorized on every
   * attempt. Checked at construction (`INVALID_OPTIONS`, `INSECURE_TRANSPORT`,
   * `ENVIRONMENT_MISMATCH`, `INVALID_TOKEN_FORMAT` are thrown).
   */
  auth?: Credential<Kinds> | readonly Credential<Kinds>[] | CredentialsByScheme<Schemes, Kinds>;
  /** Headers sent with every call (per-call headers win). */
  headers?: Record<string, string>;
  /** Retry policy, or `false` for a single attempt. */
  retry?: RetryOptions | false;
  /**
   * Per-attempt timeout in milliseconds, covering authorization, the request and reading the
   * body (not a `parseAs: "stream"` body, which the caller reads). A timed-out attempt is retried
   * like a network error; the last one ends in `TIMEOUT`.
   * @default 30000
   */
  timeout?: number;
  /** Observers of the pipeline; see {@link ClientHooks}. */
  hooks?: ClientHooks;
  /**
   * Largest response body read into memory (`json`, `text`, `blob`, `arrayBuffer`), counted after
   * decompression; a larger one ends the call in `RESPONSE_TOO_LARGE`, unread and not retried.
   * `parseAs: "stream"` bodies are the caller's to bound. @default 67108864 (64 MiB)
   */
  maxResponseBytes?: number;
  /**
   * Throw the error instead of returning `{ error }`. A literal `true` types every result as
   * its success branch (`{ data, meta, response }`). @default false
   */
  throwOnError?: Throws;
  /** Refuse, without a network call, an operation whose declared credit cost exceeds the known balance. @default false */
  creditGuard?: boolean;
  /** Refuse, without a network call, an operation whose scopes the credential is known not to hold. @default false */
  checkScopes?: boolean;
  /** Idempotency-Key header name. @default "Idempotency-Key" */
  idempotency?: { header?: string };
  /** Query serialization, as openapi-fetch. */
  querySerializer?: QuerySerializerOptions;
  /**
   * Namespace of the tenant and permission claims in this deployment's JWTs, where the spec
   * declares claims (IMS). @default the spec's `x-portico-claims.namespace`, e.g. `https://atrope.dev/claims/`
   */
  claimsNamespace?: string;
  /**
   * Where the client's time comes from: `now()` in epoch milliseconds (durations, `Retry-After`
   * dates, rate-limit resets) and `sleep(ms, signal)` for retry delays (resolves `false` when
   * `signal` aborts first). Tests pass a fake one to run retries without waiting.
   * @default the system clock and `setTimeout`
   */
  clock?: ClientClock;
  /**
   * Where log lines go: a console-like object (`console`, pino, winston). Headers, query values and
   * body fields pass an allow-list: only known-safe ones are printed, everything else is masked.
   * @default console, when a level is on
   */
  logger?: Logger;
  /**
   * How much to log: `"error"` failed calls, `"warn"` also retries and 4xx answers, `"info"` also
   * every call and every wait for a spent budget, `"debug"` also every attempt's request and
   * response and every token request. @default the `PORTICO_LOG` environment variable, else
   * `"warn"` when a `logger` is given, else `"off"`
   */
  logLevel?: LogLevel;
  /** Tracers of every call: `openTelemetry()` from `@portico/core/opentelemetry`, or your own observer. */
  telemetry?: CallObserver | readonly CallObserver[];
  /**
   * The retry budget of the client's origin, shared by every client of that origin in the process
   * (gRPC A6 retry throttling): a failed attempt takes a token, a success gives back `tokenRatio`,
   * and retries stop while half the bucket or less is left; first attempts always go. `false` turns it off.
   * @default { maxTokens: 10, tokenRatio: 0.1 }
   */
  retryBudget?: RetryBudgetOptions | false;
  /**
   * Most attempts of this client in flight at once: further calls wait for a slot, in the order
   * they came, before they take their credential, so a token's life is not spent in a queue (with
   * many calls at once and short-lived tokens, tokens would otherwise expire on the way). A slot
   * is held from authorization until the body is read (a streamed body: until its headers). The
   * wait counts towards neither `timeout` nor retries; the call's `signal` ends it (`ABORTED`).
   * A gate from `createConcurrencyGate(n)` limits several clients together.
   * @default no limit
   */
  maxConcurrency?: number | ConcurrencyGate;
  /**
   * The circuit breaker of the client's origin, shared in the process: after `failureThreshold`
   * failed attempts in a row (network error, timeout, 500/502/503/504) calls fail fast with
   * `CIRCUIT_OPEN` for `cooldownMs`; then one probe goes, and its success closes the circuit.
   * `false` turns it off. @default { failureThreshold: 10, cooldownMs: 5000 }
   */
  circuitBreaker?: CircuitBreakerOptions | false;
  /**
   * Waiting for a spent rate limit (and credit budget) instead of earning a 429: when the last
   * response said the window is spent, the next call waits for its reset, or fails at once with
   * `RATE_LIMITED` when the wait would pass `maxWaitMs`. Shared by the clients of one credential
   * and origin in the process (`store` shares it across processes). `false` turns it off.
   * @default { maxWaitMs: 60000 }
   */
  pacing?: PacingOptions | false;
  /**
   * Most credits the client's credential may spend per sliding minute (with pacing): a call whose
   * declared cost would pass it waits, or fails with `RATE_LIMITED` (`details.source: "credits"`).
   * For APIs that declare credit costs. @default no limit
   */
  maxCreditsPerMinute?: number;
}

/** A client's clock; see `ClientOptions.clock`. */
export interface ClientClock {
  now(): number;
  sleep?(ms: number, signal?: AbortSignal): Promise<boolean>;
}

/** Security schemes of an API: scheme name → the credential kind that serves it (emitted by codegen). */
export type SchemeKinds<Schemes = Record<string, CredentialKind>> = { readonly [Name in keyof Schemes]: CredentialKind };

/** Server variables of an API: name → its allowed values (emitted by codegen). */
export type ServerVariables = Readonly<Record<string, string>>;

/** Credentials bound to the spec's security schemes by name. */
export type CredentialsByScheme<Schemes extends SchemeKinds<Schemes>, Kinds extends CredentialKind = CredentialKind> = [keyof Schemes] extends [never]
  ? never
  : { readonly [Name in keyof Schemes]?: Credential<Kinds> & Credential<Schemes[Name] | "none"> };

/** Options accepted per call, in the `init` object next to `params` and `body`. */
export interface CallOptions {
  signal?: AbortSignal;
  /** Per-attempt timeout for this call, in milliseconds. */
  timeout?: number;
  /** Retries for this call (overrides the client's `retry.maxRetries`). */
  maxRetries?: number;
  /** Longest this call waits for a spent rate limit or credit budget (overrides `pacing.maxWaitMs`). */
  maxWaitMs?: number;
  /** Idempotency key to use (and reuse on retries) instead of a generated one. */
  idempotencyKey?: string;
  /** Largest response body read for this call (see the client option). */
  maxResponseBytes?: number;
  headers?: HeadersOptions;
  /**
   * How to read a success body. A `"stream"` body is handed over unread and is the caller's to read
   * and bound: the per-attempt timeout ends when its response arrives, and the call's `signal` still
   * cancels it (its reads then fail with `ABORTED`).
   * @default "json" (text when the response is not JSON)
   */
  parseAs?: "json" | "text" | "blob" | "arrayBuffer" | "stream";
}

// ---------------------------------------------------------------------------------------------
// Results
// ---------------------------------------------------------------------------------------------

/** Credit headers of one response (`X-Credits-Remaining`, `X-Credits-Cost`). */
export interface CreditsInfo {
  readonly remaining?: number;
  readonly cost?: number;
}

/** Rate-limit state from `RateLimit`/`RateLimit-Policy`, `RateLimit-*` or `X-RateLimit-*`. */
export interface RateLimitInfo {
  readonly limit?: number;
  readonly remaining?: number;
  /** Seconds until the window resets. */
  readonly resetSeconds?: number;
  /** Window length in seconds, from `RateLimit-Policy`. */
  readonly windowSeconds?: number;
  /** Policy name from the IETF structured fields. */
  readonly policy?: string;
}

/** What the pipeline learned about a call, on every result. */
export interface ResponseMeta {
  /** HTTP status of the last response, if any. */
  readonly status?: number;
  /** Request id header (`x-request-id`, `request-id`, `x-correlation-id`) of the last response. */
  readonly requestId?: string;
  /** Attempts made (1 when there was no retry, 0 when refused before the network). */
  readonly attempts: number;
  /** Idempotency key sent with every attempt of this call, if any. */
  readonly idempotencyKey?: string;
  readonly credits?: CreditsInfo;
  readonly rateLimit?: RateLimitInfo;
  /** Wall time of the whole logical call, retries included. */
  readonly durationMs: number;
}

// ---------------------------------------------------------------------------------------------
// Errors typed from the spec. Evaluated for every call site of large specs: each helper is flat
// (no recursion), and an operation's responses are walked once, by one mapped type.
// ---------------------------------------------------------------------------------------------

/**
 * The code-like enum of an error body: the first of `code`, `error_code`, `errorCode` and
 * `error.code` whose type is a union of string literals (a plain `string` does not count), in the
 * order the runtime reads them; `never` when the body has none. A union of bodies gives the union
 * of their codes.
 */
export type SpecErrorCode<Body> = Body extends unknown
  ? LiteralCode<Prop<Body, "code">> extends infer C
    ? [C] extends [never]
      ? LiteralCode<Prop<Body, "error_code">> extends infer D
        ? [D] extends [never]
          ? LiteralCode<Prop<Body, "errorCode">> extends infer E
            ? [E] extends [never]
              ? LiteralCode<Prop<Prop<Body, "error">, "code">>
              : E
            : never
          : D
        : never
      : C
    : never
  : never;

/** `T[K]` for each object member of `T` that has `K`. */
type Prop<T, K extends string> = T extends object ? (K extends keyof T ? T[K] : never) : never;

/** The string literals of a code type; `never` for a plain `string`. */
type LiteralCode<C> = string extends C ? never : Extract<C, string>;

/**
 * The error of a call: one `ApiError` per error response the operation declares (each 4xx/5xx
 * status, range and `default`, with that response's body type, code and status), or an SDK error,
 * which has no body. Narrows by `switch (error.code)`, `switch (error.status)` and
 * `instanceof ApiError`.
 */
export type CallError<Operation> = OperationApiError<Operation> | SdkCallError;

/** An error the SDK produced (no declared error response): never has a `body`. */
export interface SdkCallError extends PorticoError<CallErrorCode> {
  readonly body?: undefined;
}

/** The declared error responses of an operation, as `ApiError`s: body, code and status per response. */
export type OperationApiError<Operation> =
  ResponseMap<Operation> extends infer R
    ? { [K in keyof R]-?: K extends string | number ? (`${K}` extends ErrorKey ? DeclaredError<BodyOf<R[K]>, K> : never) : never }[keyof R]
    : never;

/** The error body types of an operation, one per declared error response (`undefined` where none is declared). */
export type OperationErrorBody<Operation> =
  ResponseMap<Operation> extends infer R
    ? { [K in keyof R]-?: K extends string | number ? (`${K}` extends ErrorKey ? Readable<BodyOf<R[K]>> : never) : never }[keyof R]
    : never;

/** Response keys that are errors: 4xx and 5xx statuses, their ranges (`"4XX"`), and `"default"`. */
type ErrorKey = `${4 | 5}${number}` | `${4 | 5}XX` | `${4 | 5}xx` | "default";

/** An `ApiError` of one declared response: code from the body's enum, else from the status. */
type DeclaredError<Body, Key extends string | number> = ApiError<
  Readable<Body>,
  SpecErrorCode<Body> extends infer Code extends string ? ([Code] extends [never] ? StatusErrorCode<Key> : Code) : never,
  Key extends number ? Key : Key extends `${infer N extends number}` ? N : number
>;

/**
 * The body of one response object: its `application/json` content, else any JSON content
 * (`application/problem+json`), else any content, else `undefined` (no body declared).
 */
type BodyOf<Response> = Response extends { content: infer Content }
  ? "application/json" extends keyof Content
    ? Content["application/json"]
    : [JsonMedia<keyof Content>] extends [never]
      ? [keyof Content] extends [never]
        ? undefined
        : Content[keyof Content]
      : Content[JsonMedia<keyof Content>]
  : undefined;

type JsonMedia<Key> = Extract<Key, `${string}/json` | `${string}+json` | `${string}/json;${string}`>;

/** The success body type of an operation, as openapi-fetch computes it. */
export type OperationData<Operation, Init = {}, Media extends MediaType = MediaType> =
  ResponseMap<Operation> extends infer R extends Record<string | number, any>
    ? ParseAsResponse<Readable<SuccessResponse<R, Media>>, Init>
    : never;

/** `responses` of an operation object (openapi-typescript shape). */
type ResponseMap<Operation> = ResponseObjectMap<Operation>;

/**
 * Result of a call: `{ data, meta, response }` or `{ error, meta, response? }`. Never thrown by
 * default; with `Throws` = `true` (a client built with `throwOnError: true`) only the success branch.
 */
export type PorticoResult<Operation, Init = {}, Media extends MediaType = MediaType, Throws extends boolean = boolean> = [Throws] extends [true]
  ? SuccessResult<Operation, Init, Media>
  : SuccessResult<Operation, Init, Media> | { data?: undefined; error: CallError<Operation>; meta: ResponseMeta; response?: Response };

/** Success branch of a {@link PorticoResult}. */
type SuccessResult<Operation, Init, Media extends MediaType> = { data: OperationData<Operation, Init, Media>; error?: undefined; meta: ResponseMeta; response: Response };

// ---------------------------------------------------------------------------------------------
// Typed methods
// ---------------------------------------------------------------------------------------------

/** Everything a call's `init` may carry for one operation: typed params and body, plus call options. */
export type CallInit<Operation> = ParamsOption<Operation> & RequestBodyOption<Operation> & CallOptions;

/** `init` is optional when the operation needs no params or body, as in openapi-fetch. */
export type MaybeOptionalCallInit<PathItem, Method extends HttpMethod> =
  RequiredKeysOf<CallInit<FilterKeys<PathItem, Method>>> extends never
    ? CallInit<FilterKeys<PathItem, Method>> | undefined
    : CallInit<FilterKeys<PathItem, Method>>;

/** Makes `init` a required parameter exactly when it has required keys. */
export type CallInitParam<Init> = RequiredKeysOf<Init> extends never ? [Init?] : [Init];

/**
 * One typed method (`GET`, `POST`, ...): same `(path, init)` shape as openapi-fetch's `ClientMethod`.
 * `Throws` = `true` types the result as its success branch (see {@link PorticoResult}).
 */
export type PorticoMethod<Paths extends {}, Method extends HttpMethod, Media extends MediaType = MediaType, Throws extends boolean = boolean> = <
  Path extends PathsWithMethod<Paths, Method>,
  Init extends MaybeOptionalCallInit<Paths[Path], Method>,
>(
  path: Path,
  ...init: CallInitParam<Init>
) => Promise<PorticoResult<FilterKeys<Paths[Path], Method>, Init, Media, Throws>>;

/** Redacted view of a client (`JSON.stringify`, `util.inspect`). */
export interface ClientSnapshot {
  readonly api: string;
  readonly baseUrl: string;
  /** Fingerprints of the configured credentials, never the secrets. */
  readonly credentials: readonly string[];
  readonly credits: number | undefined;
}

/**
 * A typed API client. Call methods on the client (`client.GET(...)`), not detached.
 *
 * @example
 * const { data, error, meta } = await client.GET("/v1/items/{id}", { params: { path: { id } } });
 *
 * `Throws` = `true` (built with `throwOnError: true`): results are the success branch only.
 */
export interface PorticoClient<Paths extends {}, Media extends MediaType = MediaType, Throws extends boolean = boolean> {
  GET: PorticoMethod<Paths, "get", Media, Throws>;
  PUT: PorticoMethod<Paths, "put", Media, Throws>;
  POST: PorticoMethod<Paths, "post", Media, Throws>;
  DELETE: PorticoMethod<Paths, "delete", Media, Throws>;
  OPTIONS: PorticoMethod<Paths, "options", Media, Throws>;
  HEAD: PorticoMethod<Paths, "head", Media, Throws>;
  PATCH: PorticoMethod<Paths, "patch", Media, Throws>;
  /** Registers openapi-fetch middleware (`onRequest`/`onResponse`/`onError`), run per attempt. */
  use(...middleware: Middleware[]): void;
  /** Unregisters middleware. */
  eject(...middleware: Middleware[]): void;
  /** Last known credit balance (`X-Credits-Remaining`), or `undefined` before any credited response. */
  readonly credits: number | undefined;
  /** Last known rate-limit state, or `undefined`. */
  readonly rateLimit: RateLimitInfo | undefined;
  /** Redacted view: API name, base URL, credential fingerprints, credits. */
  toJSON(): ClientSnapshot;
}

/**
 * Keeps only the operations a credential of kind `Kinds` may call. `OperationKinds` maps
 * path → method → the credential kinds the spec allows for it (emitted by codegen); operations
 * absent from the map stay callable. When `Kinds` may call every operation in the map, this is
 * `Paths` itself; otherwise only the paths with a method to drop are remapped (codegen passes a map
 * of the restricted operations only, so the cost for tsc follows their number, not the spec's size).
 */
export type PathsForKinds<Paths, OperationKinds, Kinds extends CredentialKind> = [DeniedPaths<OperationKinds, Kinds>] extends [never]
  ? Paths
  : {
      [P in keyof Paths]: P extends DeniedPaths<OperationKinds, Kinds> ? WithoutDeniedMethods<Paths[P], OperationKinds[P & keyof OperationKinds], Kinds> : Paths[P];
    };

/** Paths with at least one method that no credential of kind `Kinds` may call. */
type DeniedPaths<OperationKinds, Kinds> = {
  [P in keyof OperationKinds]: { [M in keyof OperationKinds[P]]: [Kinds & OperationKinds[P][M]] extends [never] ? P : never }[keyof OperationKinds[P]];
}[keyof OperationKinds];

/** A path item without the methods no credential of kind `Kinds` may call. */
type WithoutDeniedMethods<PathItem, MethodKinds, Kinds> = {
  [M in keyof PathItem as M extends keyof MethodKinds ? ([Kinds & MethodKinds[M]] extends [never] ? never : M) : M]: PathItem[M];
};
