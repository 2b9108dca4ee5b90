import { PorticoError } from "../errors/portico-error.js";

/** Throws `INVALID_OPTIONS` naming the option; never includes the value. */
export function invalidOption(factory: string, option: string, expectation: string): PorticoError {
  return new PorticoError("INVALID_OPTIONS", `Invalid ${factory} option "${option}": ${expectation}.`, { option });
}

export function requireString(factory: string, option: string, value: unknown): string {
  if (typeof value !== "string" || value.length === 0) throw invalidOption(factory, option, "must be a non-empty string");
  return value;
}
