// Order statistics for benchmark samples: median, quartiles, median absolute deviation.

/** Sorted copy of the finite numbers in `values`. */
function sorted(values) {
  return values.filter(Number.isFinite).sort((a, b) => a - b);
}

/** Linear-interpolated quantile `q` in [0, 1] of `values` (NaN when empty). */
export function quantile(values, q) {
  const s = sorted(values);
  if (s.length === 0) return Number.NaN;
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}

export const median = (values) => quantile(values, 0.5);

/** Median absolute deviation from the median. */
export function mad(values) {
  const m = median(values);
  return median(values.map((v) => Math.abs(v - m)));
}

/** `{ median, p25, p75, mad, n }` of a sample. */
export function summarize(values) {
  return { median: median(values), p25: quantile(values, 0.25), p75: quantile(values, 0.75), mad: mad(values), n: values.length };
}

/** Rounds to `digits` significant-ish decimals for JSON output. */
export function round(value, digits = 3) {
  if (!Number.isFinite(value)) return null;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
