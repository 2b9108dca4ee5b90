/**
 * The types of the fake fetcher, computed from a generated client's `paths` (openapi-typescript
 * shape): route keys, what a handler receives, and the replies it may give per operation.
 * Without `paths` (`fakeFetcher(routes)` with no type argument), everything is loosely typed.
 */
import type { FilterKeys, HttpMethod, Readable } from "openapi-typescript-helpers";
import type { FetcherInit } from "../client/types.js";
import type { NetworkErrorReply } from "./replies.js";

// ---------------------------------------------------------------------------------------------
// Route keys
// ---------------------------------------------------------------------------------------------

/** `"GET /v1/items/{itemId}"`-style keys: an upper-case method, a space, a path template. */
export type AnyRouteKey = `${Uppercase<HttpMethod>} /${string}`;

/** The `"METHOD /path/template"` key of every operation in `Paths`, as generated clients name them. */
export type RouteKey<Paths> = {
  [P in keyof Paths & string]: {
    [M in keyof Paths[P] & HttpMethod]: [NonNullable<Paths[P][M]>] extends [never] ? never : `${Uppercase<M>} ${P}`;
  }[keyof Paths[P] & HttpMethod];
}[keyof Paths & string];

/** The route keys of `Paths`, or any key when no `paths` type was given. */
export type RouteKeyOf<Paths> = [Paths] extends [never] ? AnyRouteKey : RouteKey<Paths>;

/** The operation object behind a route key (`unknown` when untyped). */
export type OperationOf<Paths, Key> = [Paths] extends [never]
  ? unknown
  : Key extends `${infer Method} ${infer Path}`
    ? Path extends keyof Paths
      ? Lowercase<Method> extends keyof Paths[Path]
        ? NonNullable<Paths[Path][Lowercase<Method>]>
        : never
      : never
    : never;

// ---------------------------------------------------------------------------------------------
// What a handler receives
// ---------------------------------------------------------------------------------------------

/** Path parameters of an operation as they arrive in a URL: one decoded string per name. */
export type PathParamsOf<Operation> = Operation extends { parameters: { path?: infer P } }
  ? [NonNullable<P>] extends [never]
    ? Readonly<Record<string, never>>
    : { readonly [K in keyof NonNullable<P>]: string }
  : Readonly<Record<string, string>>;

/** Query parameters of an operation as they arrive in a URL: the first value of each, as a string. */
export type QueryOf<Operation> = Operation extends { parameters: { query?: infer Q } }
  ? [NonNullable<Q>] extends [never]
    ? Readonly<Record<string, string | undefined>>
    : { readonly [K in keyof NonNullable<Q>]?: string }
  : Readonly<Record<string, string | undefined>>;

/**
 * The request body as a handler receives it: the operation's JSON body type where the spec
 * declares one (parsed from the bytes sent), `unknown` for other media types.
 */
export type RequestBodyOf<Operation> = Operation extends { requestBody?: infer Body }
  ? [NonNullable<Body>] extends [never]
    ? undefined
    : NonNullable<Body> extends { content: infer Content }
      ? [JsonMedia<keyof Content>] extends [never]
        ? unknown
        : undefined extends Body
          ? Content[JsonMedia<keyof Content>] | undefined
          : Content[JsonMedia<keyof Content>]
      : unknown
  : unknown;

type JsonMedia<Key> = Extract<Key, `${string}/json` | `${string}+json` | `${string}/json;${string}`>;

