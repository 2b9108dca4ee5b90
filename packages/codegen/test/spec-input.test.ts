import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { CodegenError, generateFromSource, readApiModel, type GeneratedModule } from "../src/index.js";
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

const contents = (module: GeneratedModule, path: string) => module.files.find((f) => f.path === path)?.contents ?? "";

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
    expect(fromJson.files.map((f) => f.path)).toEqual(fromYaml.files.map((f) => f.path));
    for (const file of fromYaml.files) expect(contents(fromJson, file.path), file.path).toBe(file.contents);
  });

  it("name file:line and JSON pointer in errors (lines are found only when an error needs one)", async () => {
    const spec = parse(specText({ paths: { "/suppliers": { get: { security: [{ jwt: [] }], responses: ok } } } })) as object;
    const text = JSON.stringify(spec, null, 2);
    const error = await failure(() => generateFromSource(text, { file: "specs/eudr.json" }));
    expect(error.code).toBe("SPEC_INVALID");
    expect(error.message).toBe(
      `specs/eudr.json:${lineOf(text, '"jwt"')} #/paths/~1suppliers/get/security/0/jwt: security scheme "jwt" is not declared in components.securitySchemes`,
    );
    expect(error.line).toBeGreaterThan(10);
  });

  it("locate a problem with the whole document on its first line", async () => {
    const text = `\n\n${JSON.stringify({ info: { title: "a", version: "1" }, paths: {} })}\n`;
    const error = await failure(() => readApiModel(text, { file: "a.json" }));
    expect(error.message).toMatch(/^a\.json:3 #: "openapi" is required/);
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

describe("YAML specs", () => {
  const yaml = (...lines: string[]) => `${lines.join("\n")}\n`;

  it("read anchors and aliases (through the alias-bounded parser)", () => {
    const text = yaml(
      "openapi: 3.1.0",
      "info: { title: Anchors API, version: '1' }",
      "paths:",
      "  /a:",
      "    get:",
      "      responses: &ok { '200': { description: OK }, '404': { description: Missing } }",
      "  /b:",
      "    get: { responses: *ok }",
    );
    expect(readApiModel(text).operations.map((op) => [op.key, op.errors.map((e) => e.status)])).toEqual([
      ["GET /a", ["404"]],
      ["GET /b", ["404"]],
    ]);
  });

  it("refuse an alias bomb", async () => {
    const bomb = ["a: &a [x, x, x, x, x, x, x, x, x, x]", ...Array.from({ length: 8 }, (_, i) => `${"bcdefghi"[i]}: &${"bcdefghi"[i]} [${Array(10).fill(`*${"abcdefgh"[i]}`).join(", ")}]`)];
    const error = await failure(() => readApiModel(yaml("openapi: 3.1.0", "info: { title: B, version: '1' }", ...bomb)));
    expect(error.code).toBe("SPEC_PARSE_ERROR");
    expect(error.reason).toMatch(/invalid YAML: .*alias/i);
  });

  it("report an alias to no anchor", async () => {
    const error = await failure(() => readApiModel(yaml("openapi: 3.1.0", "info: { title: B, version: '1' }", "paths: *nothing")));
    expect(error.code).toBe("SPEC_PARSE_ERROR");
    expect(error.message).toMatch(/^spec\.yaml: invalid YAML: Unresolved alias .*: nothing/);
  });
});

describe("client name and package (x-portico-client, --name, --package, info.title)", () => {
  const unnamed = (title = "Test API") => {
    const spec = parse(specText({ paths: { "/items": { get: { responses: ok } } } })) as { info: Record<string, unknown> };
    delete spec.info["x-portico-client"];
    spec.info["title"] = title;
    return JSON.stringify(spec);
  };

  it("come from info.title when nothing else names the client", async () => {
    const module = await generateFromSource(unnamed("GitHub v3 REST API"));
    expect(contents(module, "client.ts")).toContain("export function createGitHubApiClient<");
    expect(contents(module, "client.ts")).toContain("(`github-api-client`)");
    expect(readApiModel(unnamed("GitHub v3 REST API")).name).toBe("github");
  });

  it("take --name and --package together", async () => {
    const module = await generateFromSource(unnamed(), { client: { name: "GitHub", package: "@acme/github-client" } });
    expect(contents(module, "client.ts")).toContain("export function createGitHubApiClient<");
    expect(contents(module, "client.ts")).toContain("(`@acme/github-client`)");
    expect(contents(module, "index.ts")).toContain("export { createGitHubApiClient }");
  });

  it("take --name alone (the package derives from it) and --package alone (the name derives from the title)", () => {
    expect(readApiModel(unnamed(), { client: { name: "BoxPlatform" } })).toMatchObject({ clientName: "BoxPlatform", packageName: "box-platform-api-client" });
    expect(readApiModel(unnamed("Stripe API"), { client: { package: "@acme/stripe" } })).toMatchObject({ clientName: "Stripe", packageName: "@acme/stripe" });
  });

  it("give way to the spec's own x-portico-client, key by key", () => {
    const model = readApiModel(specText(), { client: { name: "Other", package: "other" } });
    expect([model.clientName, model.packageName]).toEqual(["Test", "@example/test"]);
    const nameOnly = readApiModel(specText({ info: { "x-portico-client": { name: "Ims", package: undefined } } }), { client: { package: "@acme/ims" } });
    expect([nameOnly.clientName, nameOnly.packageName]).toEqual(["Ims", "@acme/ims"]);
    const alone = readApiModel(specText({ info: { "x-portico-client": { name: "Ims", package: undefined } } }));
    expect(alone.packageName).toBe("ims-api-client");
  });

  it("are checked like x-portico-client", async () => {
    const error = await failure(() => readApiModel(unnamed(), { file: "gh.json", client: { name: "github", package: "x" } }));
    expect(error.code).toBe("SPEC_INVALID");
    expect(error.message).toBe('gh.json: client option: name must be PascalCase, e.g. "Ims" (the factory is create<name>ApiClient)');
  });
});

describe("error responses without a code enum (what --lenient-errors once allowed)", () => {
  const spec = specText({
    paths: { "/repos": { post: { responses: { ...ok, "404": errorBody(["NOT_FOUND"]), "422": messageBody } } } },
  });

  it("declare no codes, keep their status in the table and their schema in errors.ts", async () => {
    const model = readApiModel(spec, { file: "gh.yaml" });
    expect(model.operations[0]?.errors.map((e) => [e.status, e.codes])).toEqual([
      ["404", ["NOT_FOUND"]],
      ["422", []],
    ]);
    const module = await generateFromSource(spec);
    expect(contents(module, "descriptor.ts")).toMatch(/"POST \/repos": \{ errors: \{ "404": c\d+, "422": \[\] \} \}/);
    expect(contents(module, "errors.ts")).toMatch(/"422": z\.looseObject\(\{ message: e\d+, documentation_url: e\d+ \}\)/);
    expect(contents(module, "schema.ts")).toMatch(/422: \{[\s\S]*documentation_url\?: string;/);
  });

  it("are the same with the deprecated lenientErrors option", async () => {
    expect(await generateFromSource(spec, { lenientErrors: true })).toEqual(await generateFromSource(spec));
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
    expect(restricted).toContain('"/admin": {\n    get: "none" | "bearer";');
    expect(restricted).not.toContain('"/items"');
  });
});
