import { describe, expect, it } from "vitest";
import { CodegenError, generateFromSource } from "../src/index.js";

/** A spec whose lines are known: line N of the text is `lines[N - 1]`. */
const spec = (...lines: string[]) => `${lines.join("\n")}\n`;

const head = [
  "openapi: 3.1.0", // 1
  "info:", // 2
  "  title: EUDR", // 3
  "  version: 1.0.0", // 4
  "  x-portico-client: { name: Eudr, package: '@nentropy/api-client' }", // 5
  "security:", // 6
  "  - bearer: []", // 7
  "components:", // 8
  "  securitySchemes:", // 9
  "    bearer: { type: http, scheme: bearer }", // 10
  "paths:", // 11
];

const cases: { name: string; text: string; code: string; message: string }[] = [
  {
    name: "malformed YAML",
    text: spec("openapi: 3.1.0", "info:", "  title: [unclosed", "  version: 1"),
    code: "SPEC_PARSE_ERROR",
    message: /^specs\/eudr\.yaml:\d+: invalid YAML: /.source,
  },
  {
    name: "duplicate keys",
    text: spec(...head, "  /a:", "    get: { responses: { '200': { description: a } } }", "  /a:", "    get: { responses: { '200': { description: b } } }"),
    code: "SPEC_PARSE_ERROR",
    message: "specs/eudr.yaml:14: invalid YAML: Map keys must be unique",
  },
  {
    name: "an unknown x-portico extension",
    text: spec(...head, "  /suppliers:", "    get:", "      x-portico-retries: 3", "      responses: { '200': { description: OK } }"),
    code: "SPEC_INVALID",
    message: 'specs/eudr.yaml:14 #/paths/~1suppliers/get/x-portico-retries: unknown extension "x-portico-retries"',
  },
  {
    name: "a known extension in the wrong place",
    text: spec(...head, "  /suppliers:", "    x-portico-credits: 1", "    get: { responses: { '200': { description: OK } } }"),
    code: "SPEC_INVALID",
    message: 'specs/eudr.yaml:13 #/paths/~1suppliers/x-portico-credits: "x-portico-credits" is not allowed here; it belongs on an operation',
  },
  {
    name: "an extension value of the wrong shape",
    text: spec(...head, "  /suppliers:", "    get:", "      x-portico-credits: lots", "      responses: { '200': { description: OK } }"),
    code: "SPEC_INVALID",
    message: "specs/eudr.yaml:14 #/paths/~1suppliers/get/x-portico-credits: x-portico-credits must be a number",
  },
  {
    name: "an extension object with an unknown key",
    text: spec(
      ...head.slice(0, 10),
      "    key:", // 11
      "      type: apiKey", // 12
      "      in: header", // 13
      "      name: X-Api-Key", // 14
      "      x-portico-credential:", // 15
      "        prefix: sk_", // 16
      "paths: {}", // 17
    ),
    code: "SPEC_INVALID",
    message: 'specs/eudr.yaml:16 #/components/securitySchemes/key/x-portico-credential/prefix: "x-portico-credential" has unknown key(s) "prefix"',
  },
  {
    name: "a default token lifetime on a non-OAuth scheme",
    text: spec(...head.slice(0, 9), "    bearer: { type: http, scheme: bearer, x-portico-default-token-lifetime: 60 }", "paths: {}"),
    code: "SPEC_INVALID",
    message:
      'specs/eudr.yaml:10 #/components/securitySchemes/bearer/x-portico-default-token-lifetime: "x-portico-default-token-lifetime" is only allowed on an oauth2 or openIdConnect security scheme',
  },
  {
    name: "x-portico-idempotent on a GET",
    text: spec(...head, "  /a:", "    get:", "      x-portico-idempotent: true", "      responses: { '200': { description: OK } }"),
    code: "SPEC_INVALID",
    message: 'specs/eudr.yaml:14 #/paths/~1a/get/x-portico-idempotent: "x-portico-idempotent" only applies to POST, PUT, PATCH and DELETE',
  },
  {
    name: "x-portico-retryable with a value of the wrong shape",
    text: spec(
      ...head,
      "  /a:", // 12
      "    post:", // 13
      "      responses:", // 14
      "        '409':", // 15
      "          description: Conflict", // 16
      "          x-portico-retryable: false", // 17
    ),
    code: "SPEC_INVALID",
    message: "specs/eudr.yaml:17 #/paths/~1a/post/responses/409/x-portico-retryable: x-portico-retryable must be true or a non-empty list of error codes (omit it otherwise)",
  },
  {
    name: "x-portico-retryable listing a code the response does not declare (through a $ref)",
    text: spec(
      ...head.slice(0, 8), // 1-8, up to "components:"
      "  responses:", // 9
      "    Conflict:", // 10
      "      description: Conflict", // 11
      "      x-portico-retryable: [IN_FLIGHT]", // 12
      "      content:", // 13
      "        application/json:", // 14
      "          schema: { type: object, properties: { code: { enum: [DUPLICATE] } } }", // 15
      ...head.slice(8), // securitySchemes, bearer, paths:
      "  /a:",
      "    post:",
      "      responses:",
      "        '409': { $ref: '#/components/responses/Conflict' }",
    ),
    code: "SPEC_INVALID",
    message: 'specs/eudr.yaml:12 #/components/responses/Conflict/x-portico-retryable: "x-portico-retryable" lists "IN_FLIGHT", which is not a code of this response (DUPLICATE)',
  },
  {
    name: "x-portico-retryable on a success response",
    text: spec(...head, "  /a:", "    post:", "      responses:", "        '200': { description: OK, x-portico-retryable: true }"),
    code: "SPEC_INVALID",
    message: 'specs/eudr.yaml:15 #/paths/~1a/post/responses/200/x-portico-retryable: "x-portico-retryable" only applies to error responses (4xx, 5xx, default), not to 200',
  },
  {
    name: "x-portico-retryable on an operation instead of a response",
    text: spec(...head, "  /a:", "    post:", "      x-portico-retryable: true", "      responses: { '200': { description: OK } }"),
    code: "SPEC_INVALID",
    message: 'specs/eudr.yaml:14 #/paths/~1a/post/x-portico-retryable: "x-portico-retryable" is not allowed here; it belongs on a response object',
  },
  {
    name: "a security requirement naming an undeclared scheme",
    text: spec(...head, "  /a:", "    get:", "      security: [{ jwt: [] }]", "      responses: { '200': { description: OK } }"),
    code: "SPEC_INVALID",
    message: 'specs/eudr.yaml:14 #/paths/~1a/get/security/0/jwt: security scheme "jwt" is not declared in components.securitySchemes',
  },
  {
    name: "x-portico-retryable on an error response without a code enum",
    text: spec(
      ...head,
      "  /a:", // 12
      "    post:", // 13
      "      responses:", // 14
      "        '409':", // 15
      "          description: Conflict", // 16
      "          x-portico-retryable: true", // 17
      "          content: { application/json: { schema: { type: object, properties: { message: { type: string } } } } }", // 18
    ),
    code: "SPEC_INVALID",
    message:
      'specs/eudr.yaml:17 #/paths/~1a/post/responses/409/x-portico-retryable: "x-portico-retryable" needs a JSON error body with a code enum (code, error_code, errorCode or error.code)',
  },
  {
    name: "an unknown security scheme type",
    text: spec(...head.slice(0, 9), "    bearer: { type: token }", "paths: {}"),
    code: "SPEC_INVALID",
    message: "specs/eudr.yaml:10 #/components/securitySchemes/bearer/type: unsupported type",
  },
  {
    name: "x-portico-credential on a mutualTLS scheme",
    text: spec(...head.slice(0, 9), "    cert: { type: mutualTLS, x-portico-credential: { pattern: x } }", "paths: {}"),
    code: "SPEC_INVALID",
    message:
      'specs/eudr.yaml:10 #/components/securitySchemes/cert/x-portico-credential: "x-portico-credential" does not apply to a mutualTLS security scheme (a certificate has no secret to check)',
  },
  {
    name: "a request body encoding with a style forms do not have",
    text: spec(
      ...head,
      "  /a:", // 12
      "    post:", // 13
      "      requestBody:", // 14
      "        content:", // 15
      "          application/x-www-form-urlencoded:", // 16
      "            encoding: { tags: { style: simple } }", // 17
      "      responses: { '200': { description: OK } }", // 18
    ),
    code: "SPEC_INVALID",
    message:
      'specs/eudr.yaml:17 #/paths/~1a/post/requestBody/content/application~1x-www-form-urlencoded/encoding/tags/style: an encoding style must be "form", "spaceDelimited", "pipeDelimited" or "deepObject"',
  },
  {
    name: "a server variable without a default",
    text: spec("openapi: 3.1.0", "info: { title: a, version: '1' }", "servers:", "  - url: 'https://{region}.a.test'", "    variables: { region: { enum: [us] } }", "paths: {}"),
    code: "SPEC_INVALID",
    message: 'specs/eudr.yaml:5 #/servers/0/variables/region/default: "default" is required',
  },
  {
    name: "an external $ref",
    text: spec(...head, "  /a:", "    get:", "      responses:", "        '200': { $ref: 'common.yaml#/responses/Ok' }"),
    code: "SPEC_UNSUPPORTED",
    message: 'specs/eudr.yaml:15 #/paths/~1a/get/responses/200/$ref: external $ref "common.yaml#/responses/Ok" is not supported; bundle the spec into one file',
  },
  {
    name: "a dangling $ref",
    text: spec(...head, "  /a:", "    get:", "      responses:", "        '401': { $ref: '#/components/responses/Nope' }"),
    code: "SPEC_INVALID",
    message: 'specs/eudr.yaml:15 #/paths/~1a/get/responses/401/$ref: $ref "#/components/responses/Nope" points at nothing',
  },
  {
    name: "Swagger 2.0",
    text: spec("swagger: '2.0'", "info: { title: a, version: '1' }", "paths: {}"),
    code: "SPEC_UNSUPPORTED",
    message:
      'specs/eudr.yaml:1 #/swagger: this is a Swagger 2.0 document, which portico does not read: convert it to OpenAPI 3 first, e.g. `npx swagger2openapi spec.json -o openapi.json`, or in the Swagger Editor with Edit → "Convert to OpenAPI 3"',
  },
  {
    name: "Swagger 2.0 with a stray openapi field",
    text: spec("swagger: '2.0'", "openapi: 2.0.0", "info: { title: a, version: '1' }"),
    code: "SPEC_UNSUPPORTED",
    message: "specs/eudr.yaml:1 #/swagger: this is a Swagger 2.0 document, which portico does not read: convert it to OpenAPI 3 first",
  },
  {
    name: "an OpenAPI version other than 3.0, 3.1 and 3.2",
    text: spec("openapi: 4.0.0", "info: { title: a, version: '1' }", "paths: {}"),
    code: "SPEC_UNSUPPORTED",
    message: 'specs/eudr.yaml:1 #/openapi: OpenAPI "4.0.0" is not supported: portico reads OpenAPI 3.0.x, 3.1.x and 3.2.x (e.g. "3.0.3", "3.1.0", "3.2.0")',
  },
  {
    name: "a document with no version",
    text: spec("info: { title: a, version: '1' }", "paths: {}"),
    code: "SPEC_INVALID",
    message: 'specs/eudr.yaml:1 #: "openapi" is required: portico reads OpenAPI 3.0.x, 3.1.x and 3.2.x documents',
  },
  {
    name: "a document that is not an object",
    text: spec("- openapi: 3.1.0"),
    code: "SPEC_INVALID",
    message: "specs/eudr.yaml:1 #: the document is not an object (expected an OpenAPI 3.0, 3.1 or 3.2 document)",
  },
  {
    name: "a missing info.title",
    text: spec("openapi: 3.1.0", "info: { version: '1' }", "paths: {}"),
    code: "SPEC_INVALID",
    message: 'specs/eudr.yaml:2 #/info/title: "title" is required',
  },
  {
    name: "a $ref with a malformed percent-escape",
    text: spec(...head, "  /a:", "    get: { responses: { '200': { $ref: '#/%' } } }"),
    code: "SPEC_INVALID",
    message: 'specs/eudr.yaml:13 #/paths/~1a/get/responses/200/$ref: $ref "#/%" points at nothing',
  },
  {
    name: "a $ref to the whole document",
    text: spec(...head, "  /a:", "    get: { responses: { '200': { $ref: '#' } } }"),
    code: "SPEC_INVALID",
    message: 'specs/eudr.yaml:13 #/paths/~1a/get/responses/200/$ref: $ref "#" points at the whole document; point it at a component, e.g. "#/components/schemas/Item"',
  },
  {
    name: "a $ref into its own ancestor",
    text: spec(...head, "  /a:", "    get: { responses: { '200': { $ref: '#/paths' } } }"),
    code: "SPEC_INVALID",
    message: 'specs/eudr.yaml:13 #/paths/~1a/get/responses/200/$ref: $ref "#/paths" points at an object that contains the reference itself (it would never end)',
  },
  {
    name: "a circle of references with nothing in between",
    text: spec(...head.slice(0, 10), "  schemas:", "    A: { $ref: '#/components/schemas/B' }", "    B: { $ref: '#/components/schemas/A' }", "paths: {}"),
    code: "SPEC_INVALID",
    message: 'specs/eudr.yaml:12 #/components/schemas/A/$ref: $ref "#/components/schemas/B" leads back to itself through references alone (a circular $ref with nothing in between)',
  },
  {
    name: "a $ref that is not a string",
    text: spec(...head, "  /a:", "    get: { responses: { '200': { $ref: 5 } } }"),
    code: "SPEC_INVALID",
    message: 'specs/eudr.yaml:13 #/paths/~1a/get/responses/200/$ref: "$ref" must be a string such as "#/components/schemas/Item"',
  },
  {
    name: "a schema that is not an object",
    text: spec(...head, "  /a:", "    get:", "      responses:", "        '200': { description: OK, content: { application/json: { schema: [] } } }"),
    code: "SPEC_INVALID",
    message: "specs/eudr.yaml:15 #/paths/~1a/get/responses/200/content/application~1json/schema: a schema must be an object",
  },
  {
    name: "a boolean schema outside additionalProperties",
    text: spec(...head, "  /a:", "    get:", "      responses:", "        '200': { description: OK, content: { application/json: { schema: { properties: { x: false } } } } }"),
    code: "SPEC_INVALID",
    message: 'specs/eudr.yaml:15 #/paths/~1a/get/responses/200/content/application~1json/schema/properties/x: a boolean schema (false) is only supported as additionalProperties; write {} for any value, or { "not": {} } for none',
  },
  {
    name: "a duplicate operationId",
    text: spec(...head, "  /a:", "    get: { operationId: list, responses: { '200': { description: OK } } }", "  /b:", "    get: { operationId: list, responses: { '200': { description: OK } } }"),
    code: "SPEC_INVALID",
    message: 'specs/eudr.yaml:15 #/paths/~1b/get/operationId: operationId "list" is also used by GET /a; operationIds must be unique',
  },
];

describe("invalid and unsupported specs", () => {
  it.each(cases)("$name → $code", async ({ text, code, message }) => {
    const error = await generateFromSource(text, { file: "specs/eudr.yaml" }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CodegenError);
    expect((error as CodegenError).code).toBe(code);
    expect((error as CodegenError).message).toMatch(new RegExp(`^${message.startsWith("^") ? message.slice(1) : escape(message)}`));
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
