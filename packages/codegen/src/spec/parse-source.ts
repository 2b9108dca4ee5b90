/// <reference path="./js-yaml.d.ts" />
import { createRequire } from "node:module";
import type * as JsYaml from "js-yaml";
import type { Document, LineCounter, Node } from "yaml";
import { CodegenError } from "../errors.js";
import { jsonLineOf } from "./json-lines.js";
import { codegenWarning, type CodegenWarning, type CodegenWarningCode } from "../warnings.js";

/**
 * The YAML parsers, loaded with `require` on first use. js-yaml reads every valid YAML spec: its
 * CommonJS build is the copy openapi-typescript's `@redocly/openapi-core` loads anyway (one module
 * instance for both). `yaml` is only needed for an error's or a warning's line, anchors, and text
 * js-yaml refuses, so a valid spec never pays for loading it.
 */
const requireHere = createRequire(import.meta.url);
let jsYamlModule: typeof JsYaml | undefined;
let yamlModule: typeof import("yaml") | undefined;
const jsYaml = (): typeof JsYaml => (jsYamlModule ??= requireHere("js-yaml") as typeof JsYaml);
const yaml = (): typeof import("yaml") => (yamlModule ??= requireHere("yaml") as typeof import("yaml"));

/** What codegen is told besides the spec itself (CLI flags, `generate` options). */
export interface SpecReadOptions {
  /** Client name and/or package to use where the spec's `x-portico-client` does not say. */
  readonly client?: { readonly name?: string | undefined; readonly package?: string | undefined } | undefined;
}

/** A parsed spec that can still say where each value came from. */
export interface SpecSource {
  /** File name used in messages. */
  readonly file: string;
  /** The spec as plain JSON values. Codegen's last step (openapi-typescript) may change it in place. */
  readonly document: unknown;
  /** Options the spec is read with. */
  readonly options: SpecReadOptions;
  /**
   * 1-based line of the value (or key) at `pointer`, falling back to its nearest existing ancestor.
   * The first call re-parses the text to find lines: only errors pay for it.
   */
  lineOf(pointer: readonly string[]): number | undefined;
  /** Builds an error located at `pointer`. */
  error(code: "SPEC_INVALID" | "SPEC_UNSUPPORTED", reason: string, pointer: readonly string[]): CodegenError;
  /** Builds a warning located at `pointer`. */
  warning(code: CodegenWarningCode, reason: string, pointer: readonly string[]): CodegenWarning;
}

/**
 * Parses JSON (with `JSON.parse`) or YAML text into plain values. Line numbers are computed only
 * when an error or a warning needs one (by a scan of JSON text, a second parse of YAML), so a
 * valid spec is parsed once and no syntax tree is kept.
 * @throws CodegenError `SPEC_PARSE_ERROR` on malformed text.
 */
export function parseSpecSource(text: string, file: string, options: SpecReadOptions = {}): SpecSource {
  const { document, json } = parseText(text, file);
  let located: { doc: Document; lines: LineCounter } | undefined;
  const lineOf = (pointer: readonly string[]): number | undefined => {
    // The document itself starts at its first non-blank character: no need to re-parse for that.
    if (pointer.length === 0) return firstContentLine(text);
    // Strict JSON: one scan of the text finds the line, no syntax tree needed.
    if (json) return jsonLineOf(text, pointer) ?? firstContentLine(text);
    if (located === undefined) {
      const lines = new (yaml().LineCounter)();
      located = { doc: yaml().parseDocument(text, { lineCounter: lines, uniqueKeys: false, prettyErrors: false }), lines };
    }
    const offset = offsetOf(located.doc, pointer);
    return offset === undefined ? undefined : located.lines.linePos(offset).line;
  };
  return {
    file,
    document,
    options,
    lineOf,
    error: (code, reason, pointer) => new CodegenError(code, reason, { file, line: lineOf(pointer), pointer }),
    warning: (code, reason, pointer) => codegenWarning(code, reason, { file, line: lineOf(pointer), pointer }),
  };
}

