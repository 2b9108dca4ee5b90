/**
 * `POST /v1/mcp`: a small Model Context Protocol server (JSON-RPC 2.0 over HTTP) exposing the
 * company endpoints as tools. Tool calls cost what the REST endpoint costs; free methods still
 * report the balance (`X-Credits-Cost: 0`).
 */
import type { Hono } from "hono";
import { z } from "zod";
import { companyDetail, searchCompanies } from "./companies.js";
import type { EripDeps } from "./deps.js";
import type { EripEnv } from "./env.js";
import { readJson } from "./http.js";
import { charge } from "./routes-companies.js";
import * as s from "./schemas.js";

const PROTOCOL_VERSION = "2025-06-18";

const searchArgs = z.strictObject({ name: z.string().min(2).max(200), country: z.string().regex(/^[A-Z]{2}$/).optional(), limit: z.number().int().min(1).max(50).default(20) });
const detailArgs = z.strictObject({ companyId: s.uuid });
const callParams = z.object({ name: z.string(), arguments: z.record(z.string(), z.unknown()).default({}) });

const TOOLS = [
  {
    name: "search_companies",
    description: "Search companies by name (1 credit by default).",
    inputSchema: {
      type: "object",
      properties: { name: { type: "string", minLength: 2 }, country: { type: "string", pattern: "^[A-Z]{2}$" }, limit: { type: "integer", minimum: 1, maximum: 50 } },
      required: ["name"],
      additionalProperties: false,
    },
  },
  {
    name: "get_company_detail",
    description: "A company's full profile (50 credits by default).",
    inputSchema: { type: "object", properties: { companyId: { type: "string", format: "uuid" } }, required: ["companyId"], additionalProperties: false },
  },
] as const;

export function registerMcpRoutes(app: Hono<EripEnv>, deps: EripDeps): void {
  app.post("/v1/mcp", deps.guard("any"), async (c) => {
    const request = await readJson(c, s.mcpRequest);
    const reply = (result: object) => c.json({ jsonrpc: "2.0", id: request.id, result }, 200);
    const rpcError = (code: number, message: string) => c.json({ jsonrpc: "2.0", id: request.id, error: { code, message } }, 200);
    const free = () => {
      c.header("X-Credits-Remaining", String(deps.ledger.balance(c.get("caller").tenant.id).balance));
      c.header("X-Credits-Cost", "0");
    };
    const toolResult = (data: unknown) => reply({ content: [{ type: "text", text: JSON.stringify(data) }], structuredContent: data, isError: false });

    switch (request.method) {
      case "initialize":
        free();
        return reply({ protocolVersion: PROTOCOL_VERSION, capabilities: { tools: {} }, serverInfo: { name: "erip", version: "1.0.0" } });
      case "ping":
        free();
        return reply({});
      case "tools/list":
        free();
        return reply({ tools: TOOLS });
      case "tools/call": {
        const params = callParams.safeParse(request.params ?? {});
        if (!params.success) {
          free();
          return rpcError(-32602, "params must be { name, arguments }");
        }
        if (params.data.name === "search_companies") {
          const args = searchArgs.safeParse(params.data.arguments);
          if (!args.success) {
            free();
            return rpcError(-32602, `Invalid arguments: ${args.error.issues[0]?.message ?? "invalid"}`);
          }
          const result = searchCompanies(args.data);
          charge(c, deps, deps.costs.search, "POST /v1/mcp");
          return toolResult(result);
        }
        if (params.data.name === "get_company_detail") {
          const args = detailArgs.safeParse(params.data.arguments);
          if (!args.success) {
            free();
            return rpcError(-32602, `Invalid arguments: ${args.error.issues[0]?.message ?? "invalid"}`);
          }
          const detail = companyDetail(args.data.companyId);
          if (!detail) {
            free();
            return reply({ content: [{ type: "text", text: "Company not found" }], isError: true });
          }
          charge(c, deps, deps.costs.detail, "POST /v1/mcp");
          return toolResult(detail);
        }
        free();
        return rpcError(-32602, `Unknown tool ${params.data.name}`);
      }
    }
  });
}
