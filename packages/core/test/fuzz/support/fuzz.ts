/**
 * The one place the property suites take their run count and seed from, and the runner that
 * prints what each property did.
 *
 * - `PORTICO_FUZZ_RUNS`: cases per property. Default 200, so `pnpm test` stays fast;
 *   `pnpm test:fuzz` sets 10000.
 * - `PORTICO_FUZZ_SEED`: the seed. Default fixed (`DEFAULT_SEED`), so every run checks the same
 *   cases; set it to explore others, or to replay the seed a failure printed.
 *
 * Each property prints one line, e.g. `fuzz: token responses → 10000 cases, 0 failures (seed …)`.
 * Shared by the core and codegen suites (codegen imports this file).
 */
import fc from "fast-check";

/** Cases per property inside `pnpm test`. */
export const DEFAULT_RUNS = 200;
/** The seed every run uses unless `PORTICO_FUZZ_SEED` says otherwise. */
export const DEFAULT_SEED = 1_202_612;

function positiveInteger(name: string, fallback: number, { allowNegative = false } = {}): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || (!allowNegative && value <= 0)) {
    throw new Error(`${name} must be a ${allowNegative ? "" : "positive "}whole number, got ${JSON.stringify(raw)}`);
  }
  return value;
}

/** Cases per property for this run. */
export const FUZZ_RUNS = positiveInteger("PORTICO_FUZZ_RUNS", DEFAULT_RUNS);
/** Seed of this run. */
export const FUZZ_SEED = positiveInteger("PORTICO_FUZZ_SEED", DEFAULT_SEED, { allowNegative: true });

/** A share of the run count for a slower variant (a loopback socket per case), at least `min`. */
export function runsFor(share: number, min = 10): number {
  return Math.max(min, Math.ceil(FUZZ_RUNS * share));
}

/**
 * A test timeout that grows with the run count: `msPerCase` is about what one case costs on an
 * idle machine; the timeout allows eight times that (a loaded CI machine), plus a minute. The
 * properties are never timed, only kept from hanging forever.
 */
export function fuzzTimeout(msPerCase: number, runs: number = FUZZ_RUNS): number {
  return Math.ceil(runs * msPerCase * 8) + 60_000;
}

/** Outcome counts of a property's cases (printed with its line, so a vacuous property shows). */
export class Tally extends Map<string, number> {
  /** Counts one case under `label`. */
  add(label: string): void {
    this.set(label, (this.get(label) ?? 0) + 1);
  }
}

/**
 * Checks a property with the run's seed and run count, prints its line, and fails the test with
 * fast-check's report (the shrunk counterexample and how to replay it) when it does not hold.
 */
export async function checkProperty<Ts extends [unknown, ...unknown[]]>(
  name: string,
  property: fc.IAsyncPropertyWithHooks<Ts> | fc.IPropertyWithHooks<Ts>,
  runs: number = FUZZ_RUNS,
  tally?: Tally,
): Promise<void> {
  const details = await fc.check(property as fc.IAsyncPropertyWithHooks<Ts>, { numRuns: runs, seed: FUZZ_SEED });
  const cases = details.numRuns;
  const counts = tally === undefined || tally.size === 0 ? "" : `; ${[...tally].map(([label, n]) => `${label} ${n}`).join(", ")}`;
  console.log(`fuzz: ${name} → ${cases} cases, ${details.failed ? 1 : 0} failures (seed ${details.seed}${counts})`);
  if (details.failed) {
    const cause = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
    throw new Error(
      `${name}: ${fc.defaultReportMessage(details) ?? "failed"}\n\nWhat did not hold: ${cause}\n\nReplay: PORTICO_FUZZ_SEED=${details.seed} PORTICO_FUZZ_RUNS=${runs} (same run count), or fc.check with { seed: ${details.seed}, path: "${details.counterexamplePath ?? ""}" }.`,
    );
  }
}
