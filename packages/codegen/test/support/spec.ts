import { stringify } from "yaml";
import { generateFromSource, type GeneratedModule } from "../../src/index.js";

/** A minimal valid spec, deep-merged with `overrides` (objects merge, anything else replaces; `undefined` removes). */
export function specText(overrides: Record<string, unknown> = {}): string {
  return stringify(merge(base(), overrides));
}

/** A minimal valid spec without `x-portico-*` and without security, deep-merged with `overrides`. */
export function plainSpecText(overrides: Record<string, unknown> = {}): string {
  return stringify(merge({ openapi: "3.0.3", info: { title: "Plain API", version: "1.0.0" }, paths: {} }, overrides));
}

export const errorBody = (codes: string[]) => ({
  description: "Error.",
  content: {
    "application/json": {
      schema: {
        type: "object",
        required: ["code", "message"],
        properties: { code: { type: "string", enum: codes }, message: { type: "string" } },
      },
    },
  },
});

/** The contents of one generated file (`""` when the module has no such file). */
export function fileOf(module: GeneratedModule, path: string): string {
  return module.files.find((f) => f.path === path)?.contents ?? "";
}

/** Generates the module of a spec text and returns its files by name. */
export async function generatedFiles(text: string): Promise<Record<string, string>> {
  const module = await generateFromSource(text);
  return Object.fromEntries(module.files.map((f) => [f.path, f.contents]));
}

function base(): Record<string, unknown> {
  return {
    openapi: "3.1.0",
    info: { title: "Test API", version: "1.0.0", "x-portico-client": { name: "Test", package: "@example/test" } },
    servers: [{ url: "https://api.test", "x-portico-environment": "production" }],
    security: [{ bearer: [] }],
    components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
    paths: {},
  };
}

function merge(target: Record<string, unknown>, source: Record<string, unknown>): Record<string, unknown> {
  for (const [key, value] of Object.entries(source)) {
    const current = target[key];
    if (value === undefined) delete target[key];
    else target[key] = isPlainObject(current) && isPlainObject(value) ? merge({ ...current }, value) : value;
  }
  return target;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
