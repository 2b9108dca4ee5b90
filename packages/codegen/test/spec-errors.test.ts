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
    name: "an error response without a code enum",
    text: spec(
      ...head,
      "  /suppliers:", // 12
      "    get:", // 13
      "      responses:", // 14
      "        '200': { description: OK }", // 15
      "        '401':", // 16
      "          description: Unauthorized", // 17
      "          content:", // 18
      "            application/json:", // 19
      "              schema: { type: object, properties: { code: { type: string } } }", // 20
    ),
    code: "SPEC_INVALID",
    message: 'specs/eudr.yaml:16 #/paths/~1suppliers/get/responses/401: error schema has no "code" enum',
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
      'specs/eudr.yaml:10 #/components/securitySchemes/bearer/x-portico-default-token-lifetime: "x-portico-default-token-lifetime" is only allowed on an oauth2 security scheme',
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
    name: "HTTP basic authentication",
    text: spec(...head.slice(0, 9), "    bearer:", "      type: http", "      scheme: basic", "paths: {}"),
    code: "SPEC_UNSUPPORTED",
    message: 'specs/eudr.yaml:12 #/components/securitySchemes/bearer/scheme: HTTP "basic" authentication is not supported; use "bearer"',
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
    name: "OpenAPI 2",
    text: spec("swagger: '2.0'", "openapi: 2.0.0", "info: { title: a, version: '1' }"),
    code: "SPEC_INVALID",
    message: "specs/eudr.yaml:2 #/openapi: only OpenAPI 3.0.x and 3.1.x are supported",
  },
  {
    name: "a missing x-portico-client",
    text: spec("openapi: 3.1.0", "info: { title: a, version: '1' }", "paths: {}"),
    code: "SPEC_INVALID",
    message: 'specs/eudr.yaml:1 #: "x-portico-client" is required',
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
