/**
 * Request input of the EUDR and ERIP sandboxes, validated with zod: a JSON body that must be
 * `application/json`, the query string, one path parameter. Every failure is a thrown
 * `400 VALIDATION_ERROR` whose `details.fields` lists `{ path, message }`.
 */
import type { Context } from "hono";
import type { z } from "zod";
import { HttpProblem, type RequestIdEnv } from "./http.js";

function validationProblem(where: string, error: z.ZodError): HttpProblem<"VALIDATION_ERROR"> {
  const fields = error.issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message }));
  const first = fields[0];
  return new HttpProblem(400, "VALIDATION_ERROR", first ? `${first.path || where}: ${first.message}` : `Invalid ${where}`, { fields });
}

/** Parses the JSON body (must be `application/json`) and validates it. */
export async function readJson<T, E extends RequestIdEnv>(c: Context<E>, schema: z.ZodType<T>): Promise<T> {
  if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(c.req.header("content-type") ?? "")) {
    throw new HttpProblem(400, "VALIDATION_ERROR", "Content-Type must be application/json");
  }
  let raw: unknown;
  try {
    raw = JSON.parse(await c.req.text());
  } catch {
    throw new HttpProblem(400, "VALIDATION_ERROR", "Request body is not valid JSON");
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw validationProblem("body", parsed.error);
  return parsed.data;
}

/** Validates the query string. */
export function readQuery<T, E extends RequestIdEnv>(c: Context<E>, schema: z.ZodType<T>): T {
  const parsed = schema.safeParse(c.req.query());
  if (!parsed.success) throw validationProblem("query", parsed.error);
  return parsed.data;
}

/** Validates one path parameter. */
export function readParam<T, E extends RequestIdEnv>(c: Context<E>, name: string, schema: z.ZodType<T>): T {
  const parsed = schema.safeParse(c.req.param(name));
  if (!parsed.success) throw new HttpProblem(400, "VALIDATION_ERROR", `${name}: ${parsed.error.issues[0]?.message ?? "invalid"}`);
  return parsed.data;
}
