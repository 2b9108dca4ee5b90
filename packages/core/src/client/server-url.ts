import { PorticoError } from "../errors/portico-error.js";
import type { ServerDescriptor } from "../spec/descriptor.js";

/**
 * The base URL of a client that was given no `baseUrl`: the spec's first server, its variables
 * filled from `serverVariables`. A variable's default is used only where it is usable (it has an
 * `enum`, or it is not part of the host): a placeholder host such as
 * `https://{appId}.algolia.net` is never guessed. Throws `INVALID_OPTIONS` saying what to pass.
 */
export function serverUrl(api: string, servers: readonly ServerDescriptor[], values: Readonly<Record<string, string>> | undefined): string {
  const server = servers[0];
  if (server === undefined) {
    throw new PorticoError(
      "INVALID_OPTIONS",
      `Missing client option "baseUrl": the ${api} spec declares no server, so pass baseUrl, e.g. "https://api.example.com".`,
      { option: "baseUrl" },
    );
  }
  const variables = server.variables ?? {};
  for (const name of Object.keys(values ?? {})) {
    if (!(name in variables)) {
      const known = Object.keys(variables);
      throw new PorticoError(
        "INVALID_OPTIONS",
        `Invalid client option "serverVariables.${name}": the ${api} server ${server.url} has ${known.length === 0 ? "no variables" : `the variables ${known.join(", ")}`}.`,
        { option: `serverVariables.${name}` },
      );
    }
  }
  const url = server.url.replace(/\{([^}]*)\}/g, (_whole, name: string) => {
    const variable = variables[name];
    const given = values?.[name];
    if (given !== undefined) {
      if (variable?.enum !== undefined && !variable.enum.includes(given)) {
        throw new PorticoError(
          "INVALID_OPTIONS",
          `Invalid client option "serverVariables.${name}": must be one of ${variable.enum.map((v) => JSON.stringify(v)).join(", ")}.`,
          { option: `serverVariables.${name}` },
        );
      }
      if (given === "" || /[\s?#@\\]/.test(given) || (inHost(server.url, name) && given.includes("/"))) {
        throw new PorticoError("INVALID_OPTIONS", `Invalid client option "serverVariables.${name}": must be a non-empty URL part (no "?", "#", "@", spaces, nor "/" in the host).`, {
          option: `serverVariables.${name}`,
        });
      }
      return given;
    }
    if (variable?.default !== undefined && variable.defaultUsable === true) return variable.default;
    throw new PorticoError(
      "INVALID_OPTIONS",
      `Missing client option "serverVariables.${name}": the ${api} server is ${server.url}; pass serverVariables: { ${name}: "…" }${variable?.default !== undefined ? ` (the spec's default "${variable.default}" is a placeholder in the host, never used)` : ""}, or baseUrl.`,
      { option: `serverVariables.${name}` },
    );
  });
  if (!/^https?:\/\/[^/]/i.test(url)) {
    throw new PorticoError(
      "INVALID_OPTIONS",
      `Missing client option "baseUrl": the ${api} spec's server "${server.url}" is not an absolute http(s) URL; pass baseUrl, e.g. "https://api.example.com${server.url.startsWith("/") ? server.url : ""}".`,
      { option: "baseUrl" },
    );
  }
  return url;
}

/**
 * The base URL of a client given no `baseUrl` whose spec's servers have no variables: the first
 * server's URL, when it is absolute. (The server-variables stage fills variables in.)
 */
export function firstServerUrl(api: string, servers: readonly ServerDescriptor[], values: Readonly<Record<string, string>> | undefined): string {
  const url = servers[0]?.url;
  if (url !== undefined && !url.includes("{") && /^https?:\/\/[^/]/i.test(url)) return url;
  const why = url === undefined ? "declares no server" : url.includes("{") ? `has server variables (${url}) this client does not fill in` : `has no absolute server URL ("${url}")`;
  throw new PorticoError("INVALID_OPTIONS", `Missing client option "baseUrl": the ${api} spec ${why}, so pass baseUrl, e.g. "https://api.example.com".`, { option: "baseUrl" });
}

/** Whether `{name}` appears in the scheme-and-host part of a URL template. */
function inHost(template: string, name: string): boolean {
  const start = template.indexOf("://") + 3;
  const pathStart = template.indexOf("/", start);
  const at = template.indexOf(`{${name}}`);
  return at >= 0 && (pathStart < 0 || at < pathStart);
}
