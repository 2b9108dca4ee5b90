/**
 * Property: random mutations of small valid OpenAPI 3.0/3.1 documents (the `shapes` fixture:
 * every security scheme type, server variables, form and multipart bodies, error responses with
 * and without code enums, `$ref`s; and the `mini` fixture with the `x-portico-*` extensions) give
 * either generated files or a `CodegenError` whose message reads `file:line #/pointer: reason`,
 * with a line inside the file and a pointer into the document; never a raw exception.
 *
 * Mutations: delete, replace with junk, rename keys (`$ref`, `~1`, `__proto__`, unicode), point a
 * `$ref` anywhere (missing, external, itself, the wrong kind of object), copy one subtree over
 * another, change `openapi`, set `x-portico-*` extensions to junk, rename operations and servers.
 * A subset of the generated outputs is type-checked in one TypeScript program after the run.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { inspect } from "node:util";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { CodegenError, generateFromSource } from "../../src/index.js";
import { FUZZ_RUNS, Tally, checkProperty, fuzzTimeout } from "../../../core/test/fuzz/support/fuzz.js";
import { typeCheck } from "../support/type-check.js";

const here = fileURLToPath(new URL(".", import.meta.url));
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = ReadonlyArray<string | number>;

const seeds: Record<string, Json> = {};
beforeAll(async () => {
  const { parse } = await import("yaml");
  for (const name of ["shapes", "mini"]) seeds[name] = parse(await readFile(join(here, "..", "fixtures", `${name}.yaml`), "utf8")) as Json;
});

// ---------------------------------------------------------------------------------------------
// Mutations
// ---------------------------------------------------------------------------------------------

/** Every node of a document, by path (`$ref`s not followed). */
function pathsOf(doc: Json, limit = 4000): Path[] {
  const out: Path[] = [];
  const walk = (node: Json, path: Path): void => {
    if (out.length >= limit) return;
    out.push(path);
    if (Array.isArray(node)) node.forEach((child, i) => walk(child, [...path, i]));
    else if (typeof node === "object" && node !== null) for (const [key, child] of Object.entries(node)) walk(child, [...path, key]);
  };
  walk(doc, []);
  return out;
}

function get(doc: Json, path: Path): Json | undefined {
  let node: Json | undefined = doc;
  for (const segment of path) {
    if (typeof node !== "object" || node === null) return undefined;
    node = (node as Record<string, Json>)[segment as string];
  }
  return node;
}

function set(doc: Json, path: Path, value: Json | undefined): Json {
  if (path.length === 0) return value ?? null;
  const parent = get(doc, path.slice(0, -1));
  const last = path[path.length - 1] as string | number;
  if (typeof parent !== "object" || parent === null) return doc;
  if (Array.isArray(parent)) {
    if (value === undefined) parent.splice(Number(last), 1);
    else parent[Number(last)] = value;
  } else if (value === undefined) delete parent[last];
  else Object.defineProperty(parent, last, { value, enumerable: true, writable: true, configurable: true });
  return doc;
}

const pointerOf = (path: Path): string => `#/${path.map((s) => String(s).replace(/~/g, "~0").replace(/\//g, "~1")).join("/")}`;

