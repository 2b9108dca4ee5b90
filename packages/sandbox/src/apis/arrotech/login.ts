/** `POST /auth/login` (after validation against the spec): email + password → an HS256 JWT access token for internal Hub access. */
import type { Context } from "hono";
import type { AuthState } from "./auth-state.js";
import { verifyPassword } from "./identities.js";
import { input } from "./routes/deps.js";
import { SCOPES } from "./scopes.js";

export async function login(c: Context, state: AuthState, requestId: string): Promise<Response> {
  const { email, password } = input(c, "login").body;
  const entry = state.users.get(email.toLowerCase());
  if (!entry || !verifyPassword(password, entry.passwordHash)) return c.json({ code: "INVALID_CREDENTIALS", message: "Invalid email or password", requestId }, 401);
  const { user } = entry;
  const { token, expiresIn } = await state.accessToken({ type: "user", id: user.id, workspaceId: user.workspaceId, scopes: SCOPES });
  state.counters.logins += 1;
  c.header("Cache-Control", "no-store");
  return c.json({ access_token: token, token_type: "Bearer", expires_in: expiresIn, user: { id: user.id, email: user.email, name: user.name, role: user.role, workspaceId: user.workspaceId } });
}
