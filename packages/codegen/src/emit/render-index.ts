import type { ApiModel } from "../model/api-model.js";
import { header } from "./header.js";

/** Name of the generated events channel: the lower-case client name + `Events` (`atlasEvents`). */
function eventsChannelName(model: ApiModel): string {
  return `${model.name}Events`;
}

/**
 * Renders `events.ts` when the spec declares `x-portico-events`: the message type, and the
 * stream as an `EventsChannel` of it, which `connectEvents` of `@portico/node` and
 * `@portico/browser` take (so the messages they deliver are typed as the spec's).
 */
export function renderEvents(model: ApiModel): string | undefined {
  if (model.events === undefined) return undefined;
  const message = `${model.clientName}EventMessage`;
  return [
    header(model),
    'import type { EventsChannel } from "@portico/core";',
    'import type { components } from "./schema.js";',
    "",
    `/** One message of the ${model.title} WebSocket event stream. */`,
    `export type ${message} = components["schemas"][${JSON.stringify(model.events.schemaName)}];`,
    "",
    "/**",
    ` * The ${model.title} WebSocket event stream (\`x-portico-events\`): pass it to \`connectEvents\``,
    ` * of \`@portico/node\` or \`@portico/browser\`, which deliver {@link ${message}}s.`,
    " */",
    `export const ${eventsChannelName(model)}: EventsChannel<${message}> = { path: ${JSON.stringify(model.events.path)} };`,
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
    ...(model.operations.some((op) => op.stream !== undefined) ? [`export type { ${n}Streams } from "./client.js";`] : []),
    ...(model.operations.some((op) => op.pagination !== undefined) ? [`export type { ${n}PaginatedOperations } from "./client.js";`] : []),
    ...(model.events === undefined
      ? []
      : [`export { ${eventsChannelName(model)} } from "./events.js";`, `export type { ${n}EventMessage } from "./events.js";`]),
    'export type { components, operations, paths } from "./schema.js";',
    "",
  ].join("\n");
}