const oddKey = fc.oneof(
  fc.constantFrom("", "$ref", "~1", "a/b", "~", "constructor", "__proto__", "toString", "ünïcødé", "200", "2XX", "default", "x-portico-client", "x-portico-retries", "class", "123abc", "a b", "{id}", "/v2/../etc"),
  fc.string({ maxLength: 8 }),
);
const oddValue: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom<Json>("", null, true, 0, -1, 1.5, 1e308, [], {}, "{region}", "https://{missing}.x.test/{a}", "#/components/schemas/Nope", "x".repeat(5000), "ünïcødé */ \n // ${x}", "3.1.0"),
  fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>,
);
const refTarget = fc.oneof(
  fc.constantFrom("#/components/schemas/Missing", "#/", "#", "other.yaml#/x", "http://example.test/spec.json#/a", "#/paths", "#/components/securitySchemes", "#/info", "#/components/responses/Problem", "#/components/schemas/Charge", "#/paths/~1v2~1charges/post", "#/components/responses", "#/%7B"),
  fc.string({ maxLength: 12 }).map((s) => `#/${s}`),
);
const extension = fc.oneof(
  fc.tuple(fc.constant("x-portico-client"), fc.oneof(fc.record({ name: fc.oneof(fc.string({ maxLength: 10 }), fc.constantFrom("class", "", "9lives", "ü")), package: fc.constantFrom("@x/y", "", "Bad Name", "x") }, { requiredKeys: [] }), oddValue)),
  fc.tuple(fc.constantFrom("x-portico-environment"), fc.oneof(fc.constantFrom<Json>("production", "sandbox", "staging", ""), oddValue)),
  fc.tuple(fc.constantFrom("x-portico-credits", "x-portico-default-token-lifetime"), fc.oneof(fc.constantFrom<Json>(1, 0, -1, 1.5, "lots", 1e300), oddValue)),
  fc.tuple(fc.constantFrom("x-portico-idempotent", "x-portico-retryable"), fc.oneof(fc.constantFrom<Json>(true, false, "yes", ["CODE"], []), oddValue)),
  fc.tuple(fc.constant("x-portico-credential"), fc.oneof(fc.record({ pattern: fc.constantFrom<Json>("^a$", "(", "[", "\\", "", 5), environments: fc.constantFrom<Json>({ sk_live_: "production" }, { "": "sandbox" }, { x: "mars" }, []) }, { requiredKeys: [] }), oddValue)),
  fc.tuple(fc.constant("x-portico-claims"), fc.oneof(fc.record({ namespace: fc.constantFrom<Json>("https://x/", "", 5), tenant: fc.constantFrom<Json>("tenant_id", ""), permissions: fc.constantFrom<Json>("p", null) }, { requiredKeys: [] }), oddValue)),
  fc.tuple(fc.constant("x-portico-events"), oddValue),
);

type Mutation =
  | { readonly kind: "delete"; readonly at: number }
  | { readonly kind: "replace"; readonly at: number; readonly value: Json }
  | { readonly kind: "rename"; readonly at: number; readonly key: string }
  | { readonly kind: "ref"; readonly at: number; readonly target: string | "self" | "existing"; readonly pick: number }
  | { readonly kind: "copy"; readonly at: number; readonly from: number }
  | { readonly kind: "version"; readonly value: Json }
  | { readonly kind: "extension"; readonly at: number; readonly name: string; readonly value: Json }
  | { readonly kind: "operationId"; readonly at: number; readonly value: string | "duplicate" };

const at = fc.nat();
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("delete" as const), at }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("replace" as const), at, value: oddValue }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("rename" as const), at, key: oddKey }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("ref" as const), at, target: fc.oneof(refTarget, fc.constantFrom("self", "existing")), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("copy" as const), at, from: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("version" as const), value: fc.constantFrom<Json>("3.0.3", "3.0.0", "3.1.0", "3.1.1", "2.0", "3.2.0", 3.1, "4.0.0", "", "3.0") }) },
  { weight: 2, arbitrary: fc.tuple(at, extension).map(([where, [name, value]]) => ({ kind: "extension" as const, at: where, name, value })) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("operationId" as const), at, value: fc.oneof(fc.constantFrom("duplicate", "class", "constructor", "__proto__", "", "123", "a-b", "ü", "GET", "createClient"), fc.string({ maxLength: 8 })) }) },
);

function mutate(seed: Json, mutations: readonly Mutation[]): Json {
  let doc = structuredClone(seed);
  for (const m of mutations) {
    const paths = pathsOf(doc);
    const pick = (n: number): Path => paths[n % paths.length] as Path;
    switch (m.kind) {
      case "delete":
        doc = set(doc, pick(m.at), undefined);
        break;
      case "replace":
        doc = set(doc, pick(m.at), structuredClone(m.value));
        break;
      case "rename": {
        const path = pick(m.at);
        const value = get(doc, path);
        if (path.length === 0 || typeof path[path.length - 1] !== "string" || value === undefined) break;
        doc = set(doc, path, undefined);
        doc = set(doc, [...path.slice(0, -1), m.key], value);
        break;
      }
      case "ref": {
        const path = pick(m.at);
        const target = m.target === "self" ? pointerOf(path) : m.target === "existing" ? pointerOf(pick(m.pick)) : m.target;
        doc = set(doc, path, { $ref: target });
        break;
      }
      case "copy":
        doc = set(doc, pick(m.at), structuredClone(get(doc, pick(m.from)) ?? null));
        break;
      case "version":
        doc = set(doc, ["openapi"], m.value);
        break;
      case "extension": {
        const objects = paths.filter((p) => {
          const node = get(doc, p);
          return typeof node === "object" && node !== null && !Array.isArray(node);
        });
        doc = set(doc, [...(objects[m.at % objects.length] ?? []), m.name], structuredClone(m.value));
        break;
      }
      case "operationId": {
        const ids = paths.filter((p) => p[p.length - 1] === "operationId");
        if (ids.length === 0) break;
        const value = m.value === "duplicate" ? (get(doc, ids[(m.at + 1) % ids.length] as Path) ?? "x") : m.value;
        doc = set(doc, ids[m.at % ids.length] as Path, value);
        break;
      }
    }
  }
  return doc;
}

