/** Request validation for the Arrotech API (mirrors the spec; unknown fields are refused). */
import { z } from "zod";

export const pageQuery = z.object({ cursor: z.string().max(512).optional(), limit: z.coerce.number().int().min(1).max(100).default(20) });
export const workflowsQuery = pageQuery.extend({ status: z.enum(["active", "disabled"]).optional() });
export const runsQuery = pageQuery.extend({ status: z.enum(["queued", "running", "succeeded", "failed", "cancelled"]).optional() });
export const recordsQuery = pageQuery.extend({ externalId: z.string().optional() });

const freeObject = z.record(z.string(), z.unknown());

export const chatCompletion = z.strictObject({
  provider: z.string().min(1),
  model: z.string().min(1),
  messages: z.array(z.strictObject({ role: z.enum(["system", "user", "assistant"]), content: z.string().min(1).max(100_000) })).min(1).max(200),
  sessionId: z.string().optional(),
  temperature: z.number().min(0).max(2).optional(),
  maxTokens: z.number().int().min(1).max(32_000).optional(),
});

export const createSession = z.strictObject({ title: z.string().max(200).optional(), provider: z.string().min(1), model: z.string().min(1), systemPrompt: z.string().max(20_000).optional() });
export const executeWorkflow = z.strictObject({ input: freeObject.optional(), callbackUrl: z.url().optional() });
export const createDataSource = z.strictObject({ name: z.string().min(1).max(200), type: z.enum(["postgres", "rest", "csv", "google_sheets"]), config: freeObject.optional() });
export const writeRecords = z.strictObject({ records: z.array(z.strictObject({ externalId: z.string().max(128).optional(), fields: freeObject })).min(1).max(500) });
