/**
 * `@portico/core/testing`: a typed fake fetcher and a recorder, to unit-test code that calls
 * generated clients without sockets. Browser-safe (no Node built-ins) and free of dependencies
 * beyond core's own.
 *
 * - `fakeFetcher<paths>(routes)`: answers from routes keyed by operation (`"GET /v1/items/{itemId}"`),
 *   typed from a generated client's `paths`; sequences for retries; unknown routes rejected with
 *   `UNHANDLED_REQUEST`; every request recorded.
 * - `recordingFetcher(inner?)`: records what another fetcher sends.
 * - `networkError()`: a reply that fails like a dropped connection.
 * - `resetSharedState()`: forgets the origins' retry budgets, circuit breakers and pacing between tests.
 */
export { fakeFetcher, type FakeFetcherOptions } from "./testing/fake-fetcher.js";
export { recordingFetcher, type RecordingFetcherOptions } from "./testing/recording-fetcher.js";
export { networkError, type NetworkErrorReply } from "./testing/replies.js";
export { TestingError, TestingErrorCode } from "./testing/errors.js";
export { resetSharedState } from "./testing/shared-state.js";
export type {
  AnyRouteKey,
  DeclaredReply,
  FakeAnswer,
  FakeFetcher,
  FakeHandler,
  FakeReply,
  FakeRequest,
  FakeRoute,
  FakeRoutes,
  HandlerResult,
  LooseReply,
  OperationOf,
  PathParamsOf,
  QueryOf,
  RecordedCall,
  RecordingFetcher,
  ReplyHeaders,
  RequestBodyOf,
  RouteKey,
  RouteKeyOf,
  UndeclaredStatus,
} from "./testing/types.js";
