import { readFileSync } from "node:fs";
import { NodeErrorCode, PorticoNodeError } from "../errors.js";

/** Where to look for one secret, and what it must look like. */
export interface LoadSecretOptions {
  /** What the secret is, for error messages, e.g. `"Atlas client secret"`. */
  name: string;
  /**
   * Environment variable holding the secret, e.g. `"ATLAS_CLIENT_SECRET"`. `<env>_FILE` naming a
   * file (the Docker/Kubernetes secrets convention) is honoured too.
   */
  env?: string;
  /** File holding the secret (surrounding whitespace and the trailing newline are ignored). */
  file?: string;
  /** Format the secret must match, e.g. `/^cs_(live|test)_[A-Za-z0-9]+$/`. */
  pattern?: RegExp | string;
  /** Environment to read instead of `process.env` (tests). */
  environment?: Readonly<Record<string, string | undefined>>;
}

interface Found {
  readonly value: string;
  readonly source: string;
}

/**
 * Loads a secret from an environment variable, a `<env>_FILE` path or a file, in that order.
 * Errors name the variable or file and the expected format, never the value.
 *
 * @throws PorticoNodeError `SECRET_NOT_FOUND`, `SECRET_UNREADABLE` or `SECRET_INVALID_FORMAT`.
 * @example
 * const clientSecret = loadSecret({ name: "Atlas client secret", env: "ATLAS_CLIENT_SECRET", pattern: /^cs_(live|test)_/ });
 */
export function loadSecret(options: LoadSecretOptions): string {
  if (typeof options?.name !== "string" || options.name === "") {
    throw new PorticoNodeError(NodeErrorCode.INVALID_OPTIONS, '"name" must be a non-empty string (what the secret is, for error messages)');
  }
  if (options.env === undefined && options.file === undefined) {
    throw new PorticoNodeError(NodeErrorCode.INVALID_OPTIONS, `loadSecret(${options.name}): give "env", "file" or both`);
  }
  const environment = options.environment ?? process.env;
  const found = fromEnv(options, environment) ?? fromFile(options);
  if (found === undefined) {
    throw new PorticoNodeError(NodeErrorCode.SECRET_NOT_FOUND, `${options.name} not found: ${describePlaces(options)}`);
  }
  if (options.pattern !== undefined) {
    const pattern = typeof options.pattern === "string" ? new RegExp(options.pattern) : options.pattern;
    pattern.lastIndex = 0;
    if (!pattern.test(found.value)) {
      throw new PorticoNodeError(
        NodeErrorCode.SECRET_INVALID_FORMAT,
        `${options.name} from ${found.source} does not match the expected format ${String(pattern)} (${found.value.length} characters; value not shown)`,
      );
    }
  }
  return found.value;
}

function fromEnv(options: LoadSecretOptions, environment: Readonly<Record<string, string | undefined>>): Found | undefined {
  if (options.env === undefined) return undefined;
  const value = environment[options.env]?.trim();
  if (value) return { value, source: `environment variable ${options.env}` };
  const path = environment[`${options.env}_FILE`]?.trim();
  if (path) return readSecretFile(options.name, path, `file ${path} (from ${options.env}_FILE)`);
  return undefined;
}

function fromFile(options: LoadSecretOptions): Found | undefined {
  if (options.file === undefined) return undefined;
  return readSecretFile(options.name, options.file, `file ${options.file}`);
}

function readSecretFile(name: string, path: string, source: string): Found | undefined {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return undefined;
    throw new PorticoNodeError(NodeErrorCode.SECRET_UNREADABLE, `${name}: cannot read ${source} (${code ?? "read error"})`);
  }
  const value = text.trim();
  if (value === "") {
    throw new PorticoNodeError(NodeErrorCode.SECRET_NOT_FOUND, `${name}: ${source} is empty`);
  }
  return { value, source };
}

function describePlaces(options: LoadSecretOptions): string {
  const places: string[] = [];
  if (options.env !== undefined) {
    places.push(`set the environment variable ${options.env} (or ${options.env}_FILE to a file holding it)`);
  }
  if (options.file !== undefined) places.push(`create the file ${options.file}`);
  return places.join(", or ");
}
