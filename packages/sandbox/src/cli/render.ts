/** What `portico-sandbox` prints for each running API. */
import type { SandboxSummary } from "../framework/summary.js";

/**
 * The lines printed for one API: its base and token URLs (and any other origin), public values as
 * `export` lines, credentials by fingerprint (as `export` lines with `showSecrets`), commands to try.
 */
export function renderApi(api: string, origins: Readonly<Record<string, string>>, summary: SandboxSummary | undefined, showSecrets: boolean): string[] {
  const out = [`${api}${summary ? ` · ${summary.title}` : ""}`];
  const row = (name: string, value: string, note?: string) => out.push(`  ${name.padEnd(24)} ${value}${note ? `  # ${note}` : ""}`);
  const shown = [summary?.baseUrl, summary?.tokenUrl].filter((url): url is string => url !== undefined);
  if (summary) row("base URL", summary.baseUrl);
  if (summary?.tokenUrl) row("token URL", summary.tokenUrl);
  for (const [origin, url] of Object.entries(origins)) if (!shown.some((s) => s.startsWith(url))) row(`${origin} origin`, url);
  if (!summary) return out;
  for (const v of summary.values) out.push(`  export ${v.env}=${v.value}  # ${v.label}`);
  for (const c of summary.credentials) {
    if (showSecrets) out.push(`  export ${c.env}=${c.secret}  # ${c.label}`);
    else row(c.env, c.fingerprint, c.label);
  }
  if (summary.commands.length > 0) out.push("  try:", ...summary.commands.map((command) => `    ${command}`));
  return out;
}
