import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from "yaml";
import { CodegenError } from "../errors.js";

/** A parsed spec that still knows where each value came from. */
export interface SpecSource {
  /** File name used in messages. */
  readonly file: string;
  /** The spec as plain JSON values. */
  readonly document: unknown;
  /** 1-based line of the value (or key) at `pointer`, falling back to its nearest existing ancestor. */
  lineOf(pointer: readonly string[]): number | undefined;
  /** Builds an error located at `pointer`. */
  error(code: "SPEC_INVALID" | "SPEC_UNSUPPORTED", reason: string, pointer: readonly string[]): CodegenError;
}

/**
 * Parses YAML (or JSON) text, keeping line information to map JSON pointers to lines.
 * @throws CodegenError `SPEC_PARSE_ERROR` on malformed text.
 */
export function parseSpecSource(text: string, file: string): SpecSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const first = doc.errors[0];
  if (first !== undefined) {
    const reason = first.message.split("\n")[0]?.replace(/ at line \d+, column \d+:?$/, "") ?? first.code;
    const line = lineCounter.linePos(first.pos[0]).line;
    throw new CodegenError("SPEC_PARSE_ERROR", `invalid YAML: ${reason}`, { file, line });
  }
  const document: unknown = doc.toJS({ maxAliasCount: 1000 });
  const lineOf = (pointer: readonly string[]): number | undefined => {
    const offset = offsetOf(doc, pointer);
    return offset === undefined ? undefined : lineCounter.linePos(offset).line;
  };
  return {
    file,
    document,
    lineOf,
    error: (code, reason, pointer) => new CodegenError(code, reason, { file, line: lineOf(pointer), pointer }),
  };
}

/** Source offset of the deepest node on `pointer` (the key, for map entries). */
function offsetOf(doc: Document, pointer: readonly string[]): number | undefined {
  let node: unknown = doc.contents;
  let offset = (node as Node | null)?.range?.[0];
  for (const segment of pointer) {
    if (isAlias(node)) node = node.resolve(doc);
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === segment);
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
