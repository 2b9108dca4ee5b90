/**
 * Drives oidc-provider's dev login and consent pages with `fetch`, the way a browser would:
 * follows redirects by hand (keeping cookies), submits each interaction form, and stops at the
 * redirect back to the client's `redirect_uri`.
 */

/** Minimal cookie jar: name → value, sent to every request on the provider's origin. */
class CookieJar {
  private readonly cookies = new Map<string, string>();
  store(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = ""] = line.split(";");
      const eq = pair.indexOf("=");
      if (eq > 0) this.cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
  }
  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }
}

function formOf(html: string, baseUrl: string): { action: string; fields: URLSearchParams } {
  const form = /<form[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/i.exec(html);
  if (!form?.[1]) throw new Error(`no interaction form in the page:\n${html.slice(0, 500)}`);
  const fields = new URLSearchParams();
  for (const input of form[2]?.matchAll(/<input[^>]*>/gi) ?? []) {
    const name = /name="([^"]+)"/.exec(input[0])?.[1];
    if (name) fields.set(name, /value="([^"]*)"/.exec(input[0])?.[1] ?? "");
  }
  return { action: new URL(form[1], baseUrl).href, fields };
}

/**
 * Follows an authorization request through login (as `login`) and consent; returns the final
 * redirect URL to the client (carrying `code` and `state`, or `error`).
 */
export async function signInThroughProvider(authorizeUrl: string, { login, redirectUri }: { login: string; redirectUri: string }): Promise<URL> {
  const jar = new CookieJar();
  let next: { url: string; init: RequestInit } = { url: authorizeUrl, init: { method: "GET" } };
  for (let hop = 0; hop < 20; hop += 1) {
    const response = await fetch(next.url, { ...next.init, redirect: "manual", headers: { ...(next.init.headers as Record<string, string>), cookie: jar.header() } });
    jar.store(response);
    const location = response.headers.get("location");
    if (response.status >= 300 && response.status < 400 && location) {
      await response.arrayBuffer();
      const target = new URL(location, next.url);
      if (target.href.startsWith(redirectUri)) return target;
      next = { url: target.href, init: { method: "GET" } };
      continue;
    }
    const html = await response.text();
    if (response.status !== 200) throw new Error(`the provider answered ${response.status}:\n${html.slice(0, 500)}`);
    const { action, fields } = formOf(html, next.url);
    if (fields.get("prompt") === "login") {
      fields.set("login", login);
      fields.set("password", "any-password");
    }
    next = { url: action, init: { method: "POST", body: fields.toString(), headers: { "content-type": "application/x-www-form-urlencoded" } } };
  }
  throw new Error("too many redirects through the provider");
}
