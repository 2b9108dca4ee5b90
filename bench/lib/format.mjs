// How the bench README's generated tables write numbers, and the tables themselves.

/** A ratio: `1.07×`. */
export const x = (v) => (Number.isFinite(v) ? `${v.toFixed(2)}×` : "n/a");
/** A number with `d` decimals. */
export const n = (v, d = 0) => (Number.isFinite(v) ? v.toFixed(d) : "n/a");
/** Bytes: `565 B`, or kilobytes with `digits` decimals (`30.94 kB`). */
export const kb = (v, digits = 2) => (Number.isFinite(v) ? (v >= 1000 ? `${(v / 1000).toFixed(digits)} kB` : `${Math.round(v)} B`) : "n/a");
/** A Markdown table cell: `<` and `|` escaped. */
export const cell = (v) => String(v ?? "").replaceAll("<", "&lt;").replaceAll("|", "\\|");
/** A Markdown table. */
export const table = (headers, rows) =>
  [`| ${headers.map(cell).join(" | ")} |`, `|${headers.map(() => "---").join("|")}|`, ...rows.map((r) => `| ${r.map(cell).join(" | ")} |`)].join("\n");
