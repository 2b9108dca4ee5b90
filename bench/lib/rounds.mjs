// Interleaved measurement: every round runs each contender once, in a rotated order, so drift on
// a shared machine hits all contenders alike; ratios are taken within a round, then summarized.
//
// No forced GC here: V8 collects when it would in an application, so a timed segment includes the
// collections its own allocation triggers. (A `gc()` right before each segment would hand every
// contender a clean heap, leave out the cost of its garbage, and charge it the concurrent sweeping
// that a full GC starts on helper threads, which `process.cpuUsage()` counts: a constant added to
// every contender that pulls every ratio towards 1.)
import { summarize } from "./stats.mjs";

/** Wall and process-CPU microseconds per call of `n` sequential calls of `fn`. */
export async function sequential(fn, n) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await fn();
  return perCall(t0, c0, n);
}

/** Wall and process-CPU microseconds per call of `n` calls of `fn`, `inflight` at a time. */
export async function concurrent(fn, n, inflight) {
  let started = 0;
  const worker = async () => {
    while (started < n) {
      started++;
      await fn();
    }
  };
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(Array.from({ length: Math.min(inflight, n) }, worker));
  return perCall(t0, c0, n);
}

function perCall(t0, c0, n) {
  const wall = ((performance.now() - t0) * 1000) / n;
  const cpu = process.cpuUsage(c0);
  return { wall, cpu: (cpu.user + cpu.system) / n };
}

/**
 * Runs `measure(contender)` (which returns `{ metric: number }`) for exactly `rounds` recorded
 * rounds after `warmup` unrecorded ones, rotating the order each round (no time budget: every
 * stated round runs). Returns the recorded rounds (`perRound[i]`: contender name → metrics) and,
 * per contender and metric, the summary of its samples and of its per-round ratio to `baseline`.
 * Ratios to any other contender of the same rounds: {@link roundRatios}.
 */
export async function interleave({ contenders, baseline, rounds, warmup = 1, measure }) {
  const perRound = [];
  for (let r = -warmup; r < rounds; r++) {
    const round = {};
    const start = ((r % contenders.length) + contenders.length) % contenders.length;
    for (let i = 0; i < contenders.length; i++) {
      const c = contenders[(start + i) % contenders.length];
      round[c.name] = await measure(c);
    }
    if (r >= 0) perRound.push(round);
  }
  const out = { rounds: perRound.length, perRound, contenders: {} };
  for (const c of contenders) {
    const metrics = {};
    for (const metric of Object.keys(perRound[0]?.[c.name] ?? {})) {
      metrics[metric] = {
        ...summarize(perRound.map((round) => round[c.name][metric])),
        ratio: summarize(roundRatios(out, c.name, baseline, metric)),
      };
    }
    out.contenders[c.name] = metrics;
  }
  return out;
}

/** Per-round ratios `name ÷ reference` of `metric` (NaN for a round where either is missing). */
export function roundRatios(result, name, reference, metric) {
  return result.perRound.map((round) => {
    const a = round[name]?.[metric];
    const b = round[reference]?.[metric];
    return a === undefined || b === undefined ? Number.NaN : a / b;
  });
}
