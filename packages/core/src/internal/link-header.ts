/**
 * RFC 8288 `Link` header fields: `<https://api.example.com/items?page=2>; rel="next", <…>; rel="last"`.
 * A small parser of the whole grammar (commas and semicolons inside `<…>` and quoted strings,
 * backslash escapes, `rel` lists, case-insensitive names, several fields joined by commas), written
 * here because the maintained npm parsers are CommonJS-only and core runs anywhere with `fetch`.
 */

/** One link of a `Link` field: its target (as written, unresolved) and its parameters, names lower-cased. */
export interface LinkValue {
  readonly target: string;
  /** Relation types, lower-cased (`rel="next last"` → `["next", "last"]`). */
  readonly rel: readonly string[];
  /** Every parameter, name lower-cased; the first of repeated names wins (RFC 8288 §3.3 for `rel`). */
  readonly params: Readonly<Record<string, string>>;
}

const WS = new Set([" ", "\t"]);
/** RFC 9110 `tchar`. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]$/;

/**
 * Parses a `Link` field value into its links, in order. Malformed members are skipped up to the
 * next comma that separates links, so one bad link does not hide the others.
 */
export function parseLinkHeader(field: string | null | undefined): LinkValue[] {
  const links: LinkValue[] = [];
  if (!field) return links;
  const n = field.length;
  let i = 0;
  const skipWs = () => {
    while (i < n && WS.has(field[i]!)) i++;
  };
  /** Skips to just after the next top-level comma (outside `<…>` and quotes). */
  const skipMember = () => {
    let quoted = false;
    let angled = false;
    for (; i < n; i++) {
      const c = field[i]!;
      if (quoted) {
        if (c === "\\") i++;
        else if (c === '"') quoted = false;
      } else if (angled) {
        if (c === ">") angled = false;
      } else if (c === '"') quoted = true;
      else if (c === "<") angled = true;
      else if (c === ",") {
        i++;
        return;
      }
    }
  };
  const token = (): string => {
    const start = i;
    while (i < n && TOKEN.test(field[i]!)) i++;
    return field.slice(start, i);
  };
  const quotedString = (): string | undefined => {
    // field[i] === '"'
    i++;
    let value = "";
    while (i < n) {
      const c = field[i]!;
      if (c === "\\" && i + 1 < n) {
        value += field[i + 1]!;
        i += 2;
      } else if (c === '"') {
        i++;
        return value;
      } else {
        value += c;
        i++;
      }
    }
    return undefined;
  };

  while (i < n) {
    skipWs();
    if (field[i] === ",") {
      i++;
      continue;
    }
    if (i >= n) break;
    if (field[i] !== "<") {
      skipMember();
      continue;
    }
    const close = field.indexOf(">", i + 1);
    if (close === -1) break;
    const target = field.slice(i + 1, close).trim();
    i = close + 1;
    const params: Record<string, string> = {};
    let ok = true;
    for (;;) {
      skipWs();
      if (i >= n || field[i] === ",") break;
      if (field[i] !== ";") {
        ok = false;
        break;
      }
      i++;
      skipWs();
      const name = token().toLowerCase();
      if (name === "") {
        ok = false;
        break;
      }
      skipWs();
      let value = "";
      if (field[i] === "=") {
        i++;
        skipWs();
        if (field[i] === '"') {
          const quoted = quotedString();
          if (quoted === undefined) {
            ok = false;
            break;
          }
          value = quoted;
        } else {
          value = token();
        }
      }
      // `name*` (RFC 8187 extended values) is kept as written; only the first of a name counts.
      if (!(name in params)) params[name] = value;
    }
    if (ok) {
      const rel = (params["rel"] ?? "").toLowerCase().split(/[ \t]+/).filter((r) => r !== "");
      links.push({ target, rel, params });
    } else {
      skipMember();
    }
  }
  return links;
}

/** The target of the first link with relation `rel` (`"next"`), resolved against `base` when given. */
export function linkTarget(field: string | null | undefined, rel: string, base?: string): string | undefined {
  const wanted = rel.toLowerCase();
  const link = parseLinkHeader(field).find((l) => l.rel.includes(wanted));
  if (link === undefined) return undefined;
  if (base === undefined) return link.target;
  try {
    return new URL(link.target, base).href;
  } catch {
    return undefined;
  }
}
