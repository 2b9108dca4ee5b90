import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { buildApiModel } from "./model/build-model.js";
import type { ApiModel } from "./model/api-model.js";
import { CodegenError } from "./errors.js";
import { GENERATED_MARK } from "./emit/header.js";
import { renderSchema } from "./emit/render-schema.js";
import { renderTables } from "./emit/render-tables.js";
import { renderClient, renderCredentialKinds, renderEvents, renderIndex } from "./emit/render-types.js";
import { checkExtensions } from "./spec/check-extensions.js";
import { checkRefs } from "./spec/check-refs.js";
import { parseSpecSource, type SpecReadOptions, type SpecSource } from "./spec/parse-source.js";
import { clientExtension, validateDocument } from "./spec/validate-document.js";

/** One generated file, relative to the output directory. */
export interface GeneratedFile {
  readonly path: string;
  readonly contents: string;
}

export interface GenerateFromSourceOptions {
  /** File name used in error messages and in the generated header. @default "spec.yaml" */
  readonly file?: string;
  /**
   * Client name and package when the spec has no `x-portico-client` (the spec's own wins), e.g.
   * `{ name: "GitHub", package: "@acme/github-client" }`: the factory is `create<name>ApiClient`.
   */
  readonly client?: { readonly name: string; readonly package: string };
  /**
   * Accept a JSON error body without a `code` enum: that response declares no codes (its body is
   * still typed in `schema.ts`) instead of failing with `error schema has no "code" enum`. @default false
   */
  readonly lenientErrors?: boolean;
}

/**
 * Generates the client module for one spec held in memory. Same text in, byte-identical files out.
 * @throws CodegenError naming file, line and JSON pointer for an invalid or unsupported spec.
 * @example
 * const files = await generateFromSource(await readFile("specs/ims.yaml", "utf8"), { file: "specs/ims.yaml" });
 */
export async function generateFromSource(text: string, options: GenerateFromSourceOptions = {}): Promise<GeneratedFile[]> {
  const source = readSource(text, options);
  checkExtensions(source);
  checkRefs(source);
  const document = validateDocument(source);
  const model = buildApiModel(source, document);
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
  return files;
}

/** Reads the metadata codegen would emit for a spec, without rendering files (for tools and tests). */
export function readApiModel(text: string, options: GenerateFromSourceOptions = {}): ApiModel {
  const source = readSource(text, options);
  checkExtensions(source);
  checkRefs(source);
  return buildApiModel(source, validateDocument(source));
}

export interface GenerateOptions extends Omit<GenerateFromSourceOptions, "file"> {
  /** Path of the spec file (YAML or JSON). */
  readonly spec: string;
  /** Output directory, created if missing. */
  readonly out: string;
  /** Compare instead of writing: throws `OUTPUT_STALE` when a file differs. @default false */
  readonly check?: boolean;
}

export interface GenerateResult {
  /** Every generated file's path. */
  readonly files: readonly string[];
  /** Files written (or, with `check`, found stale), including stale generated files removed. */
  readonly changed: readonly string[];
}

/**
 * Generates the client module for `spec` into `out`, writing only files whose contents changed
 * and removing generated files the spec no longer produces.
 * @throws CodegenError for an unreadable, invalid or unsupported spec, or stale output with `check`.
 * @example
 * await generate({ spec: "../../specs/ims.yaml", out: "src/generated" });
 */
export async function generate(options: GenerateOptions): Promise<GenerateResult> {
  let text: string;
  try {
    text = await readFile(options.spec, "utf8");
  } catch (cause) {
    const reason = (cause as NodeJS.ErrnoException).code === "ENOENT" ? "file not found" : "cannot read the file";
    throw new CodegenError("SPEC_NOT_FOUND", reason, { file: options.spec });
  }
  const file = relative(process.cwd(), options.spec) || options.spec;
  const files = await generateFromSource(text, { file, client: options.client, lenientErrors: options.lenientErrors });
  const changed: string[] = [];
  for (const file of files) {
    const target = join(options.out, file.path);
    const current = await readFile(target, "utf8").catch(() => undefined);
    if (current === file.contents) continue;
    changed.push(target);
    if (!options.check) {
      await mkdir(options.out, { recursive: true });
      await writeFile(target, file.contents);
    }
  }
  for (const stale of await staleFiles(options.out, new Set(files.map((f) => f.path)))) {
    changed.push(stale);
    if (!options.check) await rm(stale);
  }
  if (options.check && changed.length > 0) {
    throw new CodegenError("OUTPUT_STALE", `generated files are out of date: ${changed.join(", ")}; run \`portico generate\``, {
      file: options.spec,
    });
  }
  return { files: files.map((f) => join(options.out, f.path)), changed };
}

/** Parses the spec text, after checking the options that stand in for parts of it. */
function readSource(text: string, options: GenerateFromSourceOptions): SpecSource {
  const file = options.file ?? "spec.yaml";
  const read: SpecReadOptions = { lenientErrors: options.lenientErrors ?? false };
  if (options.client !== undefined) {
    const checked = clientExtension.safeParse(options.client);
    if (!checked.success) {
      throw new CodegenError("SPEC_INVALID", `client option: ${checked.error.issues[0]?.message ?? "invalid"}`, { file });
    }
    return parseSpecSource(text, file, { ...read, client: checked.data });
  }
  return parseSpecSource(text, file, read);
}

/** Files in `out` that codegen wrote earlier but does not produce now. */
async function staleFiles(out: string, keep: ReadonlySet<string>): Promise<string[]> {
  const names = await readdir(out).catch(() => [] as string[]);
  const stale: string[] = [];
  for (const name of names.sort()) {
    if (keep.has(name) || !name.endsWith(".ts")) continue;
    const path = join(out, name);
    const text = await readFile(path, "utf8").catch(() => "");
    if (text.startsWith(GENERATED_MARK)) stale.push(path);
  }
  return stale;
}
