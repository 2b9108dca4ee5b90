/**
 * Canary-secret scanner, shared by the auth and pipeline tests: put a canary in every credential,
 * drive every error path, and check that no error, serialization, inspection or captured log line
 * ever contains it.
 */
import { formatWithOptions, inspect, type InspectOptions } from "node:util";

/** A unique, recognisable secret part (hex, so it fits any token format). */
export function makeCanary(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  return `ca0a${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}`;
}

/** A canary of letters only: no digit, as passphrases have (secrets a "looks like a key" rule misses). */
export function makeLetterCanary(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return `zq${Array.from(bytes, (b) => String.fromCharCode(97 + (b % 26))).join("")}`;
}

/** One place a canary turned up. */
export interface CanaryLeak {
  readonly where: string;
  readonly view: "String" | "JSON.stringify" | "util.inspect" | "message" | "stack" | "log" | DeepView;
  readonly canary: string;
  /** A deep scan's match in context (80 characters either side). */
  readonly excerpt?: string;
}

/** The views a deep scan adds. */
export type DeepView = "util.inspect(showHidden)" | "structuredClone" | `cause${string}`;

/**
 * What a canary is recognised by: every 16-character window (step 8) of it, so any leaked run of
 * 24 characters or more is found, and the same of its base64 forms at each of the three byte
 * alignments (a secret base64-encoded inside a longer text). Percent-, form- and JSON-encoding
 * leave the canaries of `makeCanary`/`makeLetterCanary` unchanged.
 */