/** One request as a route handler sees it. */
export interface FakeRequest<Operation = unknown> {
  /** The route key that matched, e.g. `"GET /v1/items/{itemId}"`. */
  readonly route: string;
  /** Upper-case method, e.g. `"GET"`. */
  readonly method: string;
  /** The full URL the client sent (query included): `url.searchParams.getAll(name)` for repeated parameters. */
  readonly url: URL;
  /** Path parameters by the template's names, percent-decoded. */
  readonly params: PathParamsOf<Operation>;
  /** Query parameters, the first value of each. */
  readonly query: QueryOf<Operation>;
  /** Request headers, names in lower case, values as sent (credentials included: the recorder masks them, handlers do not). */
  readonly headers: Readonly<Record<string, string>>;
  /**
   * The body: parsed JSON for JSON media types, an object of fields for
   * `application/x-www-form-urlencoded`, `FormData` for multipart, a string for `text/*`,
   * bytes otherwise; `undefined` without a body.
   */
  readonly body: RequestBodyOf<Operation>;
  /** 1-based number of this request among those this route answered since the last `reset()`. */
  readonly call: number;
  /** The request's abort signal, if it has one. */
  readonly signal: AbortSignal | undefined;
}

// ---------------------------------------------------------------------------------------------
// Replies
// ---------------------------------------------------------------------------------------------

/** Response headers of a reply. */
export type ReplyHeaders = Readonly<Record<string, string>> | readonly (readonly [string, string])[] | Headers;

/** A reply of any status and body: what an untyped route may answer. */
export interface LooseReply {
  readonly status: number;
  /** Sent as JSON (`content-type: application/json` unless `headers` sets one). */
  readonly body?: unknown;
  /** Sent as it is (`content-type: text/plain` unless `headers` sets one); give `body` or `text`, not both. */
  readonly text?: string;
  readonly headers?: ReplyHeaders;
}

/**
 * Statuses a reply may use although the operation does not declare them, to exercise the
 * client's retries and transport handling: the transient ones, answered without a declared body.
 */
export type UndeclaredStatus = 408 | 425 | 429 | 500 | 502 | 503 | 504;

/** The replies an operation declares: one shape per declared status, with that status's body type. */
export type DeclaredReply<Operation> = Operation extends { responses: infer Responses }
  ? { [K in keyof Responses]-?: ReplyFor<StatusOf<K>, Responses[K]> }[keyof Responses]
  : never;

/**
 * What a typed route may answer: a declared status with its declared body, or one of the
 * transient {@link UndeclaredStatus}es the operation does not declare (no body, or `text`).
 */
export type FakeReply<Operation> = [Operation] extends [never]
  ? never
  : unknown extends Operation
    ? LooseReply
    : DeclaredReply<Operation> | TransientReply<Exclude<UndeclaredStatus, DeclaredStatus<Operation>>>;

type TransientReply<Status> = [Status] extends [never]
  ? never
  : { readonly status: Status; readonly body?: undefined; readonly text?: string; readonly headers?: ReplyHeaders };

/** The numeric statuses an operation declares; `number` when it declares `default` or a range. */
type DeclaredStatus<Operation> = Operation extends { responses: infer Responses } ? StatusOf<keyof Responses> : never;

/** `200` → 200, `"404"` → 404, `"4XX"` and `"default"` → number. */
type StatusOf<Key> = Key extends number ? Key : Key extends `${infer N extends number}` ? N : number;

/** The reply of one declared response: its JSON body, its text, or nothing, as it declares. */
type ReplyFor<Status, Response> = Response extends { content: infer Content }
  ? [JsonMedia<keyof Content>] extends [never]
    ? [keyof Content] extends [never]
      ? EmptyReply<Status>
      : { readonly status: Status; readonly text: string; readonly body?: undefined; readonly headers?: ReplyHeaders }
    : { readonly status: Status; readonly body: Readable<FilterKeys<Content, JsonMedia<keyof Content>>>; readonly text?: undefined; readonly headers?: ReplyHeaders }
  : EmptyReply<Status>;

type EmptyReply<Status> = { readonly status: Status; readonly body?: undefined; readonly text?: undefined; readonly headers?: ReplyHeaders };

/** What a handler may return: a reply, a `Response` of your own (any status and bytes), or `networkError()`. */
export type HandlerResult<Operation> = FakeReply<Operation> | Response | NetworkErrorReply;

