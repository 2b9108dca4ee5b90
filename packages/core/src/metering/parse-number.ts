/**
 * Parses a header value that should be a plain decimal number. Anything else (empty, garbage,
 * absurdly long, non-finite) is `undefined`, never an exception.
 */
export function parseHeaderNumber(value: string | null | undefined): number | undefined {
  if (value == null || value.length === 0 || value.length > 32) return undefined;
  const trimmed = value.trim();
  if (!/^-?\d+(\.\d+)?$/.test(trimmed)) return undefined;
  const n = Number(trimmed);
  return Number.isFinite(n) ? n : undefined;
}
