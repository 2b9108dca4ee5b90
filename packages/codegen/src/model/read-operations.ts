import type { CredentialKind, SecurityRequirement } from "@portico/core";
import { HTTP_METHODS } from "../spec/check-extensions.js";
import type { SpecSource } from "../spec/parse-source.js";
import { resolveRef } from "../spec/resolve-ref.js";
import { parseWith, referencedShapes, type OpenApiDocument, type ParameterObject } from "../spec/validate-document.js";
import type { OperationModel, SchemeModel } from "./api-model.js";
import { checkSecurity, operationKinds, sameSecurity } from "./credential-kinds.js";
import { readRequestBody } from "./read-body.js";
import { readErrorResponses, readResponses, type ReadResponse } from "./read-errors.js";
import { readStream } from "./read-stream.js";
import { readPagination } from "./read-pagination.js";

const UNSAFE = new Set(["post", "put", "patch", "delete"]);
export const IDEMPOTENCY_HEADER = "idempotency-key";

/** Response headers that say a call spends credits. */
const CREDIT_HEADERS = new Set(["x-credits-remaining", "x-credits-cost"]);

/** What every operation is read against. */
export interface OperationContext {
  readonly schemes: Readonly<Record<string, SchemeModel>>;
  /** Top-level `security`, if the spec has one. */
  readonly security: readonly SecurityRequirement[] | undefined;
  /** The credential kinds of the API. */
  readonly kinds: readonly CredentialKind[];
}

/** Reads every operation, sorted by path then method. */
export function readOperations(source: SpecSource, document: OpenApiDocument, context: OperationContext): OperationModel[] {
  const operations: OperationModel[] = [];
  const paths = document.paths ?? {};
  for (const path of Object.keys(paths).sort()) {
    const item = paths[path];
    if (item === undefined) continue;
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (operation === undefined) continue;
      const at = ["paths", path, method];
      const own = operation.security;
      if (own !== undefined) checkSecurity(source, context.schemes, own, [...at, "security"]);
      const unsafe = UNSAFE.has(method);
      if (operation["x-portico-idempotent"] === true && !unsafe) {
        throw source.error("SPEC_INVALID", `"x-portico-idempotent" only applies to POST, PUT, PATCH and DELETE`, [...at, "x-portico-idempotent"]);
      }
      const header = idempotencyHeader(source, item.parameters, operation.parameters, at);
      const idempotent = unsafe && (header !== undefined || operation["x-portico-idempotent"] === true);
      const credits = operation["x-portico-credits"];
      const responses = readResponses(source, operation, at);
      const errors = readErrorResponses(source, responses);
      const retryableCodes = [...new Set(errors.flatMap((e) => e.retryable ?? []))];
      const body = readRequestBody(source, operation, at);
      const stream = readStream(source, responses);
      const pagination = stream === undefined ? readPagination(source, item, operation, method, responses, at) : undefined;
      operations.push({
        key: `${method.toUpperCase()} ${path}`,
        path,
        method,
        ...(own !== undefined && (context.security === undefined || !sameSecurity(own, context.security)) ? { security: own } : {}),
        kinds: operationKinds(context.schemes, own ?? context.security, context.kinds),
        idempotent,
        ...(credits === undefined ? {} : { credits }),
        metered: credits !== undefined || responses.some(declaresCreditHeader),
        ...rateLimitOf(responses),
        errors,
        ...(retryableCodes.length > 0 ? { retryableCodes } : {}),
        ...(body === undefined ? {} : { body }),
        successJson: stream === undefined && declaresJsonSuccess(responses),
        ...(stream === undefined ? {} : { stream }),
        ...(pagination === undefined ? {} : { pagination }),
      });
    }
  }
  return operations;
}

const SUCCESS_STATUS = /^2(\d\d|XX)$/i;
const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json\s*(;|$)/i;

/**
 * Every success response the operation declares (there is one at least) has content, all of it
 * JSON: the server owes a JSON body on success, so an empty one is its fault, not `undefined` data.
 */
function declaresJsonSuccess(responses: readonly ReadResponse[]): boolean {
  const success = responses.filter(({ status }) => SUCCESS_STATUS.test(status));
  return (
    success.length > 0 &&
    success.every(({ response }) => {
      const types = Object.keys(response.content ?? {});
      return types.length > 0 && types.every((type) => JSON_MEDIA_TYPE.test(type));
    })
  );
}

/** A response declaring `X-Credits-Remaining` or `X-Credits-Cost` (any case). */
function declaresCreditHeader({ response }: ReadResponse): boolean {
  return Object.keys(response.headers ?? {}).some((name) => CREDIT_HEADERS.has(name.toLowerCase()));
}

/** IETF structured rate-limit fields (draft-ietf-httpapi-ratelimit-headers). */
const IETF_RATE_LIMIT_HEADERS = new Set(["ratelimit", "ratelimit-policy"]);
const RATE_LIMIT_TRIPLET = /^(x-)?ratelimit-(limit|remaining|reset)$/;

/** The rate-limit headers an operation's responses declare; a 429 alone counts as the triplets. */
function rateLimitOf(responses: readonly ReadResponse[]): Pick<OperationModel, "rateLimitHeaders"> {
  const names = responses.flatMap(({ response }) => Object.keys(response.headers ?? {}).map((name) => name.toLowerCase()));
  if (names.some((name) => IETF_RATE_LIMIT_HEADERS.has(name))) return { rateLimitHeaders: "ietf" };
  if (names.some((name) => RATE_LIMIT_TRIPLET.test(name)) || responses.some(({ status }) => status === "429")) return { rateLimitHeaders: "triplets" };
  return {};
}

type ParameterList = ParameterObject[] | readonly unknown[] | undefined;

/** The `Idempotency-Key` header parameter in effect (operation-level wins over path-level). */
function idempotencyHeader(
  source: SpecSource,
  pathLevel: ParameterList,
  operationLevel: ParameterList,
  at: readonly string[],
): ParameterObject | undefined {
  let found: ParameterObject | undefined;
  const scan = (list: ParameterList, pointer: readonly string[]) => {
    (list ?? []).forEach((raw, index) => {
      const resolved = resolveRef(source, raw, [...pointer, "parameters", String(index)]);
      const parameter = parseWith(source, referencedShapes.parameter, resolved.value, resolved.pointer);
      if (parameter.in === "header" && parameter.name.toLowerCase() === IDEMPOTENCY_HEADER) found = parameter;
    });
  };
  scan(pathLevel, at.slice(0, 2));
  scan(operationLevel, at);
  return found;
}
