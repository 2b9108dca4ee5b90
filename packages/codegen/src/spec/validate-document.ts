import * as z from "zod";
import { getAt } from "./json-pointer.js";
import type { SpecSource } from "./parse-source.js";

const environment = z.enum(["production", "sandbox"], { error: 'must be "production" or "sandbox"' });

/** `x-portico-client`; also checks the `client` option (`--name`, `--package`). Either key alone is fine. */
export const clientExtension = z.strictObject({
  name: z
    .string()
    .regex(/^[A-Z][A-Za-z0-9]*$/, { error: 'name must be PascalCase, e.g. "Ims" (the factory is create<name>ApiClient)' })
    .optional(),
  package: z.string().min(1, { error: "package must be a non-empty npm package name" }).optional(),
});

const claimsExtension = z.strictObject({
  namespace: z.string(),
  tenant: z.string().min(1).optional(),
  permissions: z.string().min(1).optional(),
});

const eventsExtension = z.strictObject({
  path: z.string().startsWith("/", { error: 'path must start with "/"' }),
  schema: z.strictObject({ $ref: z.string() }),
});

const credentialExtension = z.strictObject({
  pattern: z
    .string()
    .refine(isRegExpSource, { error: "pattern is not a valid regular expression" })
    .optional(),
  environments: z.record(z.string().min(1), environment).optional(),
});

const reference = z.looseObject({ $ref: z.string() });
/** `$ref` or the object itself; a `$ref` is resolved where the value is read. */
function refOr<T extends z.ZodType>(schema: T) {
  return z.union([reference, schema]);
}

const server = z.looseObject({
  url: z.string(),
  variables: z
    .record(
      z.string(),
      z.looseObject({
        default: z.string(),
        enum: z.array(z.string()).min(1, { error: "a server variable's enum must not be empty" }).optional(),
      }),
    )
    .optional(),
  "x-portico-environment": environment.optional(),
});

const securityRequirement = z.record(z.string(), z.array(z.string()));

const credential = { "x-portico-credential": credentialExtension.optional() };
const noLifetime = {
  "x-portico-default-token-lifetime": z
    .undefined({ error: '"x-portico-default-token-lifetime" is only allowed on an oauth2 or openIdConnect security scheme' })
    .optional(),
};
const lifetime = {
  "x-portico-default-token-lifetime": z
    .int({ error: "x-portico-default-token-lifetime must be a whole number of seconds" })
    .positive({ error: "x-portico-default-token-lifetime must be positive" })
    .optional(),
};
const oauthFlow = z.looseObject({
  tokenUrl: z.string().optional(),
  authorizationUrl: z.string().optional(),
  refreshUrl: z.string().optional(),
  scopes: z.record(z.string(), z.string()).optional(),
});
const securityScheme = z.discriminatedUnion("type", [
  z.looseObject({ type: z.literal("http"), scheme: z.string(), ...credential, ...noLifetime }),
  z.looseObject({ type: z.literal("apiKey"), in: z.enum(["header", "query", "cookie"]), name: z.string(), ...credential, ...noLifetime }),
  z.looseObject({
    type: z.literal("oauth2"),
    flows: z.looseObject({
      clientCredentials: oauthFlow.optional(),
      authorizationCode: oauthFlow.optional(),
      implicit: oauthFlow.optional(),
      password: oauthFlow.optional(),
    }),
    ...credential,
    ...lifetime,
  }),
  z.looseObject({ type: z.literal("openIdConnect"), openIdConnectUrl: z.string(), ...credential, ...lifetime }),
  z.looseObject({
    type: z.literal("mutualTLS"),
    "x-portico-credential": z
      .undefined({ error: '"x-portico-credential" does not apply to a mutualTLS security scheme (a certificate has no secret to check)' })
      .optional(),
    ...noLifetime,
  }),
]);

const parameter = z.looseObject({
  name: z.string(),
  in: z.enum(["query", "header", "path", "cookie"]),
  required: z.boolean().optional(),
});

