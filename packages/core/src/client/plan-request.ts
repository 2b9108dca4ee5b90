/**
 * The plan stage, pure of the network: the URL (path and query serialized), the headers (client
 * defaults, then the call's), the body encoded once by the operation's media type (or the
 * caller's `content-type`), and the idempotency key of an unsafe call. Every attempt resends
 * what it returns as it is. A request that cannot be planned is a typed error, nothing sent.
 */
import { createFinalURL, defaultPathSerializer, type MiddlewareRequestParams } from "openapi-fetch";
import { PorticoError } from "../errors/portico-error.js";
import type { Redactor } from "../internal/redact.js";
import { attemptSignal, type AttemptSignal } from "../resilience/attempt-signal.js";
import { newIdempotencyKey } from "../resilience/idempotency.js";
import type { OperationPlan } from "./api-plan.js";
import { mergeHeaderObjects } from "./build-request.js";
import { aborted, describe } from "./call-errors.js";
import { checkCallOptions, checkHeaders } from "./call-options.js";
import { encodeBody } from "./encode-body.js";
import type { ClientConfig } from "./options.js";
import type { Stages } from "./stage.js";
import type { CallOptions } from "./types.js";

/** The untyped `init` a method receives. */
export interface RawInit extends CallOptions {
  params?: MiddlewareRequestParams;
  body?: unknown;
  bodySerializer?: (body: unknown) => unknown;
}

/** The request of one logical call, built once and resent as is by every attempt. */
export interface PlannedRequest {
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: string | Uint8Array<ArrayBuffer> | undefined;
  readonly idempotencyKey: string | undefined;
}

export async function planRequest(
  config: ClientConfig,
  stages: Stages,
  op: OperationPlan,
  path: string,
  opts: RawInit,
  redact: () => Redactor,
): Promise<PlannedRequest | PorticoError<string>> {
  const invalid = checkCallOptions(op.key, opts);
  if (invalid !== undefined) return invalid;
  const params = opts.params ?? {};
  const url = createFinalURL(path, { baseUrl: config.baseUrl, params, querySerializer: config.querySerializer, pathSerializer: defaultPathSerializer });
  const headers = mergeHeaderObjects(config.headers, opts.headers, params.header as Record<string, string> | undefined);
  const badHeader = checkHeaders(op.key, headers, "the request's");
  if (badHeader !== undefined) return badHeader;
  let body: string | Uint8Array<ArrayBuffer> | undefined;
  if (opts.body !== undefined) {
    const encoded = await encode(config, stages, op, opts, headers, redact);
    if (encoded instanceof PorticoError) return encoded;
    body = encoded;
  }
  let idempotencyKey: string | undefined;
  if (!op.safe) {
    const header = config.idempotencyHeader;
    const fromHeader = headers[header];
    if (opts.idempotencyKey === undefined && fromHeader !== undefined && fromHeader.trim().length === 0) {
      return new PorticoError(
        "INVALID_REQUEST",
        `${op.key}: the ${header} header is empty, and an empty key identifies nothing (retries could repeat the work). Pass a non-empty key such as a UUID, or leave the header out${op.idempotent ? " and one is generated" : ""}; nothing was sent.`,
        { header },
      );
    }
    idempotencyKey = opts.idempotencyKey ?? fromHeader ?? (op.idempotent ? newIdempotencyKey() : undefined);
    if (idempotencyKey !== undefined) headers[header] = idempotencyKey;
  }
  return { url, headers, body, idempotencyKey };
}

/** Encodes the body once; reading a stream body counts against the call's timeout and signal like an attempt does. */
async function encode(
  config: ClientConfig,
  stages: Stages,
  op: OperationPlan,
  opts: RawInit,
  headers: Record<string, string>,
  redact: () => Redactor,
): Promise<string | Uint8Array<ArrayBuffer> | undefined | PorticoError<string>> {
  // Only a body read from a stream or Blob waits: its signal (and timer) is made when it does.
  let reading: AttemptSignal | undefined;
  const callerType = headers["content-type"];
  try {
    const encoded = await encodeBody(opts.body, {
      mediaType: callerType ?? op.body?.mediaType,
      ...(op.body?.encoding !== undefined && callerType === undefined ? { encoding: op.body.encoding } : {}),
      ...(opts.bodySerializer !== undefined ? { serializer: opts.bodySerializer } : {}),
      get signal() {
        return (reading ??= attemptSignal(opts.signal, opts.timeout ?? config.timeout)).signal;
      },
      encoders: stages.encoders,
    });
    if (encoded.contentType !== undefined) headers["content-type"] = encoded.contentType;
    return encoded.bytes;
  } catch (thrown) {
    if (opts.signal?.aborted) return aborted(op, opts.signal);
    if (reading?.timedOut) return new PorticoError("TIMEOUT", `${op.key} timed out while reading the request body stream; nothing was sent.`);
    if (thrown instanceof PorticoError) return thrown as PorticoError<string>;
    return new PorticoError("INVALID_REQUEST", `${op.key}: the request body could not be encoded: ${describe(thrown, redact())}.`);
  } finally {
    reading?.dispose();
  }
}
