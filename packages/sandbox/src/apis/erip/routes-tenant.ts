/**
 * `/v1/tenant/**`: invites, members, service keys, contact, credits and history. JWT only, and
 * only for tenant admins (the TenantAdmin policy).
 */
import type { Hono } from "hono";
import { apiKeyJson, inviteJson, memberJson, page, type EripDeps } from "./deps.js";
import type { EripEnv } from "./env.js";
import { EripProblem, iso, readJson, readParam, readQuery } from "./http.js";
import * as s from "./schemas.js";

export function registerTenantRoutes(app: Hono<EripEnv>, deps: EripDeps): void {
  const { directory, keys, ledger } = deps;
  const admin = deps.guard("admin");
  const tenantOf = (c: { get(key: "caller"): { tenant: { id: string } } }) => c.get("caller").tenant.id;

  app.get("/v1/tenant/invites", admin, (c) => {
    const now = deps.now();
    return c.json({ data: directory.invitesOf(tenantOf(c)).map((i) => inviteJson(i, now)) }, 200);
  });

  app.post("/v1/tenant/invites", admin, async (c) => {
    const input = await readJson(c, s.createInvite);
    if (directory.userByEmail(input.email)) throw new EripProblem(409, "CONFLICT", "A user with this email already exists", { email: input.email });
    const user = directory.addUser({ tenantId: tenantOf(c), name: input.name, email: input.email, tenantRole: input.tenantRole ?? "Member", status: "Invited" });
    const { invite } = directory.invite(user);
    return c.json(inviteJson(invite, deps.now()), 201);
  });

  app.delete("/v1/tenant/invites/:inviteId", admin, (c) => {
    const id = readParam(c, "inviteId", s.uuid);
    const invite = directory.inviteById(id);
    if (!invite || invite.tenantId !== tenantOf(c) || invite.status !== "Pending") throw new EripProblem(404, "NOT_FOUND", "Invite not found");
    directory.revokeInvite(invite);
    return c.body(null, 204);
  });

  app.get("/v1/tenant/members", admin, (c) => c.json({ data: directory.usersOf(tenantOf(c)).map(memberJson) }, 200));

  app.patch("/v1/tenant/members/:userId", admin, async (c) => {
    const id = readParam(c, "userId", s.uuid);
    const user = directory.user(id);
    if (!user || user.tenantId !== tenantOf(c)) throw new EripProblem(404, "NOT_FOUND", "Member not found");
    const patch = await readJson(c, s.updateMember);
    const self = c.get("caller").user;
    if (self?.id === user.id && (patch.status === "Suspended" || patch.tenantRole === "Member")) {
      throw new EripProblem(409, "CONFLICT", "Admins cannot suspend or demote themselves");
    }
    if (patch.status !== undefined && user.status === "Invited") throw new EripProblem(409, "CONFLICT", "The user has not accepted their invite yet");
    if (patch.tenantRole) user.tenantRole = patch.tenantRole;
    if (patch.status) {
      user.status = patch.status;
      // User keys die with the suspension (and stay dead if the user comes back).
      if (patch.status === "Suspended") keys.revokeUserKeys(user.id);
    }
    return c.json(memberJson(user), 200);
  });

  app.get("/v1/tenant/api-keys/service", admin, (c) => c.json({ data: keys.list(tenantOf(c), { type: "service" }).map(apiKeyJson) }, 200));

  app.post("/v1/tenant/api-keys/service", admin, async (c) => {
    const { name } = await readJson(c, s.createApiKey);
    const { record, key } = keys.create({ tenantId: tenantOf(c), type: "service", userId: null, name });
    return c.json({ ...apiKeyJson(record), key }, 201);
  });

  app.delete("/v1/tenant/api-keys/service/:keyId", admin, (c) => {
    const id = readParam(c, "keyId", s.uuid);
    const key = keys.get(id);
    if (!key || key.type !== "service" || key.tenantId !== tenantOf(c) || key.revokedAt !== null) throw new EripProblem(404, "NOT_FOUND", "Service key not found");
    keys.revoke(id);
    return c.body(null, 204);
  });

  app.get("/v1/tenant/contact", admin, (c) => c.json(directory.tenant(tenantOf(c))?.contact ?? {}, 200));

  app.put("/v1/tenant/contact", admin, async (c) => {
    const input = await readJson(c, s.tenantContact);
    const tenant = directory.tenant(tenantOf(c));
    if (!tenant) throw new EripProblem(404, "NOT_FOUND", "Tenant not found");
    tenant.contact = {
      contactName: input.contactName,
      billingEmail: input.billingEmail,
      phone: input.phone ?? null,
      addressLine1: input.addressLine1 ?? null,
      addressLine2: input.addressLine2 ?? null,
      city: input.city ?? null,
      postalCode: input.postalCode ?? null,
      country: input.country ?? null,
    };
    return c.json(tenant.contact, 200);
  });

  app.get("/v1/tenant/credits", admin, (c) => {
    const tenantId = tenantOf(c);
    const { balance, updatedAt } = ledger.balance(tenantId);
    return c.json({ tenantId, balance, updatedAt: iso(updatedAt) }, 200);
  });

  app.get("/v1/tenant/credits/history", admin, (c) => {
    const { limit, cursor } = readQuery(c, s.historyQuery);
    const result = page(ledger.history(tenantOf(c)), cursor, limit);
    if (!result) throw new EripProblem(400, "VALIDATION_ERROR", "cursor: not a cursor this API issued");
    return c.json(result, 200);
  });
}
