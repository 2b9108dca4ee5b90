/**
 * Client names for specs that do not declare one: `info.title` → a PascalCase identifier
 * (`"GitHub v3 REST API"` → `GitHub`), and a package name from it (`github-api-client`).
 */

/**
 * Words that say what every spec is: the name is the words before the first of them
 * ("GitHub v3 REST API" → GitHub, "GitHub's official OpenAPI spec" → GitHub).
 */
const GENERIC = new Set([
  "api",
  "apis",
  "rest",
  "restful",
  "openapi",
  "swagger",
  "spec",
  "specs",
  "specification",
  "public",
  "official",
  "http",
  "https",
  "documentation",
  "docs",
  "reference",
  "definition",
  "definitions",
]);

/** Words dropped from the start of a title. */
const LEADING = new Set(["the", ...GENERIC]);

/** `v3`, `v1beta`, `2`, `0` (of `2.0`), `2024` (of `2024-01-01`): version tokens, dropped anywhere. */
const VERSION = /^(?:v\d+(?:(?:alpha|beta|rc)\d*)?|\d+)$/i;

/** Name used when a title has no word left. */
export const FALLBACK_NAME = "Api";

/** A client name and the words it was made of. */
export interface DerivedName {
  /** PascalCase identifier: the factory is `create<name>ApiClient`. */
  readonly name: string;
  /** Lower-case words, for the package name. */
  readonly words: readonly string[];
}

/**
 * PascalCase words of the title, inner capitals kept (`GitHub`, `OpenAI`): version tokens (`v3`,
 * `2.0`, `(2024-01-01)`), possessives, domain suffixes (`.io`) and punctuation are dropped, then
 * the words from the first generic one on (`API`, `REST API`, `OpenAPI`, `Spec`, `Public API`).
 * `Api` when nothing is left; prefixed with `Api` when it would start with a digit.
 * @example clientNameFromTitle("Box Platform API").name // "BoxPlatform"
 */
export function clientNameFromTitle(title: string): DerivedName {
  const ascii = title
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/['\u2019]s\b/g, "")
    .replace(/['\u2019]/g, "")
    .replace(/\.(?:io|com|net|org|dev|ai|co|app|cloud)\b/gi, "");
  const tokens = ascii.split(/[^A-Za-z0-9]+/).filter((t) => t !== "" && !VERSION.test(t));
  while (tokens.length > 0 && LEADING.has(tokens[0]?.toLowerCase() ?? "")) tokens.shift();
  const cut = tokens.findIndex((t) => GENERIC.has(t.toLowerCase()));
  const kept = cut === -1 ? tokens : tokens.slice(0, cut);
  if (kept.length === 0) return { name: FALLBACK_NAME, words: [FALLBACK_NAME.toLowerCase()] };
  const name = kept.map((t) => `${t[0]?.toUpperCase() ?? ""}${t.slice(1)}`).join("");
  const words = kept.map((t) => t.toLowerCase());
  return /^\d/.test(name) ? { name: `${FALLBACK_NAME}${name}`, words: [FALLBACK_NAME.toLowerCase(), ...words] } : { name, words };
}

/** The words of a PascalCase name: `"BoxPlatform"` → `["box", "platform"]`, `"IMSClient"` → `["ims", "client"]`. */
export function wordsOf(name: string): string[] {
  return (name.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+/g) ?? [name]).map((w) => w.toLowerCase());
}

/** The default npm package of a client: its words in kebab-case, then `-api-client`. */
export function packageNameOf(words: readonly string[]): string {
  return `${words.join("-")}-api-client`;
}