export function canaryNeedles(canary: string): string[] {
  const windows = (text: string): string[] => {
    const out: string[] = [];
    for (let start = 0; start + 16 <= text.length; start += 8) out.push(text.slice(start, start + 16));
    if (text.length >= 16) out.push(text.slice(-16));
    return out;
  };
  const needles = new Set(windows(canary));
  for (const pad of ["", "a", "aa"]) {
    const b64 = Buffer.from(`${pad}${canary}`, "utf8").toString("base64");
    // Characters that depend on the canary's bytes only: skip a first group mixed with the pad and the last (partial) group.
    const middle = b64.slice(pad === "" ? 0 : 4, -4);
    for (const needle of windows(middle)) {
      needles.add(needle);
      needles.add(needle.replace(/\+/g, "-").replace(/\//g, "_"));
    }
  }
  return [...needles];
}

/**
 * Every way a user may print a value, as texts: `String`, `JSON.stringify`, `util.inspect` (default,
 * and depth Infinity with showHidden and getters), a `structuredClone` inspected the same way (or
 * the error cloning throws), and for errors `message` and `stack`. Views that throw are skipped
 * (`String(Object.create(null))`), a cloning error is itself a view.
 */
export function printedViews(value: unknown): Array<readonly [CanaryLeak["view"], string]> {
  const views: Array<readonly [CanaryLeak["view"], string]> = [];
  const add = (view: CanaryLeak["view"], make: () => string | undefined): void => {
    try {
      const text = make();
      if (text !== undefined) views.push([view, text]);
    } catch {
      // This view cannot be produced; the others still run.
    }
  };
  add("String", () => String(value));
  add("JSON.stringify", () => JSON.stringify(value));
  add("util.inspect", () => inspect(value));
  add("util.inspect(showHidden)", () => inspect(value, { depth: Infinity, showHidden: true, getters: true }));
  add("structuredClone", () => {
    try {
      return inspect(structuredClone(value), { depth: Infinity, showHidden: true });
    } catch (error) {
      return String(error);
    }
  });
  if (value instanceof Error) {
    add("message", () => value.message);
    add("stack", () => value.stack);
  }
  return views;
}

/** `value`, then each `cause` below it (and an AggregateError's `errors`), with how it was reached. */
export function causeChain(value: unknown): Array<readonly [string, unknown]> {
  const out: Array<readonly [string, unknown]> = [];
  const seen = new Set<unknown>();
  const walk = (node: unknown, path: string): void => {
    if (node === undefined || node === null || seen.has(node) || seen.size > 64) return;
    seen.add(node);
    out.push([path, node]);
    if (typeof node !== "object") return;
    walk((node as { cause?: unknown }).cause, `${path}.cause`);
    const errors = (node as { errors?: unknown }).errors;
    if (Array.isArray(errors)) errors.forEach((inner, index) => walk(inner, `${path}.errors[${index}]`));
  };
  walk(value, "");
  return out;
}

export interface CanaryScanner {
  /**
   * Scans `String(value)`, `JSON.stringify(value)`, `util.inspect(value)` (and an error's message and
   * stack). A deep scanner scans every view of `printedViews`, of the value and of each cause below it.
   */
  scan(value: unknown, where: string): void;
  /** Captures console output until the returned function is called; captured lines are scanned. */
  captureConsole(): () => void;
  /** Scans a text already produced (e.g. a log line from a hook). */
  scanText(text: string, where: string): void;
  readonly leaks: readonly CanaryLeak[];
  /** How many values were scanned (so a test can assert it scanned something). */
  readonly scanned: number;
}

export interface CanaryScannerOptions {
  /**
   * Every view of `printedViews` (inspect with showHidden, structuredClone, ...) of the value and of
   * its cause chain, and canaries recognised by `canaryNeedles` (partial runs, base64 forms), not
   * only whole. @default false
   */
  readonly deep?: boolean;
}

export function createCanaryScanner(canaries: readonly string[], options: CanaryScannerOptions = {}): CanaryScanner {
  const leaks: CanaryLeak[] = [];
  let scanned = 0;
  const needles = options.deep ? canaries.map((canary) => [canary, canaryNeedles(canary)] as const) : undefined;
  const look = (text: string, where: string, view: CanaryLeak["view"]): void => {
    if (needles === undefined) {
      for (const canary of canaries) if (text.includes(canary)) leaks.push({ where, view, canary });
      return;
    }
    for (const [canary, forms] of needles) {
      const form = forms.find((f) => text.includes(f));
      if (form === undefined) continue;
      const at = text.indexOf(form);
      leaks.push({ where, view, canary, excerpt: text.slice(Math.max(0, at - 80), at + form.length + 80) });
    }
  };
  const scanner: CanaryScanner = {
    scan(value, where) {
      scanned += 1;
      if (options.deep) {
        for (const [path, node] of causeChain(value)) {
          for (const [view, text] of printedViews(node)) look(text, `${where}${path}`, path === "" ? view : (`cause${path}` as DeepView));
        }
        return;
      }
      look(String(value), where, "String");
      try {
        look(JSON.stringify(value) ?? "", where, "JSON.stringify");
      } catch {
        // Cyclic: the other views still run.
      }
      look(inspect(value, { depth: 8, showHidden: false, getters: true }), where, "util.inspect");
      if (value instanceof Error) {
        look(value.message, where, "message");
        look(value.stack ?? "", where, "stack");
      }
    },
    scanText(text, where) {
      scanned += 1;
      look(text, where, "log");
    },
    captureConsole() {
      const methods = ["log", "info", "warn", "error", "debug"] as const;
      const originals = methods.map((name) => console[name]);
      const dir = console.dir;
      for (const name of methods) {
        console[name] = (...args: unknown[]) => {
          scanned += 1;
          // Deep: exactly what the console would print (format strings such as "%o" included).
          const text = options.deep
            ? formatWithOptions({ depth: Infinity }, ...args)
            : args.map((arg) => (typeof arg === "string" ? arg : inspect(arg, { depth: 8 }))).join(" ");
          look(text, `console.${name}`, "log");
        };
      }
      console.dir = (value: unknown, dirOptions?: InspectOptions) => {
        scanned += 1;
        look(inspect(value, { customInspect: false, ...dirOptions }), "console.dir", "log");
      };
      return () => {
        methods.forEach((name, index) => {
          console[name] = originals[index] as (typeof console)[typeof name];
        });
        console.dir = dir;
      };
    },
    get leaks() {
      return leaks;
    },
    get scanned() {
      return scanned;
    },
  };
  return scanner;
}
