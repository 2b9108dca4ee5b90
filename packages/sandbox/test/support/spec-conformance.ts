/**
 * Checks of the sandbox's replies against one API's spec (`specs/<api>.yaml`): the matched
 * operation declares the status, the JSON body validates against the declared schema (ajv), and
 * an error's `code` is one the spec declares for that operation and status.
 */
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { expect } from "vitest";
import { declaredCodes, deref, findSpecFile, loadSpec, operationIndex, type OpenApiDocument, type OperationIndex } from "../../src/framework/spec.js";
import type { SandboxApiName } from "../../src/types.js";

/** What the checks read of a reply. */
export interface CheckedReply {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Record<string, unknown>;
}

/** The spec of one API and the checks against it. */
export interface SpecConformance {
  readonly doc: OpenApiDocument;
  readonly index: OperationIndex;
  /** Asserts the operation of `method path` declares `status` and the body matches its JSON schema (routes the spec lacks are skipped). */
  conforms(method: string, path: string, status: number, body: unknown): void;
  /** Sends `method baseUrl+path` with `headers` and `body` (JSON unless a string), parses the answer and asserts it `conforms`. */
  request(baseUrl: string, method: string, path: string, headers: Record<string, string>, body?: unknown): Promise<CheckedReply>;
  /** Asserts the reply is error `code` with `status`, a `message` and the `X-Request-Id` as `requestId`, and that the spec declares it for the operation. */
  expectDeclaredError(reply: CheckedReply, method: string, path: string, status: number, code: string): void;
}

/** Loads `specs/<api>.yaml`; `basePath` is the spec server's path that client paths are relative to (e.g. `/api/v1/integration`). */
export function createSpecConformance(api: SandboxApiName, basePath = ""): SpecConformance {
  const { doc } = loadSpec(findSpecFile(api));
  const index = operationIndex(doc);
  const ajv = new Ajv2020({ strict: false, allErrors: true, logger: false });
  addFormats(ajv);
  const id = "urn:test:spec";
  ajv.addSchema({ ...doc, $id: id });
  const match = (method: string, path: string) => index.match(method, `${basePath}${path.split("?")[0] ?? path}`);

  const conformance: SpecConformance = {
    doc,
    index,
    async request(baseUrl, method, path, headers, body) {
      const response = await fetch(`${baseUrl}${path}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
      });
      const text = await response.text();
      const parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
      conformance.conforms(method, path, response.status, parsed);
      return { status: response.status, headers: response.headers, body: parsed };
    },
    conforms(method, path, status, body) {
      const matched = match(method, path);
      if (!matched) return;
      const responses = matched.operation.node["responses"] as Record<string, unknown>;
      const declared = responses[String(status)];
      expect(declared, `${matched.operation.key} declares status ${status}`).toBeDefined();
      const response = deref<Record<string, unknown>>(doc, { pointer: `${matched.operation.pointer}/responses/${status}`, node: declared });
      const content = response.node["content"] as Record<string, unknown> | undefined;
      if (!content?.["application/json"]) return;
      const ref = `${id}${response.pointer}/content/application~1json/schema`;
      const validate = ajv.getSchema(ref) ?? ajv.compile({ $ref: ref });
      expect(validate(body) ? [] : validate.errors, `${matched.operation.key} ${status} body matches the spec`).toEqual([]);
    },
    expectDeclaredError(reply, method, path, status, code) {
      expect({ status: reply.status, code: reply.body["code"] }).toEqual({ status, code });
      expect(typeof reply.body["message"]).toBe("string");
      expect(reply.body["requestId"]).toBe(reply.headers.get("x-request-id"));
      const matched = match(method, path);
      expect(matched, `${method} ${path} is in the spec`).toBeDefined();
      const responses = matched?.operation.node["responses"] as Record<string, unknown>;
      expect(declaredCodes(doc, responses[String(status)]), `${method} ${path} declares ${status} ${code}`).toContain(code);
    },
  };
  return conformance;
}
