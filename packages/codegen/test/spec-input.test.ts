import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { CodegenError, generateFromSource, readApiModel, type GeneratedFile } from "../src/index.js";
import { errorBody, specText } from "./support/spec.js";

const fixture = join(fileURLToPath(new URL(".", import.meta.url)), "fixtures", "mini.yaml");
const ok = { "200": { description: "OK." } };

/** The error `fn` rejects or throws with. */
async function failure(fn: () => unknown): Promise<CodegenError> {
  try {
    await fn();
  } catch (error) {
    expect(error).toBeInstanceOf(CodegenError);
    return error as CodegenError;
  }
  throw new Error("expected a CodegenError");
}

const contents = (files: GeneratedFile[], path: string) => files.find((f) => f.path === path)?.contents ?? "";

/** 1-based line of the first line of `text` containing `needle`. */
const lineOf = (text: string, needle: string) => text.split("\n").findIndex((l) => l.includes(needle)) + 1;

/** GitHub-style error body: `message` and `documentation_url`, no `code` enum. */
const messageBody = {
  description: "Validation failed.",
  content: {
    "application/json": {
      schema: { type: "object", properties: { message: { type: "string" }, documentation_url: { type: "string" } } },
    },
  },
};

describe("JSON specs", () => {
  it("generate the same files as the same spec in YAML", async () => {
    const yamlText = await readFile(fixture, "utf8");
    const fromYaml = await generateFromSource(yamlText, { file: "mini.yaml" });
    const fromJson = await generateFromSource(JSON.stringify(parse(yamlText), null, 2), { file: "mini.yaml" });
    expect(fromJson.map((f) => f.path)).toEqual(fromYaml.map((f) => f.path));
    for (const file of fromYaml) expect(contents(fromJson, file.path), file.path).toBe(file.contents);
  });

  it("name file:line and JSON pointer in errors (lines are found only when an error needs one)", async () => {
    const spec = parse(specText({ paths: { "/suppliers": { get: { responses: { ...ok, "401": messageBody } } } } })) as object;
    const text = JSON.stringify(spec, null, 2);
    const error = await failure(() => generateFromSource(text, { file: "specs/eudr.json" }));
    expect(error.code).toBe("SPEC_INVALID");
    expect(error.message).toBe(`specs/eudr.json:${lineOf(text, '"401"')} #/paths/~1suppliers/get/responses/401: error schema has no "code" enum`);
    expect(error.line).toBeGreaterThan(10);
  });

  it("locate a problem with the whole document on its first line", async () => {
    const text = `\n\n${JSON.stringify({ openapi: "3.1.0", info: { title: "a", version: "1" }, paths: {} })}\n`;
    const error = await failure(() => readApiModel(text, { file: "a.json" }));
    expect(error.message).toMatch(/^a\.json:3 #: "x-portico-client" is required/);
  });

  it("report malformed JSON as SPEC_PARSE_ERROR with a line", async () => {
    const text = '{\n  "openapi": "3.1.0",\n  "info": { "title": "a", }\n  "paths": {}\n}\n';
    const error = await failure(() => readApiModel(text, { file: "a.json" }));
    expect(error.code).toBe("SPEC_PARSE_ERROR");
    expect(error.message).toMatch(/^a\.json:\d+: invalid JSON: /);
    expect(error.line).toBeGreaterThanOrEqual(3);
  });

  it("fall back to YAML for a flow mapping that is not strict JSON", () => {
    const text = "{ openapi: 3.1.0, info: { title: a, version: '1', x-portico-client: { name: A, package: a } }, paths: {} }\n";
    expect(readApiModel(text).clientName).toBe("A");
  });
});

describe("client option (--name, --package)", () => {
  const unnamed = () => {
    const spec = parse(specText({ paths: { "/items": { get: { responses: ok } } } })) as { info: Record<string, unknown> };
    delete spec.info["x-portico-client"];
    return JSON.stringify(spec);
  };

  it("names the client when the spec has no x-portico-client", async () => {
    const files = await generateFromSource(unnamed(), { client: { name: "GitHub", package: "@acme/github-client" } });
    expect(contents(files, "client.ts")).toContain("export function createGitHubApiClient<");
    expect(contents(files, "client.ts")).toContain("(`@acme/github-client`)");
    expect(contents(files, "index.ts")).toContain("export { createGitHubApiClient }");
  });

  it("is required without x-portico-client, and the message says so", async () => {
    const error = await failure(() => readApiModel(unnamed()));
    expect(error.reason).toContain("or pass --name and --package");
  });

  it("gives way to the spec's own x-portico-client", () => {
    const model = readApiModel(specText(), { client: { name: "Other", package: "other" } });
    expect([model.clientName, model.packageName]).toEqual(["Test", "@example/test"]);
  });

  it("is checked like x-portico-client", async () => {
    const error = await failure(() => readApiModel(unnamed(), { file: "gh.json", client: { name: "github", package: "x" } }));
    expect(error.code).toBe("SPEC_INVALID");
    expect(error.message).toBe('gh.json: client option: name must be PascalCase, e.g. "Ims" (the factory is create<name>ApiClient)');
  });
});

describe("lenientErrors (--lenient-errors)", () => {
  const spec = specText({
    paths: { "/repos": { post: { responses: { ...ok, "404": errorBody(["NOT_FOUND"]), "422": messageBody } } } },
  });

  it("off: an error body without a code enum is refused", async () => {
    const error = await failure(() => readApiModel(spec, { file: "gh.yaml" }));
    expect(error.message).toMatch(/^gh\.yaml:\d+ #\/paths\/~1repos\/post\/responses\/422: error schema has no "code" enum$/);
  });

  it("on: that response declares no codes; the others keep theirs; its body stays typed", async () => {
    const model = readApiModel(spec, { lenientErrors: true });
    expect(model.operations[0]?.errors.map((e) => [e.status, e.codes])).toEqual([["404", ["NOT_FOUND"]]]);
    const files = await generateFromSource(spec, { lenientErrors: true });
    expect(contents(files, "descriptor.ts")).not.toContain('"422"');
    expect(contents(files, "schema.ts")).toMatch(/422: \{[\s\S]*documentation_url\?: string;/);
  });

  it("on: x-portico-retryable on such a response is still refused", async () => {
    const marked = specText({ paths: { "/repos": { post: { responses: { ...ok, "409": { ...messageBody, "x-portico-retryable": true } } } } } });
    const error = await failure(() => readApiModel(marked, { lenientErrors: true }));
    expect(error.reason).toBe('error schema has no "code" enum');
  });
});

describe("client.ts and the credential-kind filter", () => {
  it("types the client over `paths` itself when no operation is restricted to some credential kinds", async () => {
    const files = await generateFromSource(specText({ paths: { "/items": { get: { responses: ok }, post: { responses: ok } } } }));
    expect(contents(files, "client.ts")).toContain("export type TestApiPaths<Kinds extends TestCredentialKind = TestCredentialKind> = [Kinds] extends [never] ? never : paths;");
    expect(contents(files, "client.ts")).not.toContain("PathsForKinds");
    expect(contents(files, "credential-kinds.ts")).not.toContain("RestrictedOperationKinds");
  });

  it("filters on the restricted operations only, after a check for a client with every kind", async () => {
    const files = await generateFromSource(
      specText({
        components: { securitySchemes: { key: { type: "apiKey", in: "header", name: "X-Api-Key" } } },
        security: [{ bearer: [] }, { key: [] }],
        paths: { "/items": { get: { responses: ok } }, "/admin": { get: { security: [{ bearer: [] }], responses: ok } } },
      }),
    );
    const client = contents(files, "client.ts");
    expect(client).toContain("= [TestCredentialKind] extends [Kinds]\n  ? paths\n  : PathsForKinds<paths, RestrictedOperationKinds, Kinds>;");
    const kinds = contents(files, "credential-kinds.ts");
    const restricted = kinds.slice(kinds.indexOf("export interface RestrictedOperationKinds"));
    expect(restricted).toContain('"/admin": {\n    get: "bearer";');
    expect(restricted).not.toContain('"/items"');
  });
});
