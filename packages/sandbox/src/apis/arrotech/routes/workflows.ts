/** Workflows (`workflow:read`), execution (`workflow:execute`, idempotent) and run status. */
import { Hono, type Context } from "hono";
import { requireScope } from "../authenticate.js";
import type { ArrotechEnv } from "../env.js";
import { ArrotechProblem } from "../problem.js";
import { paginate } from "../../../framework/pages.js";
import { newId, type StoredRun, type Workflow } from "../workspace-store.js";
import { input, workspaceOf, type RouteDeps } from "./deps.js";

/**
 * A run's status on the sandbox clock: `queued` when created, `running` until `workflowRunMs` has
 * passed, then `succeeded` (or `failed` when `input.simulateFailure` is true).
 */
function runView(run: StoredRun, now: number, durationMs: number) {
  const iso = (ms: number) => new Date(ms).toISOString();
  const elapsed = now - run.queuedAt;
  const base = { id: run.id, workflowId: run.workflowId, input: run.input, createdAt: iso(run.queuedAt) };
  if (elapsed <= 0) return { ...base, status: "queued", output: null, error: null, startedAt: null, finishedAt: null };
  if (elapsed < durationMs) return { ...base, status: "running", output: null, error: null, startedAt: iso(run.queuedAt), finishedAt: null };
  const finishedAt = iso(run.queuedAt + durationMs);
  if (run.input["simulateFailure"] === true) {
    return { ...base, status: "failed", output: null, error: { code: "STEP_FAILED", message: "Step 2 of 3 failed: upstream returned 500" }, startedAt: iso(run.queuedAt), finishedAt };
  }
  return { ...base, status: "succeeded", output: { recordsProcessed: 42, summary: `Workflow ${run.workflowId} completed` }, error: null, startedAt: iso(run.queuedAt), finishedAt };
}

export function workflowRoutes(deps: RouteDeps): Hono<ArrotechEnv> {
  const app = new Hono<ArrotechEnv>();
  const v = deps.validate;
  const read = requireScope("workflow:read");
  const execute = requireScope("workflow:execute");
  const workflow = (c: Context<ArrotechEnv>): Workflow => {
    const found = workspaceOf(c, deps).workflows.get(c.req.param("workflowId") ?? "");
    if (!found) throw new ArrotechProblem(404, "NOT_FOUND", "Workflow not found");
    return found;
  };

  app.get("/", read, v, (c) => {
    const q = input(c, "listWorkflows").query;
    return c.json(paginate([...workspaceOf(c, deps).workflows.values()].filter((w) => q.status === undefined || w.status === q.status), q));
  });

  app.get("/:workflowId", read, v, (c) => c.json(workflow(c)));

  app.post("/:workflowId/execute", execute, v, async (c) => {
    const wf = workflow(c);
    const body = input(c, "executeWorkflow").body;
    if (wf.status === "disabled") throw new ArrotechProblem(409, "WORKFLOW_DISABLED", `Workflow ${wf.id} is disabled`);
    const run: StoredRun = { id: newId("run"), workflowId: wf.id, input: body?.input ?? {}, queuedAt: deps.now() };
    workspaceOf(c, deps).runs.push(run);
    c.header("Location", `/workflows/${wf.id}/runs/${run.id}`);
    return c.json(runView(run, run.queuedAt, deps.workflowRunMs), 202);
  });

  app.get("/:workflowId/runs", read, v, (c) => {
    const wf = workflow(c);
    const q = input(c, "listWorkflowRuns").query;
    const now = deps.now();
    const runs = workspaceOf(c, deps).runs.filter((r) => r.workflowId === wf.id).reverse().map((r) => runView(r, now, deps.workflowRunMs));
    return c.json(paginate(runs.filter((r) => q.status === undefined || r.status === q.status), q));
  });

  app.get("/:workflowId/runs/:runId", read, v, (c) => {
    const wf = workflow(c);
    const run = workspaceOf(c, deps).runs.find((r) => r.workflowId === wf.id && r.id === c.req.param("runId"));
    if (!run) throw new ArrotechProblem(404, "NOT_FOUND", "Workflow run not found");
    return c.json(runView(run, deps.now(), deps.workflowRunMs));
  });

  return app;
}
