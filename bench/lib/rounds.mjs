// Interleaved measurement: every round runs each contender once, in a rotated order, so drift on
// a shared machine hits all contenders alike; ratios are taken within a round, then summarized.
import { summarize } from "./stats.mjs";

const collect = () => (typeof globalThis.gc === "function" ? globalThis.gc() : undefined);

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
 * Runs `measure(contender)` (which returns `{ metric: number }`) for up to `rounds` rounds after
 * `warmup` unrecorded ones, rotating the order each round; stops early, after at least
 * `minRounds`, once `budgetMs` is spent. Returns per contender and metric the summary of its
 * samples and of its per-round ratio to `baseline` (sample / baseline's sample in that round).
 */
export async function interleave({ contenders, baseline, rounds, minRounds = 3, budgetMs = Infinity, warmup = 1, measure }) {
  const samples = new Map(contenders.map((c) => [c.name, {}]));
  const ratios = new Map(contenders.map((c) => [c.name, {}]));
  const t0 = performance.now();
  let done = 0;
  for (let r = -warmup; r < rounds; r++) {
    if (r >= minRounds && performance.now() - t0 > budgetMs) break;
    const round = new Map();
    const start = ((r % contenders.length) + contenders.length) % contenders.length;
    for (let i = 0; i < contenders.length; i++) {
      const c = contenders[(start + i) % contenders.length];
      collect();
      round.set(c.name, await measure(c));
    }
    if (r < 0) continue;
    done++;
    const base = round.get(baseline);
    for (const [name, metrics] of round) {
      for (const [metric, value] of Object.entries(metrics)) {
        (samples.get(name)[metric] ??= []).push(value);
        (ratios.get(name)[metric] ??= []).push(base?.[metric] === undefined ? Number.NaN : value / base[metric]);
      }
    }
  }
  const out = { rounds: done, contenders: {} };
  for (const c of contenders) {
    const metrics = {};
    for (const [metric, values] of Object.entries(samples.get(c.name))) {
      metrics[metric] = { ...summarize(values), ratio: summarize(ratios.get(c.name)[metric]) };
    }
    out.contenders[c.name] = metrics;
  }
  return out;
}
