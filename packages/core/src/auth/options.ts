import { PorticoError } from "../errors/portico-error.js";

/** Throws `INVALID_OPTIONS` naming the option; never includes the value. */
export function invalidOption(factory: string, option: string, expectation: string): PorticoError {
  return new PorticoError("INVALID_OPTIONS", `${factory}: "${option}" ${expectation}.`, { option });
}

export function requireString(factory: string, option: string, value: unknown): string {
  if (typeof value !== "string" || value.length === 0) throw invalidOption(factory, option, "must be a non-empty string");
  return value;
}

export function optionalString(factory: string, option: string, value: unknown): string | undefined {
  return value === undefined ? undefined : requireString(factory, option, value);
}

export function optionalPositive(factory: string, option: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw invalidOption(factory, option, "must be a positive number");
  }
  return value;
}

export function requireUrl(factory: string, option: string, value: unknown): URL {
  const text = requireString(factory, option, value);
  try {
    return new URL(text);
  } catch {
    throw invalidOption(factory, option, "must be an absolute URL");
  }
}
