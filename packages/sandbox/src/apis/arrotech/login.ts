/** `POST /auth/login`: email + password → an HS256 JWT access token for internal Hub access. */
import type { Context } from "hono";
import { z } from "zod";
import type { AuthState } from "./auth-state.js";
import { verifyPassword } from "./identities.js";
import { SCOPES } from "./scopes.js";

const loginBody = z.strictObject({ email: z.email(), password: z.string().min(1) });

export async function login(c: Context, state: AuthState, requestId: string): Promise<Response> {
  const problem = (status: 400 | 401, code: string, message: string, details?: Record<string, unknown>) =>
    c.json({ code, message, requestId, ...(details ? { details } : {}) }, status);
  let raw: unknown;
  try {
    raw = JSON.parse(await c.req.text());
  } catch {
    return problem(400, "VALIDATION_ERROR", "Request body is not valid JSON");
  }
  const parsed = loginBody.safeParse(raw);
  if (!parsed.success) {
    return problem(400, "VALIDATION_ERROR", "email and password are required", { issues: parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })) });
  }
  const entry = state.users.get(parsed.data.email.toLowerCase());
  if (!entry || !verifyPassword(parsed.data.password, entry.passwordHash)) return problem(401, "INVALID_CREDENTIALS", "Invalid email or password");
  const { user } = entry;
  const { token, expiresIn } = await state.accessToken({ type: "user", id: user.id, workspaceId: user.workspaceId, scopes: SCOPES });
  state.counters.logins += 1;
  c.header("Cache-Control", "no-store");
  return c.json({ access_token: token, token_type: "Bearer", expires_in: expiresIn, user: { id: user.id, email: user.email, name: user.name, role: user.role, workspaceId: user.workspaceId } });
}
