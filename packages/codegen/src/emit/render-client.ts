import type { ApiModel } from "../model/api-model.js";
import { header } from "./header.js";
import { stagesOf } from "../model/stages.js";
import { kindUnion, propertyKey, restrictedOperations } from "./kinds.js";

/** Renders `client.ts`: the `create<Name>ApiClient` factory and its option and client types. */
export function renderClient(model: ApiModel): string {
  const n = model.clientName;
  const restricted = restrictedOperations(model).length > 0;
  const K = `Kinds extends ${n}CredentialKind = ${n}CredentialKind`;
  const T = "Throws extends boolean = boolean";
  const stages = stagesOf(model);
  const stageImports = stages.map((stage) => `${stage.name}, `).join("");
  const streams = model.operations.filter((op) => op.stream !== undefined);
  const lists = model.operations.filter((op) => op.pagination !== undefined);
  const paginating = lists.length > 0 ? ` & PaginatingClient<${n}ApiPaths<Kinds>, ${n}PaginatedOperations>` : "";
  const usesComponents = streams.some((op) => op.stream?.itemType.includes("components[") === true);
  return [
    header(model),
    `import { createClient, ${stageImports}type ClientOptions, type MediaType, ${restricted ? "type PathsForKinds, " : ""}type PorticoClient, type Stage${streams.length > 0 ? ", type StreamMethod" : ""}${lists.length > 0 ? ", type PaginatingClient" : ""} } from "@portico/core";`,
    `import type { ${restricted ? "RestrictedOperationKinds, " : ""}${n}SecuritySchemes } from "./credential-kinds.js";`,
    'import { descriptor } from "./descriptor.js";',
    `import type { ${usesComponents ? "components, " : ""}paths } from "./schema.js";`,
    "",
    "/** The optional parts of the call path this spec uses; a bundler drops every other. */",
    ...(stages.length === 0
      ? ["const stages: readonly Stage[] = [];"]
      : ["const stages: readonly Stage[] = [", ...stages.map((stage) => `  ${stage.name}, // ${stage.why}`), "];"]),
    "",
    `/** Credential kinds a ${model.title} client may be given: those of its security schemes, and \`"none"\`. */`,
    `export type ${n}CredentialKind = ${kindUnion(model.kinds)};`,
    "",
    `/** Values of the first server's URL variables (\`serverVariables\`), filled in when no \`baseUrl\` is given. */`,
    `export type ${n}ServerVariables = ${serverVariablesType(model)};`,
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
    `/** Options of {@link create${n}ApiClient}: \`baseUrl\` or \`serverVariables\`, \`fetcher\`, \`auth\` (one credential, or by scheme name), retries, hooks. */`,
    `export type ${n}ApiClientOptions<${K}, ${T}> = ClientOptions<Kinds, Throws, ${n}SecuritySchemes, ${n}ServerVariables>;`,
    "",
    ...streamsType(model),
    ...listsType(model),
    `/** A typed ${model.title} client: \`GET\`, \`POST\`, ... over the spec's paths${streams.length > 0 ? ", and `stream` over its streaming operations" : ""}; \`Throws\` = \`true\` keeps only success results. */`,
    streams.length > 0
      ? `export type ${n}ApiClient<${K}, ${T}> = PorticoClient<${n}ApiPaths<Kinds>, MediaType, Throws> & { stream: StreamMethod<${n}ApiPaths<Kinds>, ${n}Streams> }${paginating};`
      : `export type ${n}ApiClient<${K}, ${T}> = PorticoClient<${n}ApiPaths<Kinds>, MediaType, Throws>${paginating};`,
    "",
    "/**",
    ` * Creates a typed client for the ${model.title} (\`${model.packageName}\`). A client built with`,
    " * credentials of some kinds only has the operations those kinds may call; one built with",
    " * `throwOnError: true` throws errors, and its results are typed as the success branch only.",
    ...example(model),
    " */",
    `export function create${n}ApiClient<${K}, const ${T}>(`,
    `  options: ${n}ApiClientOptions<Kinds, Throws> = {},`,
    `): ${n}ApiClient<Kinds, Throws> {`,
    // The stages' methods (`stream`, ...) are on the client's prototype; the type says which.
    `  return createClient<${n}ApiPaths<Kinds>, Kinds, MediaType, Throws>(descriptor, options, stages)${streams.length > 0 || lists.length > 0 ? ` as ${n}ApiClient<Kinds, Throws>` : ""};`,
    "}",
    "",
  ].join("\n");
}

/** `<Name>Streams`: streaming operation key → its format and item type (for `client.stream`), when the spec streams. */
function streamsType(model: ApiModel): string[] {
  const streams = model.operations.flatMap((op) => (op.stream === undefined ? [] : [[op.key, op.stream] as const]));
  if (streams.length === 0) return [];
  return [
    `/** The streaming operations of the ${model.title}: format and item type of each, for \`client.stream(key, init)\`. */`,
    `export interface ${model.clientName}Streams {`,
    ...streams.map(([key, stream]) => `  ${JSON.stringify(key)}: { format: ${JSON.stringify(stream.descriptor.format)}; item: ${stream.itemType} };`),
    "}",
    "",
  ];
}

/**
 * `<Name>PaginatedOperations`: list operation key → the path of its items in a page (for
 * `client.paginate`), each with what codegen recognised, when the spec has list operations.
 */
function listsType(model: ApiModel): string[] {
  const lists = model.operations.flatMap((op) => (op.pagination === undefined ? [] : [[op.key, op.pagination] as const]));
  if (lists.length === 0) return [];
  return [
    `/** The list operations of the ${model.title} that \`client.paginate(key, init)\` pages through, each → where its items are in a page. */`,
    `export type ${model.clientName}PaginatedOperations = {`,
    ...lists.flatMap(([key, list]) => [
      `  /** ${list.why.replaceAll("*/", "*\\/")} */`,
      `  readonly ${JSON.stringify(key)}: readonly [${list.descriptor.items.map((name) => JSON.stringify(name)).join(", ")}];`,
    ]),
    "};",
    "",
  ];
}

/** `{ region?: "us" | "eu"; appId?: string }` for the first server, or `Record<never, never>`. */
function serverVariablesType(model: ApiModel): string {
  const variables = Object.entries(model.servers[0]?.variables ?? {});
  if (variables.length === 0) return "Record<never, never>";
  const fields = variables.map(([name, v]) => `${propertyKey(name)}?: ${v.enum === undefined ? "string" : v.enum.map((e) => JSON.stringify(e)).join(" | ")}`);
  return `{ ${fields.join("; ")} }`;
}

/** An `@example` calling a GET without path parameters, if there is one. */
function example(model: ApiModel): string[] {
  const operation = model.operations.find((op) => op.method === "get" && !op.path.includes("{"));
  if (operation === undefined) return [];
  const server = model.servers.find((s) => s.environment !== "sandbox") ?? model.servers[0];
  const baseUrl = server === undefined || server.url.includes("{") || !/^https?:\/\//.test(server.url) ? "" : ` baseUrl: ${JSON.stringify(server.url)},`;
  return [
    " *",
    " * @example",
    ` * const client = create${model.clientName}ApiClient({${baseUrl} fetcher });`,
    ` * const { data, error } = await client.GET(${JSON.stringify(operation.path)});`,
  ];
}
