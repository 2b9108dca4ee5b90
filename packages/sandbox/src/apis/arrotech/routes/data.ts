/** Data sources and records (`data:read` / `data:write`); record writes upsert by `externalId`. */
import { Hono, type Context } from "hono";
import { requireScope } from "../authenticate.js";
import type { ArrotechEnv } from "../env.js";
import { ArrotechProblem } from "../problem.js";
import { paginate } from "../../../framework/pages.js";
import { newId, type DataRecord, type DataSource } from "../workspace-store.js";
import { input, isoNow, workspaceOf, type RouteDeps } from "./deps.js";

export function dataRoutes(deps: RouteDeps): Hono<ArrotechEnv> {
  const app = new Hono<ArrotechEnv>();
  const v = deps.validate;
  const read = requireScope("data:read");
  const write = requireScope("data:write");
  const view = (c: Context<ArrotechEnv>, s: DataSource) => ({ ...s, recordCount: workspaceOf(c, deps).records.get(s.id)?.length ?? 0 });
  const source = (c: Context<ArrotechEnv>): DataSource => {
    const found = workspaceOf(c, deps).sources.get(c.req.param("sourceId") ?? "");
    if (!found) throw new ArrotechProblem(404, "NOT_FOUND", "Data source not found");
    return found;
  };

  app.get("/sources", read, v, (c) => {
    const q = input(c, "listDataSources").query;
    return c.json(paginate([...workspaceOf(c, deps).sources.values()].map((s) => view(c, s)), q));
  });

  app.post("/sources", write, v, async (c) => {
    const body = input(c, "createDataSource").body;
    const w = workspaceOf(c, deps);
    if ([...w.sources.values()].some((s) => s.name.toLowerCase() === body.name.toLowerCase())) {
      throw new ArrotechProblem(409, "SOURCE_ALREADY_EXISTS", `A data source named ${body.name} already exists`);
    }
    const at = isoNow(deps);
    const created: DataSource = { id: newId("src"), name: body.name, type: body.type, status: "connected", createdAt: at, updatedAt: at };
    w.sources.set(created.id, created);
    w.records.set(created.id, []);
    c.header("Location", `/data/sources/${created.id}`);
    return c.json(view(c, created), 201);
  });

  app.get("/sources/:sourceId/records", read, v, (c) => {
    const s = source(c);
    const q = input(c, "listDataRecords").query;
    const rows = (workspaceOf(c, deps).records.get(s.id) ?? []).filter((r) => q.externalId === undefined || r.externalId === q.externalId);
    return c.json(paginate(rows, q));
  });

  app.post("/sources/:sourceId/records", write, v, async (c) => {
    const s = source(c);
    const body = input(c, "writeDataRecords").body;
    const rows = workspaceOf(c, deps).records.get(s.id) ?? [];
    const at = isoNow(deps);
    let created = 0;
    let updated = 0;
    const written: DataRecord[] = body.records.map((input) => {
      const existing = input.externalId === undefined ? undefined : rows.find((r) => r.externalId === input.externalId);
      if (existing) {
        existing.fields = input.fields;
        existing.updatedAt = at;
        updated += 1;
        return existing;
      }
      const row: DataRecord = { id: newId("rec"), sourceId: s.id, externalId: input.externalId ?? null, fields: input.fields, createdAt: at, updatedAt: at };
      rows.push(row);
      created += 1;
      return row;
    });
    s.updatedAt = at;
    return c.json({ created, updated, records: written });
  });

  return app;
}
