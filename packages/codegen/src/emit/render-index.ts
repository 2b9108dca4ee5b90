import type { ApiModel } from "../model/api-model.js";
import { header } from "./header.js";

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
    `export type { ${n}ApiClient, ${n}ApiClientOptions, ${n}ApiPaths, ${n}CredentialKind, ${n}ServerVariables } from "./client.js";`,
    `export type { OperationCredentialKinds, ${n}SecuritySchemes } from "./credential-kinds.js";`,
    'export { descriptor } from "./descriptor.js";',
    ...(model.events === undefined
      ? []
      : ['export { events } from "./events.js";', `export type { ${n}EventMessage } from "./events.js";`]),
    'export type { components, operations, paths } from "./schema.js";',
    "",
  ].join("\n");
}