const specCase = fc.record({
  seed: fc.constantFrom("shapes", "mini"),
  version: fc.constantFrom<Json | undefined>(undefined, undefined, "3.0.3"),
  mutations: fc.array(mutation, { minLength: 0, maxLength: 4 }),
  yaml: fc.boolean(),
  typeCheck: fc.nat({ max: 9 }).map((n) => n === 0),
});

// ---------------------------------------------------------------------------------------------

/** Decodes `#/a~1b/c` into segments (codegen's pointers are not percent-encoded). */
const segmentsOf = (pointer: string): string[] =>
  pointer === "#" ? [] : pointer.replace(/^#\//, "").split("/").map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));

/** The number of lines of a text (a trailing newline ends the last line). */
const lineCount = (text: string): number => text.split("\n").length;

/** How many generated outputs are type-checked: a few inside `pnpm test`, more in `pnpm test:fuzz`. */
const TYPE_CHECKED = Math.min(40, Math.max(3, Math.ceil(FUZZ_RUNS / 250)));

interface SpecOutcome {
  readonly text: string;
  readonly doc: Json;
  readonly files?: Record<string, string>;
  readonly error?: CodegenError;
}

const FILE = "fuzz.yaml";
type SpecCase = typeof specCase extends fc.Arbitrary<infer T> ? T : never;

/**
 * Outcomes by case: both properties draw the same cases (same seed, same generator), so the
 * second reads what the first computed instead of generating every spec again. Only errors are
 * kept (what the second property judges), with the facts it needs.
 */
const seen = new Map<string, Located | "generated">();
const keyOf = (c: SpecCase): string => JSON.stringify(c);

/** What the location property judges of an error: its line against the file, its pointer against the document. */
interface Located {
  readonly error: CodegenError;
  readonly lines: number;
  /** The pointer minus its last step, when that is not in the document. */
  readonly missingParent: string | undefined;
}

function located(error: CodegenError, text: string, doc: Json): Located {
  const segments = error.pointer === undefined ? [] : segmentsOf(error.pointer);
  const parent = segments.slice(0, -1);
  return { error, lines: lineCount(text), missingParent: error.pointer !== undefined && get(doc, parent) === undefined ? pointerOf(parent) : undefined };
}

const factsOf = (outcome: SpecOutcome): Located | "generated" => (outcome.error === undefined ? "generated" : located(outcome.error, outcome.text, outcome.doc));

/** Generates one mutated spec: its files, or the CodegenError (anything else thrown fails the case). */
async function run(c: SpecCase): Promise<SpecOutcome> {
  const seed = seeds[c.seed] as Json;
  const base = c.version === undefined ? seed : set(structuredClone(seed), ["openapi"], c.version);
  const doc = mutate(base, c.mutations);
  const text = c.yaml ? stringify(doc) : JSON.stringify(doc, null, 1);
  try {
    const { files } = await generateFromSource(text, { file: FILE });
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      expect(f.path).toMatch(/^[a-z-]+\.ts$/);
      expect(typeof f.contents).toBe("string");
    }
    return { text, doc, files: Object.fromEntries(files.map((f) => [f.path, f.contents])) };
  } catch (thrown) {
    if (!(thrown instanceof CodegenError)) throw new Error(`a raw ${inspect(thrown)}\nfor the spec\n${text.slice(0, 4000)}`);
    // The documented shape, whatever is known of the location.
    expect(thrown.message).toBe(`${FILE}${thrown.line === undefined ? "" : `:${thrown.line}`}${thrown.pointer === undefined ? "" : ` ${thrown.pointer}`}: ${thrown.reason}`);
    expect(["SPEC_PARSE_ERROR", "SPEC_INVALID", "SPEC_UNSUPPORTED"]).toContain(thrown.code);
    expect(thrown.reason.length, "an empty reason").toBeGreaterThan(0);
    return { text, doc, error: thrown };
  }
}

