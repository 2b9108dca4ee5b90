// Printing tables and writing bench/results/<name>.json with the machine the numbers came from.
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const benchDir = join(dirname(fileURLToPath(import.meta.url)), "..");
export const resultsDir = join(benchDir, "results");

/** The machine and runtime the numbers were measured on. */
export function machine() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? "unknown",
    cores: cpus.length,
    loadavg: os.loadavg().map((l) => Math.round(l * 100) / 100),
    totalMemMB: Math.round(os.totalmem() / 2 ** 20),
    node: process.version,
    platform: `${process.platform} ${os.release()}`,
  };
}

/** Prints `rows` (arrays of cells) under `headers`, columns padded; numbers right-aligned. */
export function printTable(title, headers, rows) {
  const cells = [headers, ...rows].map((row) => row.map((c) => (c === undefined || c === null ? "" : String(c))));
  const widths = headers.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? "").length)));
  const isNum = (s) => /^[-+]?[\d.,]+\s?[a-zA-Zµ%×/]*$/.test(s);
  const line = (row) => row.map((c, i) => (i > 0 && isNum(c) ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join("  ");
  console.log(`\n${title}`);
  console.log(line(cells[0]));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const row of cells.slice(1)) console.log(line(row));
}

/** Writes `bench/results/<name>.json` with the machine and a timestamp. */
export function writeResults(name, data) {
  mkdirSync(resultsDir, { recursive: true });
  const file = join(resultsDir, `${name}.json`);
  const payload = { benchmark: name, date: new Date().toISOString(), machine: machine(), ...data };
  writeFileSync(file, `${JSON.stringify(payload, null, 2)}\n`);
  console.log(`\nwrote ${file.slice(benchDir.length - "bench".length)}`);
  return file;
}

/** Formats a ratio as `1.03×`. */
export const ratio = (value) => (Number.isFinite(value) ? `${value.toFixed(2)}×` : "n/a");

/** Formats a number with `digits` decimals, or "n/a". */
export const fixed = (value, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : "n/a");

/** Formats bytes as B / kB (1000-based, as bundle tools print). */
export function bytes(value) {
  if (!Number.isFinite(value)) return "n/a";
  return value >= 1000 ? `${(value / 1000).toFixed(2)} kB` : `${Math.round(value)} B`;
}

/** Whether a workspace package's built entry exists and loads; returns the module or the reason it does not. */
export async function tryImport(specifier) {
  try {
    return { module: await import(specifier) };
  } catch (error) {
    return { reason: `${specifier} did not load (${error?.code ?? error?.name ?? "error"}: ${String(error?.message ?? error).split("\n")[0]})` };
  }
}
