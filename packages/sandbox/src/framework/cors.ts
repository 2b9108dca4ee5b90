/**
 * CORS for browser callers of the sandboxes (the browser package's tests and examples): any
 * origin, any request header, every response header exposed. Credentials travel in headers, never
 * cookies, so no `Allow-Credentials`.
 */
export function preflightResponse(request: Request): Response | undefined {
  if (request.method !== "OPTIONS" || !request.headers.get("origin") || !request.headers.get("access-control-request-method")) return undefined;
  return new Response(null, {
    status: 204,
    headers: {
      "access-control-allow-origin": request.headers.get("origin") ?? "*",
      "access-control-allow-methods": "GET, POST, PUT, PATCH, DELETE, OPTIONS",
      "access-control-allow-headers": request.headers.get("access-control-request-headers") ?? "*",
      "access-control-max-age": "600",
      vary: "Origin",
    },
  });
}

/** Adds the CORS response headers when the request came from a browser origin. */
export function withCors(request: Request, response: Response): Response {
  const origin = request.headers.get("origin");
  if (!origin || response.headers.has("access-control-allow-origin")) return response;
  const copy = new Response(response.body, response);
  copy.headers.set("access-control-allow-origin", origin);
  copy.headers.set("access-control-expose-headers", "*");
  copy.headers.append("vary", "Origin");
  return copy;
}
