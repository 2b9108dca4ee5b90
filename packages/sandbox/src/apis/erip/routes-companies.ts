/**
 * `/v1/companies/**`: the credited data plane. A call is charged only when it succeeds; a short
 * balance is `402 INSUFFICIENT_CREDITS` and nothing is charged. Credited responses carry
 * `X-Credits-Remaining` and `X-Credits-Cost`.
 */
import type { Context, Hono } from "hono";
import { companyDetail, searchCompanies } from "./companies.js";
import type { EripDeps } from "./deps.js";
import type { EripEnv } from "./env.js";
import { pageSize } from "../../framework/pages.js";
import { EripProblem, input } from "./http.js";

/** Charges the caller's tenant `cost` for `endpoint` and sets the credit headers, or throws 402. */
export function charge(c: Context<EripEnv>, deps: EripDeps, cost: number, endpoint: string): void {
  const caller = c.get("caller");
  const result = deps.ledger.charge(caller.tenant.id, cost, {
    userId: caller.user?.id ?? null,
    apiKeyId: caller.kind === "jwt" ? null : caller.key.id,
    credential: caller.kind,
    endpoint,
  });
  if (!result.ok) {
    throw new EripProblem(
      402,
      "INSUFFICIENT_CREDITS",
      `The tenant's credit balance (${result.balance}) cannot cover this call (${cost})`,
      { balance: result.balance, cost },
      { "X-Credits-Remaining": String(result.balance), "X-Credits-Cost": String(cost) },
    );
  }
  c.header("X-Credits-Remaining", String(result.remaining));
  c.header("X-Credits-Cost", String(cost));
}

export function registerCompanyRoutes(app: Hono<EripEnv>, deps: EripDeps): void {
  const any = deps.guard("any");

  app.get("/v1/companies/search", any, (c) => {
    const query = input(c, "searchCompanies").query;
    const result = searchCompanies({ name: query.name, country: query.country, limit: pageSize(query.limit) });
    charge(c, deps, deps.costs.search, "GET /v1/companies/search");
    return c.json(result, 200);
  });

  app.get("/v1/companies/:companyId/detail", any, (c) => {
    const detail = companyDetail(input(c, "getCompanyDetail").path.companyId);
    if (!detail) throw new EripProblem(404, "NOT_FOUND", "Company not found");
    charge(c, deps, deps.costs.detail, "GET /v1/companies/{companyId}/detail");
    return c.json(detail, 200);
  });
}
