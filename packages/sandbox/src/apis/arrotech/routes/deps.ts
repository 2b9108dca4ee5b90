/** What the Arrotech route modules share. */
import type { operations } from "@arrotech/api-client";
import type { Context, MiddlewareHandler } from "hono";
import { requestInput } from "../../../framework/request-input.js";
import type { ArrotechEnv } from "../env.js";
import type { WorkspaceData, WorkspaceStore } from "../workspace-store.js";

export interface RouteDeps {
  readonly store: WorkspaceStore;
  readonly now: () => number;
  readonly workflowRunMs: number;
  /** The framework's `validateRequests` against `specs/arrotech.yaml`. */
  readonly validate: MiddlewareHandler<ArrotechEnv>;
}

/** The request as `specs/arrotech.yaml` declares it, once `validate` passed: `input(c, "createChatSession").body`. */
export const input = requestInput<operations>();

/** The caller's workspace, and nothing else. */
export const workspaceOf = (c: Context<ArrotechEnv>, deps: RouteDeps): WorkspaceData => deps.store.workspace(c.get("principal").workspaceId);

export const isoNow = (deps: RouteDeps): string => new Date(deps.now()).toISOString();
