/** A loopback HTTP call for the sandbox tests: bearer token, JSON or raw body, redirects not followed, JSON answer parsed. */

/** A parsed JSON answer (tests index into it freely). */
export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** What `call` sends: `body` as JSON, or `raw` as is (set its `Content-Type` in `headers`). */
export interface CallInit {
  readonly token?: string;
  readonly method?: string;
  readonly body?: unknown;
  readonly raw?: string;
  readonly headers?: Record<string, string>;
}

/** Calls `base + path` and returns the status, headers and parsed body (undefined when empty). */
export async function call(base: string, path: string, init: CallInit = {}): Promise<{ status: number; headers: Headers; body: Json }> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.token) headers["Authorization"] = `Bearer ${init.token}`;
  if (init.body !== undefined || init.raw !== undefined) headers["Content-Type"] ??= "application/json";
  const res = await fetch(`${base}${path}`, { method: init.method ?? "GET", headers, body: init.raw ?? (init.body === undefined ? undefined : JSON.stringify(init.body)), redirect: "manual" });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : undefined) as Json };
}
