import type { ApiModel } from "../model/api-model.js";
import { header } from "./header.js";
import { kindUnion, propertyKey, restrictedOperations } from "./kinds.js";

/**
 * Renders `credential-kinds.ts`: the credential kind of each security scheme, and path → method →
 * the credential kinds that may call it.
 */
export function renderCredentialKinds(model: ApiModel): string {
  const restricted = restrictedOperations(model);
  return [
    header(model),
    `/** Security schemes of the ${model.title}: scheme name → the credential kind that serves it (\`auth\` by scheme name). */`,
    `export type ${model.clientName}SecuritySchemes = ${schemesType(model)};`,
    "",
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

/**
 * `{ bearerAuth: "bearer"; apiKey: "apiKey" }`, or `Record<never, never>`. A type alias, not an
 * interface: core's `SchemeKinds` constraint is an index signature, which interfaces do not meet.
 */
function schemesType(model: ApiModel): string {
  const entries = Object.entries(model.securitySchemes);
  if (entries.length === 0) return "Record<never, never>";
  return `{\n${entries.map(([name, scheme]) => `  ${propertyKey(name)}: ${JSON.stringify(scheme.kind)};\n`).join("")}}`;
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
