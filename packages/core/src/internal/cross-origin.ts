/**
 * The origin a fetcher actually reached when it followed a redirect to another origin despite
 * being asked not to (`redirect: "manual"` or `"error"`), or `undefined`. Whatever was sent went
 * there too, so the caller refuses the answer (and cancels its body).
 */
export function followedToOtherOrigin(response: Response, requested: string): string | undefined {
  if (!response.redirected || !response.url) return undefined;
  let landed: string;
  try {
    landed = new URL(response.url).origin;
  } catch {
    return undefined;
  }
  if (landed === new URL(requested).origin) return undefined;
  response.body?.cancel().catch(() => undefined);
  return landed;
}
