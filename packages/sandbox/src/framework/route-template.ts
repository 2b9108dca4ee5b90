/** A compiled `"/v1/items/{itemId}"`-style path template. */
export interface PathTemplate {
  readonly template: string;
  /** Number of literal (non-parameter) segments, to prefer `/a/b` over `/a/{x}`. */
  readonly literalSegments: number;
  /** Parameter values by name when `path` matches, else undefined. */
  match(path: string): Record<string, string> | undefined;
}

/** Compiles an OpenAPI path template (`{name}` segments) into a matcher. */
export function compilePathTemplate(template: string): PathTemplate {
  const names: string[] = [];
  let literalSegments = 0;
  const source = template
    .split("/")
    .map((segment) => {
      if (!segment.includes("{")) {
        if (segment) literalSegments += 1;
        return escapeRegExp(segment);
      }
      return segment
        .split(/(\{[^}]+\})/)
        .map((part) => {
          const param = /^\{([^}]+)\}$/.exec(part);
          if (!param?.[1]) return escapeRegExp(part);
          names.push(param[1]);
          return "([^/]+)";
        })
        .join("");
    })
    .join("/");
  const regex = new RegExp(`^${source}/?$`);
  return {
    template,
    literalSegments,
    match(path) {
      const m = regex.exec(path);
      if (!m) return undefined;
      const params: Record<string, string> = {};
      names.forEach((name, i) => {
        params[name] = safeDecode(m[i + 1] ?? "");
      });
      return params;
    },
  };
}

/** A fault rule's route: `"*"`, `"METHOD *"`, `"/template"` (any method) or `"METHOD /template"`. */
export interface RouteMatcher {
  matches(method: string, path: string): boolean;
}

/** Parses a `FaultRule.route` string. Throws `TypeError` naming the problem. */
export function parseRoute(route: string): RouteMatcher {
  const trimmed = route.trim();
  if (trimmed === "*") return { matches: () => true };
  const m = /^(?:([A-Za-z]+)\s+)?(\*|\/\S*)$/.exec(trimmed);
  if (!m?.[2]) {
    throw new TypeError(`"route" must be "*", "METHOD *", "/path/{param}" or "METHOD /path/{param}", got ${JSON.stringify(route)}`);
  }
  const method = m[1]?.toUpperCase();
  const template = m[2] === "*" ? undefined : compilePathTemplate(m[2]);
  return {
    matches: (reqMethod, path) =>
      (method === undefined || method === reqMethod.toUpperCase()) && (template === undefined || template.match(path) !== undefined),
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
