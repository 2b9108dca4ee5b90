import { keyOf, printExpr, type Expr } from "./expression.js";

/** A sub-expression shared by several places, printed once as a `const`. */
interface Constant {
  readonly name: string;
  readonly expr: Expr;
  /** File that declares it: the first file whose roots mention it. */
  readonly file: string;
}

/** Sub-expressions shorter than this are cheaper inline than as a shared constant. */
const MIN_HOISTED_LENGTH = 12;

/**
 * Shares repeated sub-expressions of the generated tables across one or more files, so each
 * distinct error schema, code list or security requirement is emitted once. Deterministic:
 * constants are named and ordered by first appearance (children before parents).
 */
export class ConstantPool {
  private readonly roots: { file: string; expr: Expr }[] = [];
  private constants: Map<string, Constant> | undefined;
  private readonly order: string[] = [];

  /** `prefix` names the constants of an expression, e.g. `"e"` for error schemas. */
  constructor(private readonly prefix: (expr: Expr) => string) {}

  /** Registers an expression printed in `file`. Files are walked in registration order. */
  add(file: string, expr: Expr): void {
    if (this.constants !== undefined) throw new Error("ConstantPool: add() after print()");
    this.roots.push({ file, expr });
  }

  /** Prints a registered root expression with shared constants referenced by name. */
  print(expr: Expr, indent = 0): string {
    const constants = this.resolve();
    return printExpr(expr, indent, (e) => constants.get(keyOf(e))?.name);
  }

  /** `const` declarations homed in `file`, in dependency order; exported when another file uses them. */
  declarations(file: string): string[] {
    const constants = this.resolve();
    const exported = new Set(this.imports().filter((i) => i.from === file).map((i) => i.name));
    return this.order
      .map((key) => constants.get(key))
      .filter((c): c is Constant => c !== undefined && c.file === file)
      .map((c) => {
        const text = printExpr(c.expr, 0, (e) => (e === c.expr ? undefined : constants.get(keyOf(e))?.name));
        const asConst = c.expr.kind === "arr" || c.expr.kind === "obj" ? " as const" : "";
        return `${exported.has(c.name) ? "export " : ""}const ${c.name} = ${text}${asConst};`;
      });
  }

  /** Constants `file` uses that another file declares. */
  importsOf(file: string): { name: string; from: string }[] {
    return this.imports().filter((i) => i.into === file).map(({ name, from }) => ({ name, from }));
  }

  private importList: { name: string; from: string; into: string }[] | undefined;

  private imports(): { name: string; from: string; into: string }[] {
    if (this.importList !== undefined) return this.importList;
    const constants = this.resolve();
    const seen = new Set<string>();
    const result: { name: string; from: string; into: string }[] = [];
    const visit = (expr: Expr, into: string, top: boolean) => {
      const constant = constants.get(keyOf(expr));
      if (constant !== undefined && !top) {
        const id = `${constant.name}→${into}`;
        if (constant.file !== into && !seen.has(id)) {
          seen.add(id);
          result.push({ name: constant.name, from: constant.file, into });
        }
        return;
      }
      for (const child of children(expr)) visit(child, into, false);
    };
    for (const root of this.roots) visit(root.expr, root.file, true);
    for (const constant of constants.values()) visit(constant.expr, constant.file, true);
    this.importList = result;
    return result;
  }

  private resolve(): Map<string, Constant> {
    if (this.constants !== undefined) return this.constants;
    const counts = new Map<string, number>();
    const home = new Map<string, { file: string; expr: Expr }>();
    const postOrder: string[] = [];
    const walk = (expr: Expr, file: string) => {
      const key = keyOf(expr);
      const count = counts.get(key) ?? 0;
      counts.set(key, count + 1);
      if (count > 0) return;
      home.set(key, { file, expr });
      for (const child of children(expr)) walk(child, file);
      postOrder.push(key);
    };
    for (const root of this.roots) walk(root.expr, root.file);
    const rootKeys = new Set(this.roots.map((r) => keyOf(r.expr)));
    const constants = new Map<string, Constant>();
    const used = new Map<string, number>();
    for (const key of postOrder) {
      const found = home.get(key);
      if (found === undefined || rootKeys.has(key)) continue;
      const shareable = found.expr.kind === "arr" || found.expr.kind === "obj" || found.expr.kind === "call";
      if (!shareable || (counts.get(key) ?? 0) < 2 || key.length < MIN_HOISTED_LENGTH) continue;
      const prefix = this.prefix(found.expr);
      const index = used.get(prefix) ?? 0;
      used.set(prefix, index + 1);
      constants.set(key, { name: `${prefix}${index}`, expr: found.expr, file: found.file });
      this.order.push(key);
    }
    this.constants = constants;
    return constants;
  }
}

function children(expr: Expr): readonly Expr[] {
  switch (expr.kind) {
    case "arr":
      return expr.items;
    case "obj":
      return expr.entries.map(([, v]) => v);
    case "call":
      return expr.args;
    default:
      return [];
  }
}
