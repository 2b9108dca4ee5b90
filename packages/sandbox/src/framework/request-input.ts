/**
 * Handlers read their request as validated against the spec (`validateRequests`, `createSpecCheck`),
 * typed from the API's generated client: `operations` of `@atrope-ai/api-client` and its siblings
 * are the spec's operations as TypeScript, so no handler keeps its own copy of a request schema.
 */
import type { Context } from "hono";
import { INPUT_VARIABLE, type ValidatedInput } from "../validate.js";

type Defined<T> = [Exclude<T, undefined>] extends [never] ? Readonly<Record<string, never>> : Exclude<T, undefined>;

/** One parameter group (`path`, `query`) of an operation, as openapi-typescript writes it. */
type ParameterGroup<O, K extends "path" | "query"> = O extends { parameters: { [P in K]?: infer V } } ? Defined<V> : Readonly<Record<string, never>>;

/** The body of a content map: JSON, else the form. */
type Content<C> = C extends { "application/json": infer B } ? B : C extends { "application/x-www-form-urlencoded": infer F } ? F : unknown;

/** The request body of an operation: `undefined` when it declares none, optional when not required. */
type Body<O> = O extends { requestBody?: never }
  ? undefined
  : O extends { requestBody: { content: infer C } }
    ? Content<C>
    : O extends { requestBody?: { content: infer C } }
      ? Content<C> | undefined
      : undefined;

/**
 * A validated request of operation `O` (from a generated client's `operations`). Parameters with a
 * spec default hold it (the validator fills defaults in), though their type stays optional.
 */
export interface RequestInput<O> {
  readonly path: ParameterGroup<O, "path">;
  readonly query: ParameterGroup<O, "query">;
  readonly body: Body<O>;
}

/**
 * The reader of validated requests for one API, typed by its client's `operations`.
 *
 * @example
 * const input = requestInput<operations>();
 * app.post("/v1/items", write, validate, (c) => {
 *   const { body } = input(c, "createItem"); // CreateItemRequest
 * });
 */
export function requestInput<Operations>() {
  return <K extends keyof Operations & string>(c: Context, operationId: K): RequestInput<Operations[K]> => {
    const input = c.get(INPUT_VARIABLE as never) as ValidatedInput | undefined;
    // Programmer errors: a route that skipped validation, or reads another operation's input.
    if (input === undefined) throw new Error(`${c.req.method} ${c.req.path} reads ${operationId}'s input, but no spec validation ran`);
    if (input.operationId !== operationId) throw new Error(`${c.req.method} ${c.req.path} reads ${operationId}'s input, but the request is ${input.operationId ?? input.operation}`);
    // The validator checked the request against the spec these types were generated from.
    return input as unknown as RequestInput<Operations[K]>;
  };
}
