import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CodegenError, generate } from "@portico/codegen";
import { afterEach, describe, expect, test } from "vitest";
import { PACKAGE_DIR } from "../support/corpus.js";

// cases/swagger-2.yaml: a valid Swagger 2.0 document. portico reads OpenAPI 3.0/3.1 only: generate()
// must refuse it saying what it is and how to convert it, and write nothing.
const SPEC = join(PACKAGE_DIR, "cases", "swagger-2.yaml");
let scratch: string | undefined;

afterEach(async () => {
  if (scratch !== undefined) await rm(scratch, { recursive: true, force: true });
  scratch = undefined;
});

describe("Swagger 2.0: refused by generate() with how to convert, no files written", () => {
  test("generate({ spec, out }) rejects with SPEC_UNSUPPORTED naming Swagger 2.0 and the conversion", async () => {
    scratch = await mkdtemp(join(tmpdir(), "portico-case-swagger-"));
    const out = join(scratch, "client");
    const failure = await generate({ spec: SPEC, out }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(CodegenError);
    const error = failure as CodegenError;
    expect(error.code).toBe("SPEC_UNSUPPORTED");
    expect(error.message).toContain("Swagger 2.0");
    expect(error.message).toMatch(/convert it to OpenAPI 3/i);
    expect(error.message).toContain("swagger2openapi");
    expect(error.message).toContain("swagger-2.yaml");
    expect(error.pointer).toBe("#/swagger");
    expect(error.message).not.toContain('"openapi" is required');
    expect(await readdir(scratch), "nothing written: not even the out folder").toEqual([]);
  });
});
