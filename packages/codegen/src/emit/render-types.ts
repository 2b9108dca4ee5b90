import { ALL_KINDS, type ApiModel, type CredentialKind } from "../model/api-model.js";
import { header } from "./header.js";

/** Renders `credential-kinds.ts`: path → method → the credential kinds that may call it. */
export function renderCredentialKinds(model: ApiModel): string {
  const restricted = restrictedOperations(model);
  return [
    header(model),
    "/**",
    ` * Credential kinds (\`CredentialKind\` of \`@portico/core\`) that may call each operation of the ${model.title}:`,
    " * path → method → kinds.",
    " */",
    `export interface OperationCredentialKinds ${kindsMap(model.operations)}`,
    ...(restricted.length === 0
      ? []
      : [
          "",
          "/**",
          " * The entries of {@link OperationCredentialKinds} that not every credential kind of the API may call:",
          ` * what \`${model.clientName}ApiPaths\` filters on (\`PathsForKinds\` of \`@portico/core\`).`,
          " */",
          `export interface RestrictedOperationKinds ${kindsMap(restricted)}`,
        ]),
    "",
  ].join("\n");
}

/** Renders `client.ts`: the `create<Name>ApiClient` factory and its option and client types. */
export function renderClient(model: ApiModel): string {
  const n = model.clientName;
  const restricted = restrictedOperations(model).length > 0;
  const example = model.operations.find((op) => op.method === "get" && !op.path.includes("{"));
  const server = model.servers.find((s) => s.environment !== "sandbox") ?? model.servers[0];
  const K = `Kinds extends ${n}CredentialKind = ${n}CredentialKind`;
  const T = "Throws extends boolean = boolean";
  return [
    header(model),
    `import { createClient, type ClientOptions, type MediaType, ${restricted ? "type PathsForKinds, " : ""}type PorticoClient } from "@portico/core";`,
    ...(restricted ? ['import type { RestrictedOperationKinds } from "./credential-kinds.js";'] : []),
    'import { descriptor } from "./descriptor.js";',
    'import type { paths } from "./schema.js";',
    "",
    `/** Credential kinds the ${model.title} accepts on at least one operation. */`,
    `export type ${n}CredentialKind = ${kindUnion(apiKinds(model))};`,
    "",
    ...(restricted
      ? [
          `/** \`paths\` of the ${model.title}, keeping only the operations a credential of kind \`Kinds\` may call. */`,
          // Checked first: a client whose credentials cover every kind gets `paths` itself, at no cost to tsc.
          `export type ${n}ApiPaths<${K}> = [${n}CredentialKind] extends [Kinds]`,
          "  ? paths",
          "  : PathsForKinds<paths, RestrictedOperationKinds, Kinds>;",
        ]
      : [
          `/** \`paths\` of the ${model.title}: every credential kind it accepts may call every operation. */`,
          `export type ${n}ApiPaths<${K}> = [Kinds] extends [never] ? never : paths;`,
        ]),
    "",
    `/** Options of {@link create${n}ApiClient}: \`baseUrl\`, \`fetcher\`, \`auth\`, retries, hooks. */`,
    `export type ${n}ApiClientOptions<${K}, ${T}> = ClientOptions<Kinds, Throws>;`,
    "",
    `/** A typed ${model.title} client: \`GET\`, \`POST\`, ... over the spec's paths; \`Throws\` = \`true\` keeps only success results. */`,
    `export type ${n}ApiClient<${K}, ${T}> = PorticoClient<${n}ApiPaths<Kinds>, MediaType, Throws>;`,
    "",
    "/**",
    ` * Creates a typed client for the ${model.title} (\`${model.packageName}\`). A client built with`,
    " * credentials of some kinds only has the operations those kinds may call; one built with",
    " * `throwOnError: true` throws errors, and its results are typed as the success branch only.",
    ...(example === undefined
      ? []
      : [
          " *",
          " * @example",
          ` * const client = create${n}ApiClient({${server === undefined ? "" : ` baseUrl: ${JSON.stringify(server.url)},`} fetcher });`,
          ` * const { data, error } = await client.GET(${JSON.stringify(example.path)});`,
        ]),
    " */",
    `export function create${n}ApiClient<${K}, const ${T}>(`,
    `  options: ${n}ApiClientOptions<Kinds, Throws> = {},`,
    `): ${n}ApiClient<Kinds, Throws> {`,
    `  return createClient<${n}ApiPaths<Kinds>, Kinds, MediaType, Throws>(descriptor, options);`,
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

/** Credential kinds accepted by at least one operation (every kind when there is no operation). */
function apiKinds(model: ApiModel): CredentialKind[] {
  const kinds = new Set<CredentialKind>(model.operations.flatMap((op) => op.kinds));
  return kinds.size === 0 ? [...ALL_KINDS] : ALL_KINDS.filter((k) => kinds.has(k));
}

/** Operations that some credential kind of the API may not call. */
function restrictedOperations(model: ApiModel): ApiModel["operations"] {
  const all = apiKinds(model);
  return model.operations.filter((op) => all.some((k) => !op.kinds.includes(k)));
}

/** `{ "path": { method: kinds; }; }` for `operations`, grouped by path in model order. */
function kindsMap(operations: ApiModel["operations"]): string {
  const byPath = new Map<string, string[]>();
  for (const op of operations) {
    const lines = byPath.get(op.path) ?? [];
    lines.push(`    ${op.method}: ${kindUnion(op.kinds)};`);
    byPath.set(op.path, lines);
  }
  const body = [...byPath].map(([path, lines]) => `  ${JSON.stringify(path)}: {\n${lines.join("\n")}\n  };`).join("\n");
  return `{${body === "" ? "" : `\n${body}\n`}}`;
}

function kindUnion(kinds: Iterable<CredentialKind>): string {
  return [...kinds].map((k) => JSON.stringify(k)).join(" | ");
}