describe("specs (property)", () => {
  // Fails on the code of this writing (reported, not weakened): a `$ref` whose fragment is not
  // valid percent-encoding throws a raw `URIError: URI malformed` from `parseLocalRef`
  // (src/spec/json-pointer.ts, `decodeURIComponent`) instead of a located `CodegenError`.
  // Minimal counterexample (seed 1202612, case 371, shrunk): one node of the shapes fixture
  // replaced by `{ "$ref": "#/%" }`; by hand:
  //   { "openapi": "3.1.0", "info": { "title": "T", "version": "1" },
  //     "paths": { "/a": { "get": { "responses": { "200": { "$ref": "#/%" } } } } } }
  it(
    "mutated specs: generated files or a CodegenError, never a raw exception; a sample of the outputs type-checks in one program",
    async () => {
      const tally = new Tally();
      const toCheck: Array<{ text: string; files: Record<string, string> }> = [];
      // The sample is type-checked even when the property fails (what generated so far still must compile).
      const property = checkProperty(
        "specs",
        fc.asyncProperty(specCase, async (c) => {
          const outcome = await run(c);
          seen.set(keyOf(c), factsOf(outcome));
          tally.add(outcome.error?.code ?? "generated");
          if (outcome.files !== undefined && c.typeCheck && toCheck.length < TYPE_CHECKED) toCheck.push({ text: outcome.text, files: outcome.files });
        }),
        undefined,
        tally,
      ).then(
        () => undefined,
        (failure: unknown) => failure,
      );
      const failure = await property;
      const errors = typeCheck(Object.fromEntries(toCheck.map((m, i) => [`fuzz${i}`, m.files])));
      console.log(`fuzz: specs → ${toCheck.length} generated modules type-checked in one program, ${errors.length} errors`);
      const failing = [...new Set(errors.map((e) => Number(/^fuzz(\d+)\//.exec(e)?.[1])))];
      expect(errors, failing.map((i) => `module fuzz${i} from:\n${toCheck[i]?.text.slice(0, 3000)}`).join("\n\n")).toEqual([]);
      if (failure !== undefined) throw failure;
    },
    fuzzTimeout(60) + 120_000,
  );

  // Fails on the code of this writing (reported, not weakened): whatever openapi-typescript refuses
  // is `CodegenError("SPEC_INVALID", "openapi-typescript failed: …")` with no line and no
  // pointer (`fuzz.yaml: openapi-typescript failed: Expected SchemaObject, received Array at
  // #/components/responses/Problem/content/application~1json`): codegen's own validation lets
  // through a schema that is an array, a property that is not a schema, a self-referencing
  // schema, `$ref: "#"`. Minimal counterexample (seed 1202612, case 23, shrunk): in the shapes
  // fixture, `components.responses.Problem.content["application/json"].schema` replaced by `[]`;
  // by hand, any response with `content: { "application/json": { "schema": [] } }`.
  // Also seen (seed 22): `circular $ref` reported at a pointer that walks through a `$ref`
  // (`#/paths/~1v1~1items/post/responses/422/content/application~1json/schema/properties/details/items`
  // where `…/schema` is a `$ref`), naming no node of the file.
  it(
    "every CodegenError of a mutated spec is located: a line inside the file and a JSON pointer into the document",
    async () => {
      const tally = new Tally();
      await checkProperty(
        "specs: error locations",
        fc.asyncProperty(specCase, async (c) => {
          const known = seen.get(keyOf(c)) ?? factsOf(await run(c));
          if (known === "generated") return;
          const { error: e, lines, missingParent } = known;
          expect(e.line, `no line in "${e.message}"`).toBeTypeOf("number");
          expect(e.line).toBeGreaterThanOrEqual(1);
          expect(e.line).toBeLessThanOrEqual(lines);
          if (e.code !== "SPEC_PARSE_ERROR") {
            expect(e.pointer, `no pointer in "${e.message}"`).toMatch(/^#(\/|$)/);
            // The pointer leads into the document: everything but (perhaps) its last step exists.
            expect(missingParent, `"${e.message}": ${missingParent} is not in the spec`).toBeUndefined();
          }
          tally.add(e.code);
        }),
        undefined,
        tally,
      );
    },
    fuzzTimeout(60),
  );
});
