import { ALL_KINDS, type ApiModel, type CredentialKind } from "../model/api-model.js";
import { header } from "./header.js";

/** Renders `credential-kinds.ts`: path → method → the credential kinds that may call it. */
export function renderCredentialKinds(model: ApiModel): string {
  const byPath = new Map<string, string[]>();
  for (const op of model.operations) {
    const lines = byPath.get(op.path) ?? [];
    lines.push(`    ${op.method}: ${kindUnion(op.kinds)};`);
    byPath.set(op.path, lines);
  }
  const body = [...byPath].map(([path, lines]) => `  ${JSON.stringify(path)}: {\n${lines.join("\n")}\n  };`).join("\n");
  return [
    header(model),
    "/**",
    ` * Credential kinds (\`CredentialKind\` of \`@portico/core\`) that may call each operation of the ${model.title}:`,
    " * path → method → kinds. `PathsForKinds` uses it to drop what a client's credential cannot call.",
    " */",
    `export interface OperationCredentialKinds {${body === "" ? "" : `\n${body}\n`}}`,
    "",
  ].join("\n");
}

/** Renders `client.ts`: the `create<Name>ApiClient` factory and its option and client types. */
export function renderClient(model: ApiModel): string {
  const n = model.clientName;
  const kinds = new Set<CredentialKind>(model.operations.flatMap((op) => op.kinds));
  const apiKinds = kindUnion(kinds.size === 0 ? ALL_KINDS : ALL_KINDS.filter((k) => kinds.has(k)));
  const example = model.operations.find((op) => op.method === "get" && !op.path.includes("{"));
  const server = model.servers.find((s) => s.environment !== "sandbox") ?? model.servers[0];
  const K = `Kinds extends ${n}CredentialKind = ${n}CredentialKind`;
  return [
    header(model),
    'import { createClient, type ClientOptions, type PathsForKinds, type PorticoClient } from "@portico/core";',
    'import type { OperationCredentialKinds } from "./credential-kinds.js";',
    'import { descriptor } from "./descriptor.js";',
    'import type { paths } from "./schema.js";',
    "",
    `/** Credential kinds the ${model.title} accepts on at least one operation. */`,
    `export type ${n}CredentialKind = ${apiKinds};`,
    "",
    `/** \`paths\` of the ${model.title}, keeping only the operations a credential of kind \`Kinds\` may call. */`,
    `export type ${n}ApiPaths<${K}> = PathsForKinds<paths, OperationCredentialKinds, Kinds>;`,
    "",
    `/** Options of {@link create${n}ApiClient}: \`baseUrl\`, \`fetcher\`, \`auth\`, retries, hooks. */`,
    `export type ${n}ApiClientOptions<${K}> = ClientOptions<Kinds>;`,
    "",
    `/** A typed ${model.title} client: \`GET\`, \`POST\`, ... over the spec's paths. */`,
    `export type ${n}ApiClient<${K}> = PorticoClient<${n}ApiPaths<Kinds>>;`,
    "",
    "/**",
    ` * Creates a typed client for the ${model.title} (\`${model.packageName}\`). A client built with`,
    " * credentials of some kinds only has the operations those kinds may call.",
    ...(example === undefined
      ? []
      : [
          " *",
          " * @example",
          ` * const client = create${n}ApiClient({${server === undefined ? "" : ` baseUrl: ${JSON.stringify(server.url)},`} fetcher });`,
          ` * const { data, error } = await client.GET(${JSON.stringify(example.path)});`,
        ]),
    " */",
    `export function create${n}ApiClient<${K}>(`,
    `  options: ${n}ApiClientOptions<Kinds> = {},`,
    `): ${n}ApiClient<Kinds> {`,
    `  return createClient<${n}ApiPaths<Kinds>, Kinds>(descriptor, options);`,
    "}",
    "",
  ].join("\n");
}

/** Renders `events.ts` when the spec declares `x-portico-events`. */
export function renderEvents(model: ApiModel): string | undefined {
  if (model.events === undefined) return undefined;
  return [
    header(model),
    'import type { components } from "./schema.js";',
    "",
    `/** The ${model.title} WebSocket event stream (\`x-portico-events\`). */`,
    `export const events = { path: ${JSON.stringify(model.events.path)} } as const;`,
    "",
    "/** One message of the event stream. */",
    `export type ${model.clientName}EventMessage = components["schemas"][${JSON.stringify(model.events.schemaName)}];`,
    "",
  ].join("\n");
}

/** Renders `index.ts`: the generated module's public names. */
export function renderIndex(model: ApiModel): string {
  const n = model.clientName;
  return [
    header(model),
    `export { create${n}ApiClient } from "./client.js";`,
    `export type { ${n}ApiClient, ${n}ApiClientOptions, ${n}ApiPaths, ${n}CredentialKind } from "./client.js";`,
    'export type { OperationCredentialKinds } from "./credential-kinds.js";',
    'export { descriptor } from "./descriptor.js";',
    ...(model.events === undefined
      ? []
      : ['export { events } from "./events.js";', `export type { ${n}EventMessage } from "./events.js";`]),
    'export type { components, operations, paths } from "./schema.js";',
    "",
  ].join("\n");
}

function kindUnion(kinds: Iterable<CredentialKind>): string {
  return [...kinds].map((k) => JSON.stringify(k)).join(" | ");
}
