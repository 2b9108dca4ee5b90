/**
 * A tiny JavaScript expression tree for the generated tables, printed deterministically. Repeated
 * sub-expressions are hoisted into shared constants by `ConstantPool`.
 */
export type Expr =
  | { readonly kind: "lit"; readonly value: string | number | boolean }
  | { readonly kind: "arr"; readonly items: readonly Expr[] }
  | { readonly kind: "obj"; readonly entries: readonly (readonly [string, Expr])[] }
  | { readonly kind: "call"; readonly callee: string; readonly args: readonly Expr[] }
  | { readonly kind: "ident"; readonly name: string };

export const lit = (value: string | number | boolean): Expr => ({ kind: "lit", value });
export const arr = (items: readonly Expr[]): Expr => ({ kind: "arr", items });
export const obj = (entries: readonly (readonly [string, Expr])[]): Expr => ({ kind: "obj", entries });
export const call = (callee: string, ...args: Expr[]): Expr => ({ kind: "call", callee, args });
export const ident = (name: string): Expr => ({ kind: "ident", name });

/** Plain JSON data (no `undefined` values, which are dropped) as an expression, keeping key order. */
export function fromJson(value: unknown): Expr {
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return lit(value);
  if (Array.isArray(value)) return arr(value.map(fromJson));
  if (typeof value === "object" && value !== null) {
    return obj(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, fromJson(v)] as const));
  }
  throw new TypeError(`cannot print ${String(value)} as a table value`);
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** Object key as written in source: bare when it is an identifier. */
export function printKey(key: string): string {
  return IDENTIFIER.test(key) ? key : JSON.stringify(key);
}

const keys = new WeakMap<Expr, string>();

/** Canonical one-line text of an expression, ignoring hoisting: equal text means equal value. */
export function keyOf(expr: Expr): string {
  let key = keys.get(expr);
  if (key === undefined) {
    key = printFlat(expr, keyOf);
    keys.set(expr, key);
  }
  return key;
}

function printFlat(expr: Expr, child: (e: Expr) => string): string {
  switch (expr.kind) {
    case "lit":
      return JSON.stringify(expr.value);
    case "ident":
      return expr.name;
    case "arr":
      return `[${expr.items.map(child).join(", ")}]`;
    case "obj":
      return expr.entries.length === 0 ? "{}" : `{ ${expr.entries.map(([k, v]) => `${printKey(k)}: ${child(v)}`).join(", ")} }`;
    case "call":
      return `${expr.callee}(${expr.args.map(child).join(", ")})`;
  }
}

const MAX_WIDTH = 110;

/**
 * Prints an expression, one line when it fits in the width, else one entry per line.
 * `ref` returns a constant's name for hoisted sub-expressions.
 */
export function printExpr(expr: Expr, indent: number, ref: (e: Expr) => string | undefined): string {
  const child = (e: Expr) => ref(e) ?? printExpr(e, indent + 1, ref);
  if (expr.kind === "lit" || expr.kind === "ident") return printFlat(expr, noChildren);
  const flat = flatWithin(expr, MAX_WIDTH - indent * 2, ref);
  if (flat !== undefined) return flat;
  const pad = "  ".repeat(indent + 1);
  const end = "  ".repeat(indent);
  switch (expr.kind) {
    case "arr":
      return `[\n${expr.items.map((e) => `${pad}${child(e)},\n`).join("")}${end}]`;
    case "obj":
      return `{\n${expr.entries.map(([k, v]) => `${pad}${printKey(k)}: ${child(v)},\n`).join("")}${end}}`;
    case "call":
      if (expr.args.length === 1 && expr.args[0] !== undefined) return `${expr.callee}(${printExpr(expr.args[0], indent, ref)})`;
      return `${expr.callee}(\n${expr.args.map((e) => `${pad}${child(e)},\n`).join("")}${end})`;
  }
}

function noChildren(): string {
  throw new Error("a literal or identifier has no children");
}

/**
 * The one-line text of `expr` (hoisted sub-expressions by name) when it is at most `budget`
 * characters long, else `undefined`. Stops as soon as the text is too long: a large table is
 * printed over many lines, and its one-line text, longer at each level up, is never built whole.
 */
function flatWithin(expr: Expr, budget: number, ref: (e: Expr) => string | undefined): string | undefined {
  let open: string;
  let parts: readonly (readonly [string, Expr])[];
  let close: string;
  switch (expr.kind) {
    case "lit":
    case "ident": {
      const text = printFlat(expr, noChildren);
      return text.length <= budget ? text : undefined;
    }
    case "arr":
      [open, parts, close] = ["[", expr.items.map((e) => ["", e] as const), "]"];
      break;
    case "obj":
      if (expr.entries.length === 0) return budget >= 2 ? "{}" : undefined;
      [open, parts, close] = ["{ ", expr.entries.map(([k, v]) => [`${printKey(k)}: `, v] as const), " }"];
      break;
    case "call":
      [open, parts, close] = [`${expr.callee}(`, expr.args.map((e) => ["", e] as const), ")"];
      break;
  }
  let length = open.length + close.length;
  let text = open;
  for (let i = 0; i < parts.length; i++) {
    const [prefix, item] = parts[i] as readonly [string, Expr];
    const separator = i === 0 ? "" : ", ";
    length += separator.length + prefix.length;
    if (length > budget) return undefined;
    const inner = ref(item) ?? flatWithin(item, budget - length, ref);
    if (inner === undefined || length + inner.length > budget) return undefined;
    length += inner.length;
    text += separator + prefix + inner;
  }
  return text + close;
}