const encoding = z.looseObject({
  contentType: z.string().optional(),
  style: z
    .enum(["form", "spaceDelimited", "pipeDelimited", "deepObject"], {
      error: 'an encoding style must be "form", "spaceDelimited", "pipeDelimited" or "deepObject"',
    })
    .optional(),
  explode: z.boolean().optional(),
});
const mediaType = z.looseObject({ schema: z.unknown().optional(), encoding: z.record(z.string(), encoding).optional() });
const requestBody = z.looseObject({ content: z.record(z.string(), mediaType) });
const retryableError = "x-portico-retryable must be true or a non-empty list of error codes (omit it otherwise)";
const header = z.looseObject({ schema: z.unknown().optional(), content: z.record(z.string(), mediaType).optional() });
const response = z.looseObject({
  content: z.record(z.string(), mediaType).optional(),
  headers: z.record(z.string(), refOr(header)).optional(),
  "x-portico-retryable": z
    .union([
      z.literal(true, { error: retryableError }),
      z.array(z.string({ error: retryableError }).min(1, { error: retryableError }), { error: retryableError }).min(1, { error: retryableError }),
    ])
    .optional(),
});

const paginationPath = z.string({ error: "x-portico-pagination paths are strings like \"pagination.nextCursor\"" });
const paginationParam = z.string({ error: "x-portico-pagination parameters are query parameter names" }).min(1);
/** `x-portico-pagination` (docs/pagination.md): `false`, or how the list pages. Per-style checks are in read-pagination.ts. */
export const paginationExtension = z.union([
  z.literal(false),
  z.strictObject({
    style: z.enum(["cursor", "offset", "page", "link"], { error: 'x-portico-pagination style must be "cursor", "offset", "page" or "link"' }),
    items: paginationPath.optional(),
    param: paginationParam.optional(),
    next: paginationPath.min(1).optional(),
    lastItem: paginationPath.min(1).optional(),
    hasMore: paginationPath.min(1).optional(),
    limitParam: paginationParam.optional(),
    total: paginationPath.min(1).optional(),
    totalPages: paginationPath.min(1).optional(),
    first: z.int({ error: "x-portico-pagination first must be a whole number" }).nonnegative().optional(),
  }),
]);

const operation = z.looseObject({
  operationId: z.string().optional(),
  parameters: z.array(refOr(parameter)).optional(),
  requestBody: refOr(requestBody).optional(),
  responses: z.record(z.string(), refOr(response)).optional(),
  security: z.array(securityRequirement).optional(),
  servers: z.array(server).optional(),
  "x-portico-idempotent": z.literal(true, { error: "x-portico-idempotent must be true (omit it otherwise)" }).optional(),
  "x-portico-credits": z
    .number({ error: "x-portico-credits must be a number" })
    .nonnegative({ error: "x-portico-credits must not be negative" })
    .optional(),
  "x-portico-pagination": paginationExtension.optional(),
});

const pathItem = z.looseObject({
  $ref: z.undefined({ error: "a $ref on a path item is not supported; inline the path item" }).optional(),
  parameters: z.array(refOr(parameter)).optional(),
  servers: z.array(server).optional(),
  get: operation.optional(),
  put: operation.optional(),
  post: operation.optional(),
  delete: operation.optional(),
  options: operation.optional(),
  head: operation.optional(),
  patch: operation.optional(),
  trace: operation.optional(),
});

const info = z.looseObject({
  title: z.string(),
  version: z.string(),
  "x-portico-client": clientExtension.optional(),
});

