/**
 * Canary-secret scanner, shared by the auth and pipeline tests: put a canary in every credential,
 * drive every error path, and check that no error, serialization, inspection or captured log line
 * ever contains it.
 */
import { inspect } from "node:util";

/** A unique, recognisable secret part (hex, so it fits any token format). */
export function makeCanary(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  return `ca0a${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}`;
}

/** One place a canary turned up. */
export interface CanaryLeak {
  readonly where: string;
  readonly view: "String" | "JSON.stringify" | "util.inspect" | "message" | "stack" | "log";
  readonly canary: string;
}

export interface CanaryScanner {
  /** Scans `String(value)`, `JSON.stringify(value)`, `util.inspect(value)` (and an error's message and stack). */
  scan(value: unknown, where: string): void;
  /** Captures console output until the returned function is called; captured lines are scanned. */
  captureConsole(): () => void;
  /** Scans a text already produced (e.g. a log line from a hook). */
  scanText(text: string, where: string): void;
  readonly leaks: readonly CanaryLeak[];
  /** How many values were scanned (so a test can assert it scanned something). */
  readonly scanned: number;
}

export function createCanaryScanner(canaries: readonly string[]): CanaryScanner {
  const leaks: CanaryLeak[] = [];
  let scanned = 0;
  const look = (text: string, where: string, view: CanaryLeak["view"]): void => {
    for (const canary of canaries) if (text.includes(canary)) leaks.push({ where, view, canary });
  };
  const scanner: CanaryScanner = {
    scan(value, where) {
      scanned += 1;
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
      for (const name of methods) {
        console[name] = (...args: unknown[]) => {
          scanned += 1;
          look(args.map((arg) => (typeof arg === "string" ? arg : inspect(arg, { depth: 8 }))).join(" "), `console.${name}`, "log");
        };
      }
      return () => {
        methods.forEach((name, index) => {
          console[name] = originals[index] as (typeof console)[typeof name];
        });
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
