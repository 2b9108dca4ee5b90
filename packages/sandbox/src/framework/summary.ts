/** A public value the CLI prints as is, as an `export` line: a client id, a URL (never a secret). */
export interface SummaryValue {
  /** What it is, e.g. `"SPA client id (browser sign-in: Authorization Code + PKCE)"`. */
  readonly label: string;
  /** Environment variable the commands read it from, e.g. `IMS_SPA_CLIENT_ID`. */
  readonly env: string;
  readonly value: string;
}

/** A seeded secret as the CLI shows it: by fingerprint, unless `--show-secrets`. */
export interface SummaryCredential {
  /** What it is, e.g. `"Atlas API key (merchant, all scopes)"`. */
  readonly label: string;
  /** Safe identification (`fingerprint(secret)`). */
  readonly fingerprint: string;
  /** Environment variable the commands read it from, e.g. `ATLAS_API_KEY`. */
  readonly env: string;
  /** The sandbox-only secret; printed only with `--show-secrets`. */
  readonly secret: string;
}

/**
 * What an API's sandbox tells a person at start-up. A factory opts in by putting a
 * `summary(): SandboxSummary` function in its `control`.
 */
export interface SandboxSummary {
  /** The API's name, e.g. `"Atlas SoftPOS Commerce API"`. */
  readonly title: string;
  /** What a client's `baseUrl` takes. */
  readonly baseUrl: string;
  /** The token endpoint, when the API issues tokens. */
  readonly tokenUrl?: string;
  /** Client ids, the browser sign-in's SPA client id and authorize URL, audiences: printed as `export` lines. */
  readonly values: readonly SummaryValue[];
  readonly credentials: readonly SummaryCredential[];
  /** Shell commands (reading ids and secrets from the `$ENV` names above, never inline) that exercise the API. */
  readonly commands: readonly string[];
}

/** The summary of a sandbox's `control`, when it offers one. */
export function readSummary(control: Record<string, unknown>): SandboxSummary | undefined {
  const summary = control["summary"];
  if (typeof summary !== "function") return undefined;
  const value = (summary as () => unknown)() as Partial<SandboxSummary> | undefined;
  const complete = value && typeof value.title === "string" && typeof value.baseUrl === "string" && [value.values, value.credentials, value.commands].every(Array.isArray);
  return complete ? (value as SandboxSummary) : undefined;
}
