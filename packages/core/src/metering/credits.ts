import type { CreditsInfo } from "../client/types.js";
import type { HeaderView } from "../internal/header-view.js";
import { parseHeaderNumber } from "./parse-number.js";

/**
 * Reads `X-Credits-Remaining` and `X-Credits-Cost` from a response. Missing or non-numeric
 * values are left out; returns `undefined` when neither header is usable.
 *
 * @see seeds/erip-auth.txt, "Credits"
 */
export function parseCredits(headers: HeaderView): CreditsInfo | undefined {
  const remaining = parseHeaderNumber(headers.get("x-credits-remaining"));
  const cost = parseHeaderNumber(headers.get("x-credits-cost"));
  if (remaining === undefined && cost === undefined) return undefined;
  const credits: { remaining?: number; cost?: number } = {};
  if (remaining !== undefined) credits.remaining = remaining;
  if (cost !== undefined) credits.cost = cost;
  return credits;
}
