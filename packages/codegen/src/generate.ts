import { buildApiModel } from "./model/build-model.js";
import type { ApiModel } from "./model/api-model.js";
import { CodegenError } from "./errors.js";
import { renderClient } from "./emit/render-client.js";
import { renderEvents, renderIndex } from "./emit/render-index.js";
import { renderCredentialKinds } from "./emit/render-kinds.js";
import { renderSchema } from "./emit/render-schema.js";
import { renderTables } from "./emit/render-tables.js";
import { checkExtensions } from "./spec/check-extensions.js";
import { checkRefs } from "./spec/check-refs.js";
import { checkOperationIds } from "./spec/check-operation-ids.js";
import { checkSchemas } from "./spec/check-schemas.js";
import { checkVersion } from "./spec/check-version.js";
import { parseSpecSource, type SpecSource } from "./spec/parse-source.js";
import { clientExtension, validateDocument } from "./spec/validate-document.js";
import type { CodegenWarning } from "./warnings.js";

/** One generated file, relative to the output directory. */
export interface GeneratedFile {
  readonly path: string;
  readonly contents: string;
}

/** The generated client module of one spec. */
export interface GeneratedModule {
  /** Every file of the module, in a fixed order. */
  readonly files: readonly GeneratedFile[];
  /** What the spec declares that the generated client will not do (generation still succeeded). */
  readonly warnings: readonly CodegenWarning[];
}

export interface GenerateFromSourceOptions {
  /** File name used in messages and in the generated header. @default "spec.yaml" */
  readonly file?: string;
  /**
   * Client name and/or package where the spec's `x-portico-client` does not say, e.g.
   * `{ name: "GitHub" }` (the factory is `createGitHubApiClient`). Without them the name comes
   * from `info.title` and the package from the name (`github-api-client`).
   */
  readonly client?: { readonly name?: string; readonly package?: string };
  /**
   * @deprecated No effect: every declared error response is read, with or without a code enum.
   * Kept so existing callers keep compiling.
   */
  readonly lenientErrors?: boolean;
}

/**
 * Generates the client module for one spec held in memory. Same text in, byte-identical files out.
 * @throws CodegenError naming file, line and JSON pointer for an invalid or unsupported spec.
 * @example
 * const { files, warnings } = await generateFromSource(await readFile("specs/ims.yaml", "utf8"), { file: "specs/ims.yaml" });
 */
export async function generateFromSource(text: string, options: GenerateFromSourceOptions = {}): Promise<GeneratedModule> {
  const source = readSource(text, options);
  const model = readModel(source);
  const tables = renderTables(source, model);
  const events = renderEvents(model);
  const files: GeneratedFile[] = [
    { path: "client.ts", contents: renderClient(model) },
    { path: "credential-kinds.ts", contents: renderCredentialKinds(model) },
    { path: "descriptor.ts", contents: tables.descriptor },
    { path: "errors.ts", contents: tables.errors },
    ...(events === undefined ? [] : [{ path: "events.ts", contents: events }]),
    { path: "index.ts", contents: renderIndex(model) },
    // Last: openapi-typescript gets the parsed document itself and may change it.
    { path: "schema.ts", contents: await renderSchema(source, model) },
  ];
  return { files, warnings: model.warnings };
}

/** Reads the metadata codegen would emit for a spec, without rendering files (for tools and tests). */
export function readApiModel(text: string, options: GenerateFromSourceOptions = {}): ApiModel {
  return readModel(readSource(text, options));
}

function readModel(source: SpecSource): ApiModel {
  checkVersion(source);
  checkExtensions(source);
  checkRefs(source);
  checkSchemas(source);
  checkOperationIds(source);
  return buildApiModel(source, validateDocument(source));
}

/** Parses the spec text, after checking the options that stand in for parts of it. */
function readSource(text: string, options: GenerateFromSourceOptions): SpecSource {
  const file = options.file ?? "spec.yaml";
  if (options.client === undefined) return parseSpecSource(text, file);
  const checked = clientExtension.safeParse(options.client);
  if (!checked.success) {
    throw new CodegenError("SPEC_INVALID", `client option: ${checked.error.issues[0]?.message ?? "invalid"}`, { file });
  }
  return parseSpecSource(text, file, { client: checked.data });
}
