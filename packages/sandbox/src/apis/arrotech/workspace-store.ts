/** Per-workspace in-memory data: workflows and runs, chat sessions, data sources and records. */
import { randomBytes } from "node:crypto";
import { WORKSPACES } from "./identities.js";

export interface Workflow {
  id: string;
  name: string;
  description: string;
  status: "active" | "disabled";
  trigger: "manual" | "schedule" | "webhook";
  inputSchema: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

export interface StoredRun {
  readonly id: string;
  readonly workflowId: string;
  readonly input: Record<string, unknown>;
  /** Sandbox-clock milliseconds when the run was queued. */
  readonly queuedAt: number;
}

export interface ChatMessage {
  id: string;
  role: "system" | "user" | "assistant";
  content: string;
  createdAt: string;
}

export interface ChatSession {
  id: string;
  title: string;
  provider: string;
  model: string;
  messages: ChatMessage[];
  createdAt: string;
  updatedAt: string;
}

export interface DataSource {
  id: string;
  name: string;
  type: "postgres" | "rest" | "csv" | "google_sheets";
  status: "connected" | "syncing" | "error";
  createdAt: string;
  updatedAt: string;
}

export interface DataRecord {
  id: string;
  sourceId: string;
  externalId: string | null;
  fields: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

export interface WorkspaceData {
  readonly workflows: Map<string, Workflow>;
  readonly runs: StoredRun[];
  readonly sessions: Map<string, ChatSession>;
  readonly sources: Map<string, DataSource>;
  readonly records: Map<string, DataRecord[]>;
}

export const newId = (prefix: string): string => `${prefix}_${randomBytes(6).toString("hex")}`;

const since = { type: "object", properties: { since: { type: "string", format: "date" } }, additionalProperties: false };

function seed(workspaceId: string, at: string): WorkspaceData {
  const data: WorkspaceData = { workflows: new Map(), runs: [], sessions: new Map(), sources: new Map(), records: new Map() };
  const wf = (w: Omit<Workflow, "createdAt" | "updatedAt">) => data.workflows.set(w.id, { ...w, createdAt: at, updatedAt: at });
  const source = (s: Omit<DataSource, "createdAt" | "updatedAt">, rows: Record<string, unknown>[]) => {
    data.sources.set(s.id, { ...s, createdAt: at, updatedAt: at });
    data.records.set(s.id, rows.map((fields, i) => ({ id: newId("rec"), sourceId: s.id, externalId: `ext-${i + 1}`, fields, createdAt: at, updatedAt: at })));
  };
  if (workspaceId === WORKSPACES.acme.id) {
    wf({ id: "wf_sync_crm", name: "Sync CRM contacts", description: "Pulls contacts changed since a date into the CRM data source.", status: "active", trigger: "manual", inputSchema: since });
    wf({ id: "wf_weekly_report", name: "Weekly KPI report", description: "Builds and mails the weekly KPI digest.", status: "active", trigger: "schedule", inputSchema: { type: "object" } });
    wf({ id: "wf_legacy_export", name: "Legacy FTP export", description: "Retired export to the old FTP server.", status: "disabled", trigger: "manual", inputSchema: { type: "object" } });
    source({ id: "src_crm_contacts", name: "CRM contacts", type: "rest", status: "connected" }, [
      { name: "Ada Lovelace", email: "ada@example.com" },
      { name: "Grace Hopper", email: "grace@example.com" },
      { name: "Alan Turing", email: "alan@example.com" },
    ]);
  } else if (workspaceId === WORKSPACES.umbrella.id) {
    wf({ id: "wf_lab_ingest", name: "Ingest lab results", description: "Loads the nightly lab export.", status: "active", trigger: "manual", inputSchema: since });
    source({ id: "src_lab_results", name: "Lab results", type: "csv", status: "connected" }, [{ sample: "U-001", result: "negative" }]);
  }
  return data;
}

export interface WorkspaceStore {
  workspace(id: string): WorkspaceData;
}

export function createWorkspaceStore(now: () => number): WorkspaceStore {
  const all = new Map<string, WorkspaceData>();
  return {
    workspace(id) {
      let w = all.get(id);
      if (!w) {
        w = seed(id, new Date(now()).toISOString());
        all.set(id, w);
      }
      return w;
    },
  };
}

/** The chat providers of every workspace; `mistral` is down so clients can see `503 PROVIDER_UNAVAILABLE`. */
export const PROVIDERS = [
  { id: "openai", name: "OpenAI", status: "operational", models: [{ id: "gpt-4o-mini", name: "GPT-4o mini", contextWindow: 128_000 }, { id: "gpt-4o", name: "GPT-4o", contextWindow: 128_000 }] },
  { id: "anthropic", name: "Anthropic", status: "operational", models: [{ id: "claude-3-5-sonnet", name: "Claude 3.5 Sonnet", contextWindow: 200_000 }] },
  { id: "mistral", name: "Mistral AI", status: "unavailable", models: [{ id: "mistral-large", name: "Mistral Large", contextWindow: 128_000 }] },
] as const;