const documentSchema = z.looseObject({
  // The version itself is checked first, by `checkVersion`.
  openapi: z.string(),
  info,
  servers: z.array(server).optional(),
  paths: z
    .record(z.string().startsWith("/", { error: 'a path must start with "/"' }), pathItem)
    .optional(),
  components: z
    .looseObject({
      securitySchemes: z.record(z.string(), refOr(securityScheme)).optional(),
      responses: z.record(z.string(), refOr(response)).optional(),
      requestBodies: z.record(z.string(), refOr(requestBody)).optional(),
      parameters: z.record(z.string(), refOr(parameter)).optional(),
      headers: z.record(z.string(), refOr(header)).optional(),
      schemas: z.record(z.string(), z.unknown()).optional(),
    })
    .optional(),
  security: z.array(securityRequirement).optional(),
  "x-portico-client": clientExtension.optional(),
  "x-portico-claims": claimsExtension.optional(),
  "x-portico-events": eventsExtension.optional(),
});

export type OpenApiDocument = z.infer<typeof documentSchema>;
export type OperationObject = z.infer<typeof operation>;
export type PathItemObject = z.infer<typeof pathItem>;
export type ParameterObject = z.infer<typeof parameter>;
export type ResponseObject = z.infer<typeof response>;
export type RequestBodyObject = z.infer<typeof requestBody>;
export type MediaTypeObject = z.infer<typeof mediaType>;
export type SecuritySchemeObject = z.infer<typeof securityScheme>;
export type SecurityRequirementObject = z.infer<typeof securityRequirement>;
export type ServerObject = z.infer<typeof server>;
export type CredentialExtension = z.infer<typeof credentialExtension>;
export type ClientExtension = z.infer<typeof clientExtension>;

/** Schemas to check a `$ref` target against, by what the reference stands for. */
export const referencedShapes = { parameter, requestBody, response, securityScheme } as const;

/**
 * Checks the parts of the OpenAPI document codegen reads, and the shapes of the `x-portico-*`
 * extensions. Everything else passes through untouched.
 * @throws CodegenError `SPEC_INVALID` naming the first offending value.
 */
export function validateDocument(source: SpecSource): OpenApiDocument {
  return parseWith(source, documentSchema, source.document, []);
}

/** Parses `value` (found at `pointer`) with `schema`, reporting the first issue with its location. */
export function parseWith<T extends z.ZodType>(
  source: SpecSource,
  schema: T,
  value: unknown,
  pointer: readonly string[],
): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = mostSpecific(result.error.issues[0]);
  const at = [...pointer, ...issue.path.map(String)];
  if (issue.code === "unrecognized_keys" && issue.keys[0] !== undefined) at.push(issue.keys[0]);
  const missing = getAt(source.document, at) === undefined;
  throw source.error("SPEC_INVALID", describe(issue, at, missing), at);
}

type Issue = z.core.$ZodIssue;

/** For a failed union, the branch that got furthest (not the `$ref` branch). */
function mostSpecific(issue: Issue | undefined): Issue {
  if (issue === undefined) return { code: "custom", path: [], message: "invalid value", input: undefined };
  if (issue.code !== "invalid_union" || issue.errors.length === 0) return issue;
  let best: Issue | undefined;
  for (const branch of issue.errors) {
    const first = branch[0];
    if (first === undefined || (first.path.length === 1 && first.path[0] === "$ref")) continue;
    if (best === undefined || first.path.length > best.path.length) best = first;
  }
  if (best === undefined) return issue;
  const inner = mostSpecific(best);
  return { ...inner, path: [...issue.path, ...inner.path] };
}

function describe(issue: Issue, at: readonly string[], missing: boolean): string {
  const name = (issue.code === "unrecognized_keys" ? at.at(-2) : at.at(-1)) ?? "document";
  if (issue.code === "invalid_type" && missing) return `"${name}" is required`;
  if (issue.code === "unrecognized_keys") return `"${name}" has unknown key(s) ${issue.keys.map((k) => `"${k}"`).join(", ")}`;
  if (issue.code === "invalid_union" && issue.path.at(-1) === "type") return `unsupported type`;
  return issue.message.startsWith("Invalid") ? `"${name}": ${issue.message}` : issue.message;
}

function isRegExpSource(source: string): boolean {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}
