import type { ServerDescriptor } from "@portico/core";
import type { ServerObject } from "../spec/validate-document.js";

type VariableDescriptor = NonNullable<ServerDescriptor["variables"]>[string];

/**
 * A server as declared: the URL template is kept (never filled at codegen time) and each variable
 * says whether its default may be used when the user gives no value.
 */
export function readServer(server: ServerObject): ServerDescriptor {
  const environment = server["x-portico-environment"];
  const host = hostPart(server.url);
  const variables = Object.entries(server.variables ?? {}).map(([name, variable]): [string, VariableDescriptor] => {
    const usable = variable.enum !== undefined || !host.includes(`{${name}}`);
    return [
      name,
      {
        default: variable.default,
        ...(variable.enum === undefined ? {} : { enum: variable.enum }),
        ...(usable ? { defaultUsable: true } : {}),
      },
    ];
  });
  return {
    url: server.url,
    ...(environment === undefined ? {} : { environment }),
    ...(variables.length === 0 ? {} : { variables: Object.fromEntries(variables) }),
  };
}

/**
 * The host name of a URL template (`{appId}.algolia.net` of `https://{appId}.algolia.net/1`): a
 * placeholder there is a name only the user knows. The scheme, user info, port and path are not
 * part of it. A relative URL (`/v1`) has none; a template that does not say where its host is
 * (`{server}/v1`) counts up to its first `/`.
 */
export function hostPart(url: string): string {
  const scheme = url.indexOf("://");
  if (scheme === -1 && url.startsWith("/")) return "";
  const start = scheme === -1 ? 0 : scheme + 3;
  const end = url.indexOf("/", start);
  const authority = url.slice(start, end === -1 ? undefined : end);
  const host = authority.slice(authority.lastIndexOf("@") + 1);
  return host.replace(/:(?:\d+|\{[^}]*\})$/, "");
}
