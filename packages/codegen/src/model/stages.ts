/**
 * Which optional stages of `@portico/core` a generated client passes to `createClient`: only
 * those its spec uses, so an app's bundle carries nothing else. Each comes with the reason, which
 * the generated `client.ts` prints beside its import.
 */
import type { ApiModel } from "./api-model.js";

/** A stage export of `@portico/core`, and why the spec needs it. */
export interface StageUse {
  readonly name: "creditsStage" | "rateLimitStage" | "ietfRateLimitStage" | "scopesStage" | "formBodyStage" | "multipartBodyStage" | "serverVariablesStage" | "streamStage" | "paginationStage";
  readonly why: string;
}

export function stagesOf(model: ApiModel): StageUse[] {
  const ops = model.operations;
  const uses: StageUse[] = [];
  if (ops.some((op) => op.metered)) uses.push({ name: "creditsStage", why: "credit headers or x-portico-credits" });
  if (ops.some((op) => op.rateLimitHeaders === "ietf")) uses.push({ name: "ietfRateLimitStage", why: "RateLimit / RateLimit-Policy response headers" });
  else if (ops.some((op) => op.rateLimitHeaders === "triplets")) uses.push({ name: "rateLimitStage", why: "X-RateLimit-* response headers or 429 responses" });
  const requirements = [...(model.security ?? []), ...ops.flatMap((op) => op.security ?? [])];
  if (requirements.some((requirement) => Object.values(requirement).some((scopes) => scopes.length > 0))) uses.push({ name: "scopesStage", why: "security requirements with scopes" });
  if (ops.some((op) => op.body?.mediaType.toLowerCase().startsWith("application/x-www-form-urlencoded"))) uses.push({ name: "formBodyStage", why: "form request bodies" });
  if (ops.some((op) => op.body?.mediaType.toLowerCase().startsWith("multipart/form-data"))) uses.push({ name: "multipartBodyStage", why: "multipart request bodies" });
  if (Object.keys(model.servers[0]?.variables ?? {}).length > 0) uses.push({ name: "serverVariablesStage", why: "server URL variables" });
  const lists = ops.filter((op) => op.pagination !== undefined).length;
  if (lists > 0) uses.push({ name: "paginationStage", why: `list operations (${lists}) for paginate` });
  if (ops.some((op) => op.stream !== undefined)) uses.push({ name: "streamStage", why: "text/event-stream or JSON Lines responses" });
  return uses;
}
