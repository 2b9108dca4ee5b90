/** A seeded credential as the CLI shows it. */
export interface SummaryCredential {
  /** What it is, e.g. `"Atlas API key (merchant, all scopes)"`. */
  readonly label: string;
  /** Safe identification (`fingerprint(secret)`). */
  readonly fingerprint: string;
  /** Environment variable the commands below read it from, e.g. `ATLAS_API_KEY`. */
  readonly env: string;
  /** The sandbox-only secret; printed only with `--show-secrets`. */
  readonly secret: string;
}

/**
 * What an API's sandbox tells a person at start-up. A factory opts in by putting a
 * `summary(): SandboxSummary` function in its `control`.
 */
export interface SandboxSummary {
  readonly credentials: readonly SummaryCredential[];
  /** Shell commands (reading secrets from `$ENV` names, never inline) that exercise the API. */
  readonly commands: readonly string[];
}

/** The summary of a sandbox's `control`, when it offers one. */
export function readSummary(control: Record<string, unknown>): SandboxSummary | undefined {
  const summary = control["summary"];
  if (typeof summary !== "function") return undefined;
  const value = (summary as () => unknown)() as SandboxSummary | undefined;
  return value && Array.isArray(value.credentials) && Array.isArray(value.commands) ? value : undefined;
}
