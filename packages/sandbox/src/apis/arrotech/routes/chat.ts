/** Chat: providers (`chat:read`), completions and sessions (`chat:read` / `chat:write`). */
import { randomBytes } from "node:crypto";
import { Hono } from "hono";
import { requireScope } from "../authenticate.js";
import type { ArrotechEnv } from "../env.js";
import { ArrotechProblem } from "../problem.js";
import { paginate } from "../../../framework/pages.js";
import { newId, PROVIDERS, type ChatSession } from "../workspace-store.js";
import { input, isoNow, workspaceOf, type RouteDeps } from "./deps.js";

const words = (text: string) => text.split(/\s+/).filter(Boolean).length;

function providerModel(providerId: string, modelId: string) {
  const provider = PROVIDERS.find((p) => p.id === providerId);
  if (!provider) throw new ArrotechProblem(404, "NOT_FOUND", `Provider ${providerId} not found`);
  if (!provider.models.some((m) => m.id === modelId)) throw new ArrotechProblem(400, "VALIDATION_ERROR", `Provider ${providerId} has no model ${modelId}`);
  return provider;
}

const summary = (s: ChatSession) => ({ id: s.id, title: s.title, provider: s.provider, model: s.model, messageCount: s.messages.length, createdAt: s.createdAt, updatedAt: s.updatedAt });

export function chatRoutes(deps: RouteDeps): Hono<ArrotechEnv> {
  const app = new Hono<ArrotechEnv>();
  const v = deps.validate;
  const read = requireScope("chat:read");
  const write = requireScope("chat:write");

  app.get("/providers", read, v, (c) => c.json({ data: PROVIDERS }));

  app.post("/completions", write, v, async (c) => {
    const body = input(c, "createChatCompletion").body;
    const provider = providerModel(body.provider, body.model);
    if (provider.status === "unavailable") {
      c.header("Retry-After", "30");
      throw new ArrotechProblem(503, "PROVIDER_UNAVAILABLE", `Provider ${provider.id} is unavailable`);
    }
    const w = workspaceOf(c, deps);
    const session = body.sessionId === undefined ? undefined : w.sessions.get(body.sessionId);
    if (body.sessionId !== undefined && !session) throw new ArrotechProblem(404, "NOT_FOUND", `Chat session ${body.sessionId} not found`);
    const lastUser = [...body.messages].reverse().find((m) => m.role === "user")?.content ?? "";
    let reply = `[${body.model}] You said: ${lastUser}`;
    let finishReason: "stop" | "length" = "stop";
    if (body.maxTokens !== undefined && words(reply) > body.maxTokens) {
      reply = reply.split(/\s+/).slice(0, body.maxTokens).join(" ");
      finishReason = "length";
    }
    const at = isoNow(deps);
    if (session) {
      for (const m of body.messages) session.messages.push({ id: newId("msg"), role: m.role, content: m.content, createdAt: at });
      session.messages.push({ id: newId("msg"), role: "assistant", content: reply, createdAt: at });
      session.updatedAt = at;
    }
    const promptTokens = body.messages.reduce((n, m) => n + words(m.content), 0);
    const completionTokens = words(reply);
    return c.json({
      id: `cmpl_${randomBytes(6).toString("hex")}`,
      provider: body.provider,
      model: body.model,
      sessionId: session?.id ?? null,
      message: { role: "assistant", content: reply },
      finishReason,
      usage: { promptTokens, completionTokens, totalTokens: promptTokens + completionTokens },
      createdAt: at,
    });
  });

  app.get("/sessions", read, v, (c) => {
    const q = input(c, "listChatSessions").query;
    return c.json(paginate([...workspaceOf(c, deps).sessions.values()].reverse().map(summary), q));
  });

  app.post("/sessions", write, v, async (c) => {
    const body = input(c, "createChatSession").body;
    providerModel(body.provider, body.model);
    const at = isoNow(deps);
    const session: ChatSession = { id: newId("cs"), title: body.title ?? "New chat", provider: body.provider, model: body.model, messages: [], createdAt: at, updatedAt: at };
    if (body.systemPrompt) session.messages.push({ id: newId("msg"), role: "system", content: body.systemPrompt, createdAt: at });
    workspaceOf(c, deps).sessions.set(session.id, session);
    c.header("Location", `/chat/sessions/${session.id}`);
    return c.json(summary(session), 201);
  });

  app.get("/sessions/:sessionId", read, v, (c) => {
    const session = workspaceOf(c, deps).sessions.get(c.req.param("sessionId"));
    if (!session) throw new ArrotechProblem(404, "NOT_FOUND", "Chat session not found");
    return c.json({ ...summary(session), messages: session.messages });
  });

  return app;
}
