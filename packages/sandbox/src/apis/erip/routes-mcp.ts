/**
 * `POST /v1/mcp`: a small Model Context Protocol server (JSON-RPC 2.0 over HTTP) exposing the
 * company endpoints as tools. Tool calls cost what the REST endpoint costs; free methods still
 * report the balance (`X-Credits-Cost: 0`).
 */
import Ajv2020, { type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import type { Hono } from "hono";
import { companyDetail, searchCompanies } from "./companies.js";
import type { EripDeps } from "./deps.js";
import type { EripEnv } from "./env.js";
import { input } from "./http.js";
import { charge } from "./routes-companies.js";

const PROTOCOL_VERSION = "2025-06-18";

const TOOLS = [
  {
    name: "search_companies",
    description: "Search companies by name (1 credit by default).",
    inputSchema: {
      type: "object",
      properties: {
        name: { type: "string", minLength: 2, maxLength: 200 },
        country: { type: "string", pattern: "^[A-Z]{2}$" },
        limit: { type: "integer", minimum: 1, maximum: 50, default: 20 },
      },
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

/** `tools/call` params, and each tool's arguments checked against the `inputSchema` the server publishes (defaults filled in). */
const ajv = new Ajv2020({ strict: false, useDefaults: true });
addFormats(ajv);
const callParams: ValidateFunction<{ name: string; arguments?: Record<string, unknown> }> = ajv.compile({
  type: "object",
  required: ["name"],
  properties: { name: { type: "string" }, arguments: { type: "object" } },
});
const searchArgs: ValidateFunction<{ name: string; country?: string; limit: number }> = ajv.compile(TOOLS[0].inputSchema);
const detailArgs: ValidateFunction<{ companyId: string }> = ajv.compile(TOOLS[1].inputSchema);
const firstError = (validate: ValidateFunction): string => `${validate.errors?.[0]?.instancePath || "arguments"} ${validate.errors?.[0]?.message ?? "are invalid"}`;

export function registerMcpRoutes(app: Hono<EripEnv>, deps: EripDeps): void {
  app.post("/v1/mcp", deps.guard("any"), (c) => {
    const request = input(c, "callMcp").body;
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
        const params = request.params ?? {};
        if (!callParams(params)) {
          free();
          return rpcError(-32602, "params must be { name, arguments }");
        }
        const args = params.arguments ?? {};
        if (params.name === "search_companies") {
          if (!searchArgs(args)) {
            free();
            return rpcError(-32602, `Invalid arguments: ${firstError(searchArgs)}`);
          }
          const result = searchCompanies(args);
          charge(c, deps, deps.costs.search, "POST /v1/mcp");
          return toolResult(result);
        }
        if (params.name === "get_company_detail") {
          if (!detailArgs(args)) {
            free();
            return rpcError(-32602, `Invalid arguments: ${firstError(detailArgs)}`);
          }
          const detail = companyDetail(args.companyId);
          if (!detail) {
            free();
            return reply({ content: [{ type: "text", text: "Company not found" }], isError: true });
          }
          charge(c, deps, deps.costs.detail, "POST /v1/mcp");
          return toolResult(detail);
        }
        free();
        return rpcError(-32602, `Unknown tool ${params.name}`);
      }
    }
  });
}
