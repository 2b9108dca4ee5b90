import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { CodegenError } from "./errors.js";
import { GENERATED_MARK } from "./emit/header.js";
import { generateFromSource, type GenerateFromSourceOptions } from "./generate.js";
import type { CodegenWarning } from "./warnings.js";

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
  /** What the spec declares that the generated client will not do (generation still succeeded). */
  readonly warnings: readonly CodegenWarning[];
}

/**
 * Generates the client module for `spec` into `out`, writing only files whose contents changed
 * and removing generated files the spec no longer produces.
 * @throws CodegenError for an unreadable, invalid or unsupported spec, or stale output with `check`.
 * @example
 * const { warnings } = await generate({ spec: "../../specs/ims.yaml", out: "src/generated" });
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
  const { files, warnings } = await generateFromSource(text, { file, ...(options.client === undefined ? {} : { client: options.client }) });
  const changed: string[] = [];
  for (const generated of files) {
    const target = join(options.out, generated.path);
    const current = await readFile(target, "utf8").catch(() => undefined);
    if (current === generated.contents) continue;
    changed.push(target);
    if (!options.check) {
      await mkdir(options.out, { recursive: true });
      await writeFile(target, generated.contents);
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
  return { files: files.map((f) => join(options.out, f.path)), changed, warnings };
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
