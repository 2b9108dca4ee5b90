import { stringify } from "yaml";

/** A minimal valid spec, deep-merged with `overrides` (objects merge, anything else replaces). */
export function specText(overrides: Record<string, unknown> = {}): string {
  return stringify(merge(base(), overrides));
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
    target[key] =
      isPlainObject(current) && isPlainObject(value) ? merge({ ...current }, value) : value;
  }
  return target;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