/**
 * Text that may hold a YAML anchor (`&name` after an indicator or a space), hence aliases. Such
 * text is parsed by `yaml`, which bounds alias expansion (`maxAliasCount`); js-yaml would hand back
 * a shared graph that every walk of the document expands. An `&amp;` in a description matches
 * too: it only costs the slower parser.
 */
const MAY_HAVE_ANCHOR = /(?:^|[\s[{,:])&[^\s\]}{,[]/m;

/**
 * js-yaml's schema as `@redocly/openapi-core` (openapi-typescript's parser) sets it up: YAML 1.2
 * JSON/core scalars (no timestamps: `2024-01-01` stays a string), merge keys, and the explicit
 * `!!binary`, `!!omap`, `!!pairs`, `!!set` tags.
 */
let yamlSchema: JsYaml.Schema | undefined;
function jsYamlSchema(): JsYaml.Schema {
  const { JSON_SCHEMA, types } = jsYaml();
  return (yamlSchema ??= JSON_SCHEMA.extend({ implicit: [types.merge], explicit: [types.binary, types.omap, types.pairs, types.set] }));
}

/**
 * JSON text goes through `JSON.parse`; YAML through js-yaml 4 (the parser openapi-typescript's
 * `@redocly/openapi-core` uses: several times faster than `yaml` on a 4 MB spec; required directly,
 * not through another copy of `@redocly/openapi-core`, whose import alone costs ~0.4 s of CPU)
 * unless it may hold anchors; anything js-yaml refuses, and JSON that `JSON.parse` refuses, through
 * `yaml`, whose messages and lines the errors use.
 */
function parseText(text: string, file: string): { document: unknown; json: boolean } {
  const json = /^\s*[{[]/.test(text);
  if (json) {
    try {
      return { document: JSON.parse(text) as unknown, json: true };
    } catch {
      // Not strict JSON (a YAML flow mapping, or a real syntax error): yaml says which, with a line.
    }
  }
  if (!MAY_HAVE_ANCHOR.test(text)) {
    try {
      return { document: jsYaml().load(text, { schema: jsYamlSchema() }), json: false };
    } catch {
      // Invalid YAML, or YAML js-yaml refuses: `yaml` decides, and says where.
    }
  }
  const { parse, YAMLParseError } = yaml();
  try {
    return { document: parse(text, { uniqueKeys: true, maxAliasCount: 1000, logLevel: "error" }) as unknown, json: false };
  } catch (cause) {
    // `yaml` throws a ReferenceError (no position) for an unresolved alias or an alias bomb.
    if (!(cause instanceof YAMLParseError) && !(cause instanceof ReferenceError)) throw cause;
    const reason = cause.message.split("\n")[0]?.replace(/ at line \d+, column \d+:?$/, "") ?? cause.name;
    const line = cause instanceof YAMLParseError ? cause.linePos?.[0].line : undefined;
    throw new CodegenError("SPEC_PARSE_ERROR", `invalid ${json ? "JSON" : "YAML"}: ${reason}`, { file, line });
  }
}

/** 1-based line of the first line that is not blank, a comment, a directive or `---`, if any. */
function firstContentLine(text: string): number | undefined {
  const lines = text.split("\n", 10_000);
  const index = lines.findIndex((line) => !/^\s*(?:#.*)?$|^%|^---\s*(?:#.*)?$/.test(line));
  return index === -1 ? undefined : index + 1;
}

/** Source offset of the deepest node on `pointer` (the key, for map entries). */
function offsetOf(doc: Document, pointer: readonly string[]): number | undefined {
  const { isAlias, isMap, isScalar, isSeq } = yaml();
  let node: unknown = doc.contents;
  let offset = (node as Node | null)?.range?.[0];
  for (const segment of pointer) {
    if (isAlias(node)) node = node.resolve(doc);
    if (isMap(node)) {
      // The last entry wins, as it does in the parsed document.
      const pair = [...node.items].reverse().find((p) => isScalar(p.key) && String(p.key.value) === segment);
      if (pair === undefined) return offset;
      offset = (pair.key as Node).range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node)) {
      const item: unknown = node.items[Number(segment)];
      if (item === undefined || item === null) return offset;
      offset = (item as Node).range?.[0] ?? offset;
      node = item;
    } else {
      return offset;
    }
  }
  return offset;
}
