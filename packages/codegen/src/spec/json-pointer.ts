/** Encodes pointer segments as a URI-fragment JSON pointer: `["paths", "/items", "get"]` → `#/paths/~1items/get`. */
export function formatPointer(segments: readonly string[]): string {
  return `#${segments.map((s) => `/${s.replaceAll("~", "~0").replaceAll("/", "~1")}`).join("")}`;
}

/** Decodes a local `$ref` (`#/components/schemas/Item`) into segments, or `undefined` if it is not local. */
export function parseLocalRef(ref: string): string[] | undefined {
  if (ref === "#") return [];
  if (!ref.startsWith("#/")) return undefined;
  return ref
    .slice(2)
    .split("/")
    .map((s) => decodeSegment(s).replaceAll("~1", "/").replaceAll("~0", "~"));
}

/** A percent-encoded fragment segment, decoded; a malformed escape (`%`) is kept as written and then points at nothing. */
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Reads the value at `segments` in a plain JSON value, or `undefined`. */
export function getAt(root: unknown, segments: readonly string[]): unknown {
  let node = root;
  for (const segment of segments) {
    if (Array.isArray(node)) node = node[Number(segment)];
    else if (isRecord(node) && Object.hasOwn(node, segment)) node = node[segment];
    else return undefined;
  }
  return node;
}

/** A non-null, non-array object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
