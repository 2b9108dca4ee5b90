import { isAlias, isMap, isScalar, isSeq, LineCounter, parse, parseDocument, YAMLParseError, type Document, type Node } from "yaml";
import { CodegenError } from "../errors.js";

/** What codegen is told besides the spec itself (CLI flags, `generate` options). */
export interface SpecReadOptions {
  /** Client name and package to use when the spec declares no `x-portico-client`. */
  readonly client?: { readonly name: string; readonly package: string } | undefined;
  /** A JSON error body without a `code` enum declares no codes instead of failing. @default false */
  readonly lenientErrors?: boolean | undefined;
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
}

/**
 * Parses JSON (with `JSON.parse`) or YAML text into plain values. Line numbers are computed only
 * when an error needs one, so a valid spec is parsed once and no syntax tree is kept.
 * @throws CodegenError `SPEC_PARSE_ERROR` on malformed text.
 */
export function parseSpecSource(text: string, file: string, options: SpecReadOptions = {}): SpecSource {
  const document = parseText(text, file);
  let located: { doc: Document; lines: LineCounter } | undefined;
  const lineOf = (pointer: readonly string[]): number | undefined => {
    // The document itself starts at its first non-blank character: no need to re-parse for that.
    if (pointer.length === 0) return firstContentLine(text);
    if (located === undefined) {
      const lines = new LineCounter();
      located = { doc: parseDocument(text, { lineCounter: lines, uniqueKeys: false, prettyErrors: false }), lines };
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
  };
}

/** JSON text goes through `JSON.parse`; YAML, and JSON that `JSON.parse` refuses, through `yaml`. */
function parseText(text: string, file: string): unknown {
  const json = /^\s*[{[]/.test(text);
  if (json) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      // Not strict JSON (a YAML flow mapping, or a real syntax error): yaml says which, with a line.
    }
  }
  try {
    return parse(text, { uniqueKeys: true, maxAliasCount: 1000, logLevel: "error" }) as unknown;
  } catch (cause) {
    if (!(cause instanceof YAMLParseError)) throw cause;
    const reason = cause.message.split("\n")[0]?.replace(/ at line \d+, column \d+:?$/, "") ?? cause.code;
    throw new CodegenError("SPEC_PARSE_ERROR", `invalid ${json ? "JSON" : "YAML"}: ${reason}`, { file, line: cause.linePos?.[0].line });
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