/** Answers one request. Throwing (or rejecting) makes the fetcher reject with that value, as `fetch` does on a network failure. */
export type FakeHandler<Operation = unknown> = (request: FakeRequest<Operation>) => HandlerResult<Operation> | Promise<HandlerResult<Operation>>;

/** One answer of a route: a handler, or a fixed reply (a `Response` only from a handler, since its body can be read once). */
export type FakeAnswer<Operation = unknown> = FakeHandler<Operation> | FakeReply<Operation> | NetworkErrorReply;

/**
 * A route: one answer for every request, or a sequence answered in order (the first request gets
 * the first answer, ...; once it runs out, the last answer repeats), e.g. `[{ status: 503 }, { status: 200, body }]`.
 */
export type FakeRoute<Operation = unknown> = FakeAnswer<Operation> | readonly [FakeAnswer<Operation>, ...FakeAnswer<Operation>[]];

/** The routes of a fake fetcher, keyed by `"METHOD /path/template"`; typed per operation when `Paths` is given. */
export type FakeRoutes<Paths = never> = [Paths] extends [never]
  ? { readonly [Key in AnyRouteKey]?: FakeRoute }
  : { readonly [Key in RouteKey<Paths>]?: FakeRoute<OperationOf<Paths, Key>> };

// ---------------------------------------------------------------------------------------------
// The recorder
// ---------------------------------------------------------------------------------------------

/** One request as the recorder keeps it: credentials masked, so it is safe to print or snapshot. */
export interface RecordedCall<Body = unknown> {
  /** The route key that answered it; `undefined` for a request no route matched (or a recording fetcher's). */
  readonly route: string | undefined;
  readonly method: string;
  /** The URL, with credential query parameters and userinfo masked. */
  readonly url: string;
  /** The URL's path, e.g. `/v1/items/itm_1`. */
  readonly path: string;
  /** Query parameters, the first value of each, credential parameters masked. */
  readonly query: Readonly<Record<string, string>>;
  /** Path parameters by the matched template's names (empty when no route matched). */
  readonly params: Readonly<Record<string, string>>;
  /**
   * Request headers, names in lower case. Credential headers (`authorization`, `cookie`,
   * `x-api-key`, names with `token`, `secret`, `api-key`, `password`, `session`, `signature`,
   * `credential`, and the `maskHeaders` option's) keep only a fingerprint: `"Bearer eyJhbGci…"`.
   */
  readonly headers: Readonly<Record<string, string>>;
  /** The body, parsed as for handlers; fields named like secrets (`client_secret`, `password`, `*token*`, ...) masked. */
  readonly body: Body;
  /** The status answered; `undefined` while pending, and for a request that got no response (no route, a network error). */
  readonly status: number | undefined;
}

/** A fetcher that keeps every request it was given, typed by `Paths` when given. */
export interface RecordingFetcher<Paths = never> {
  (url: string, init?: FetcherInit): Promise<Response>;
  /** Every request, in the order they were made (credentials masked). */
  readonly calls: readonly RecordedCall[];
  /**
   * The requests of one route, in order: those it answered (fake fetcher), or those whose method
   * and path match its template (recording fetcher). Bodies are typed as the operation's.
   */
  callsTo<Key extends RouteKeyOf<Paths>>(route: Key): readonly RecordedCall<RequestBodyOf<OperationOf<Paths, Key>>>[];
  /** Forgets the recorded requests. */
  clear(): void;
}

/** A fake fetcher: answers from its routes, never opens a socket, and records every request. */
export interface FakeFetcher<Paths = never> extends RecordingFetcher<Paths> {
  /** Requests no route matched (each was also rejected with `UNHANDLED_REQUEST`). */
  readonly unhandled: readonly RecordedCall[];
  /**
   * Adds routes, or replaces those with the same key, until `reset()`: a test overrides one
   * answer of a shared fake (as msw's `server.use`). Their sequences start from the first answer.
   */
  use(routes: FakeRoutes<Paths>): void;
  /** Back to the routes it was created with: forgets `use()` overrides, restarts every sequence, clears the calls. */
  reset(): void;
}
