/**
 * How the tour talks: numbered steps, indented facts, timings, a summary table. Also `check`, the
 * assertion every step uses, so a step that misbehaves fails the tour instead of printing a lie.
 */

/** Thrown by `check` when a step does not behave as the tour promises. */
export class TourCheckFailed extends Error {
  constructor(message) {
    super(message);
    this.name = "TourCheckFailed";
  }
}

/** Fails the current step with `message` unless `condition` holds. */
export function check(condition, message) {
  if (!condition) throw new TourCheckFailed(message);
}

/** Seconds with one decimal, e.g. `1.4 s`. */
export const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

/** A step's duration: milliseconds under a second, else seconds, e.g. `45 ms`, `6.1 s`. */
export const duration = (ms) => (ms < 1000 ? `${Math.round(ms)} ms` : seconds(ms));

/** A narrator writing lines through `log` (console.log by default). */
export function createNarrator(log = console.log) {
  return {
    title(text) {
      log("");
      log(text);
      log("=".repeat(text.length));
    },
    step(index, total, title) {
      log("");
      log(`[${index}/${total}] ${title}`);
    },
    /** The file that implements the current step, relative to the repository root. */
    file(path) {
      log(`      file: ${path}`);
    },
    /** One fact inside the current step. */
    say(text) {
      log(`      ${text}`);
    },
    done(ok, ms, text) {
      log(`      ${ok ? "✔" : "✘"} ${duration(ms)}${text ? ` — ${text}` : ""}`);
    },
    table(headers, rows) {
      const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
      const line = (cells) => `  ${cells.map((c, i) => String(c).padEnd(widths[i])).join("  ")}`.trimEnd();
      log("");
      log(line(headers));
      log(line(widths.map((w) => "-".repeat(w))));
      for (const row of rows) log(line(row));
    },
    blank() {
      log("");
    },
    raw(text) {
      log(text);
    },
  };
}
