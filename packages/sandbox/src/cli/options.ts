/** The command line of `portico-sandbox`, parsed once. */
import { parseArgs } from "node:util";
import { isSandboxApiName, SANDBOX_API_NAMES } from "../framework/origins.js";
import type { SandboxApiName } from "../types.js";

/** What the command line asks for. */
export interface CliOptions {
  readonly apis: readonly SandboxApiName[];
  readonly port: number;
  readonly host: string;
  readonly showSecrets: boolean;
}

/** `--help`, a bad command line (exit 2) or options to run with. */
export type ParsedCommandLine =
  | { readonly kind: "help" }
  | { readonly kind: "error"; readonly message: string }
  | { readonly kind: "run"; readonly options: CliOptions };

export const HELP = `portico-sandbox: local reference servers of five APIs (${SANDBOX_API_NAMES.join(", ")}).

Usage: portico-sandbox [--api ims,atlas] [--port 0] [--host 127.0.0.1] [--show-secrets]

  --api, --apis   comma-separated APIs to start (default: all five)
  --port          0: a free port per server (default); N: consecutive ports from N
  --host          interface to bind (default 127.0.0.1)
  --show-secrets  print the seeded sandbox-only secrets as export lines (default: fingerprints)
  -h, --help      this text

For each API it prints the base URL, the token URL, the seeded client ids (the SPA client id of
the browser sign-in included), credentials and commands to try, then a line starting with
"ready". Ctrl-C (SIGINT) or SIGTERM closes every server and exits 0.`;

/** Parses `argv` (without node and the script). */
export function parseCommandLine(argv: readonly string[]): ParsedCommandLine {
  let values: { api?: string; apis?: string; port?: string; host?: string; "show-secrets"?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        api: { type: "string" },
        apis: { type: "string" },
        port: { type: "string" },
        host: { type: "string" },
        "show-secrets": { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (error) {
    return { kind: "error", message: (error as Error).message };
  }
  if (values.help) return { kind: "help" };
  const list = values.api ?? values.apis;
  const apis = list === undefined ? [...SANDBOX_API_NAMES] : [...new Set(list.split(",").map((s) => s.trim()).filter(Boolean))];
  const unknown = apis.filter((a) => !isSandboxApiName(a));
  if (unknown.length > 0 || apis.length === 0) {
    return { kind: "error", message: `--api: unknown API ${JSON.stringify(unknown.join(",") || list)}; pick from ${SANDBOX_API_NAMES.join(", ")}` };
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!/^\d+$/.test(values.port ?? "0") || port > 65535) {
    return { kind: "error", message: `--port must be 0 (free ports) or a TCP port up to 65535, got ${JSON.stringify(values.port)}` };
  }
  const host = values.host ?? "127.0.0.1";
  if (host.trim() === "") return { kind: "error", message: "--host must name an interface, e.g. 127.0.0.1 or 0.0.0.0" };
  return { kind: "run", options: { apis: apis as SandboxApiName[], port, host, showSecrets: values["show-secrets"] === true } };
}
