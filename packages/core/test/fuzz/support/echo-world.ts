/**
 * The canary scan's in-process world: one `Fetcher` that plays a token endpoint and the APIs, in
 * whatever mode a scenario sets, and echoes back every secret it received (credential headers,
 * query values, token request parameters) raw, percent-encoded, JSON-escaped and base64-encoded,
 * in bodies, `error_description` and headers; or throws an error carrying the request, as HTTP
 * libraries do; or never answers until the attempt's signal aborts.
 */
import type { Fetcher, FetcherInit } from "../../../src/index.js";

export const TOKEN_URL = "https://auth.canary.test/oauth/token";

export type ApiMode = "ok" | 401 | 403 | 500 | "html" | "throw" | "hang";
export type TokenMode = "ok" | "oauth-error" | "invalid-grant" | 500 | "invalid" | "html" | "throw" | "hang";

/** Everything a server could have received that is secret: credential headers, query values, token request parameters. */
export function receivedSecrets(url: string, init: FetcherInit): string[] {
  const out: string[] = [];
  const auth = init.headers["authorization"];
  if (auth !== undefined) {
    const [scheme, value = ""] = auth.split(/ (.*)/s);
    out.push(value);
    if (scheme?.toLowerCase() === "basic") {
      const decoded = Buffer.from(value, "base64").toString("utf8");
      const parts = decoded.split(/:(.*)/s).filter(Boolean);
      // Token endpoints get RFC 6749's form-encoded id and secret (§2.3.1); APIs get them as they are.
      out.push(decoded, ...(url.startsWith(TOKEN_URL) ? parts.map((p) => decodeURIComponent(p.replace(/\+/g, " "))) : parts));
    }
  }
  for (const name of ["x-api-key", "cookie"]) if (init.headers[name] !== undefined) out.push(init.headers[name] as string);
  for (const [, value] of new URL(url).searchParams) out.push(value);
  if (typeof init.body === "string") {
    const params: Array<[string, unknown]> = init.body.startsWith("{") ? Object.entries(JSON.parse(init.body) as object) : [...new URLSearchParams(init.body)];
    for (const [name, value] of params) if (/secret|token|code|verifier|password/.test(name)) out.push(String(value));
  }
  return out.filter((s) => s.length > 0);
}

/**
 * A secret in each of the encodings servers echo it in: as is, percent-encoded, base64; in a text
 * body also JSON-escaped (a JSON body escapes every string it holds already).
 */
const encodings = (secret: string, json: boolean): string[] => [secret, encodeURIComponent(secret), Buffer.from(secret).toString("base64"), ...(json ? [] : [JSON.stringify(secret).slice(1, -1)])];
const echo = (secrets: readonly string[], json = true): string => secrets.flatMap((s) => encodings(s, json)).join(" | ");
/** What a header can carry of a secret: its percent- and base64-encoded forms (and itself when it is printable ASCII). */
const headerEcho = (secrets: readonly string[]): string =>
  secrets.flatMap((s) => [encodeURIComponent(s), Buffer.from(s).toString("base64"), ...(/^[\x20-\x7e]*$/.test(s) && !s.includes('"') ? [s] : [])]).join(" ");

/** An error as an HTTP library makes it: the request (headers, body) kept on it, in its message and in its cause. */
function requestError(url: string, init: FetcherInit, what: string): Error {
  const secrets = receivedSecrets(url, init);
  const cause = new Error(`socket closed while writing ${String(init.body ?? "")} with ${secrets.join(" ")}`);
  const error = new Error(`${what} ${url}: request ${JSON.stringify(init.headers)} carried ${secrets.join(", ")}`, { cause }) as Error & Record<string, unknown>;
  error["code"] = "ECONNREFUSED";
  error["config"] = { url, method: init.method, headers: { ...init.headers }, data: init.body };
  error["request"] = { _header: `${init.method} ${url}\r\n${Object.entries(init.headers).map(([k, v]) => `${k}: ${v}`).join("\r\n")}` };
  error["errors"] = [new Error(`attempt with ${secrets.join(" ")}`)];
  return error;
}

/** The in-process world: a token endpoint and the APIs, in whatever mode the scenario sets. */
export function createWorld(issued: { readonly access: string; readonly refresh: string }) {
  const world = {
    api: "ok" as ApiMode,
    token: "ok" as TokenMode,
    fetcher: (async (url, init) => {
      const secrets = receivedSecrets(url, init);
      const mode = url.startsWith(TOKEN_URL) ? world.token : world.api;
      if (mode === "throw") throw requestError(url, init, "connect ECONNREFUSED");
      if (mode === "hang") {
        return new Promise<Response>((_, reject) => {
          const fail = (): void => reject(requestError(url, init, "aborted"));
          if (init.signal?.aborted) fail();
          init.signal?.addEventListener("abort", fail, { once: true });
        });
      }
      const headers = { "content-type": "application/json", "www-authenticate": `Bearer error="invalid_token", error_description="${headerEcho(secrets)}"`, "x-request-id": `req-${headerEcho(secrets.slice(0, 1))}`, "x-echo": headerEcho(secrets) };
      const json = (status: number, body: unknown): Response => new Response(JSON.stringify(body), { status, headers });
      if (url.startsWith(TOKEN_URL)) {
        switch (mode) {
          case "ok":
            return json(200, { access_token: issued.access, token_type: "Bearer", expires_in: 600, refresh_token: issued.refresh, scope: "data:read" });
          case "oauth-error":
            return json(401, { error: "invalid_client", error_description: `client authentication failed for ${echo(secrets)}` });
          case "invalid-grant":
            return json(400, { error: "invalid_grant", error_description: `refresh token ${echo(secrets)} was revoked` });
          case 500:
            return json(500, { message: `token service failed for ${echo(secrets)}`, request: { headers: init.headers, body: init.body } });
          case "invalid":
            return json(200, { access_token: issued.access, token_type: "mac", echo: echo(secrets), body: init.body });
          default:
            return new Response(`<html><pre>${echo(secrets, false)}</pre></html>`, { status: 200, headers: { ...headers, "content-type": "text/html" } });
        }
      }
      switch (mode) {
        case "ok":
          return json(200, { ok: true });
        case "html":
          return new Response(`<html><h1>502</h1><pre>Authorization: ${init.headers["authorization"] ?? ""}\n${echo(secrets, false)}</pre></html>`, { status: 502, headers: { ...headers, "content-type": "text/html" } });
        default:
          return json(mode as number, {
            message: `refused ${echo(secrets)}`,
            error: "invalid_token",
            error_description: echo(secrets),
            detail: `credentials ${secrets.map((s) => encodeURIComponent(s)).join(",")} are not valid`,
            request: { url, headers: init.headers },
          });
      }
    }) as Fetcher,
  };
  return world;
}

export type World = ReturnType<typeof createWorld>;
