/**
 * `/v1/tenant/**`: invites, members, service keys, contact, credits and history. JWT only, and
 * only for tenant admins (the TenantAdmin policy).
 */
import type { Hono } from "hono";
import { page } from "../../framework/pages.js";
import { apiKeyJson, inviteJson, memberJson, type EripDeps } from "./deps.js";
import type { EripEnv } from "./env.js";
import { EripProblem, input, iso } from "./http.js";

export function registerTenantRoutes(app: Hono<EripEnv>, deps: EripDeps): void {
  const { directory, keys, ledger } = deps;
  const admin = deps.guard("admin");
  const tenantOf = (c: { get(key: "caller"): { tenant: { id: string } } }) => c.get("caller").tenant.id;

  app.get("/v1/tenant/invites", admin, (c) => {
    const now = deps.now();
    return c.json({ data: directory.invitesOf(tenantOf(c)).map((i) => inviteJson(i, now)) }, 200);
  });

  app.post("/v1/tenant/invites", admin, (c) => {
    const body = input(c, "createInvite").body;
    if (directory.userByEmail(body.email)) throw new EripProblem(409, "CONFLICT", "A user with this email already exists", { email: body.email });
    const user = directory.addUser({ tenantId: tenantOf(c), name: body.name, email: body.email, tenantRole: body.tenantRole ?? "Member", status: "Invited" });
    const { invite } = directory.invite(user);
    return c.json(inviteJson(invite, deps.now()), 201);
  });

  app.delete("/v1/tenant/invites/:inviteId", admin, (c) => {
    const invite = directory.inviteById(input(c, "revokeInvite").path.inviteId);
    if (!invite || invite.tenantId !== tenantOf(c) || invite.status !== "Pending") throw new EripProblem(404, "NOT_FOUND", "Invite not found");
    directory.revokeInvite(invite);
    return c.body(null, 204);
  });

  app.get("/v1/tenant/members", admin, (c) => c.json({ data: directory.usersOf(tenantOf(c)).map(memberJson) }, 200));

  app.patch("/v1/tenant/members/:userId", admin, (c) => {
    const { path, body: patch } = input(c, "updateMember");
    const user = directory.user(path.userId);
    if (!user || user.tenantId !== tenantOf(c)) throw new EripProblem(404, "NOT_FOUND", "Member not found");
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

  app.post("/v1/tenant/api-keys/service", admin, (c) => {
    const { name } = input(c, "createServiceKey").body;
    const { record, key } = keys.create({ tenantId: tenantOf(c), type: "service", userId: null, name });
    return c.json({ ...apiKeyJson(record), key }, 201);
  });

  app.delete("/v1/tenant/api-keys/service/:keyId", admin, (c) => {
    const id = input(c, "revokeServiceKey").path.keyId;
    const key = keys.get(id);
    if (!key || key.type !== "service" || key.tenantId !== tenantOf(c) || key.revokedAt !== null) throw new EripProblem(404, "NOT_FOUND", "Service key not found");
    keys.revoke(id);
    return c.body(null, 204);
  });

  app.get("/v1/tenant/contact", admin, (c) => c.json(directory.tenant(tenantOf(c))?.contact ?? {}, 200));

  app.put("/v1/tenant/contact", admin, (c) => {
    const contact = input(c, "updateTenantContact").body;
    const tenant = directory.tenant(tenantOf(c));
    if (!tenant) throw new EripProblem(404, "NOT_FOUND", "Tenant not found");
    tenant.contact = {
      contactName: contact.contactName,
      billingEmail: contact.billingEmail,
      phone: contact.phone ?? null,
      addressLine1: contact.addressLine1 ?? null,
      addressLine2: contact.addressLine2 ?? null,
      city: contact.city ?? null,
      postalCode: contact.postalCode ?? null,
      country: contact.country ?? null,
    };
    return c.json(tenant.contact, 200);
  });

  app.get("/v1/tenant/credits", admin, (c) => {
    const tenantId = tenantOf(c);
    const { balance, updatedAt } = ledger.balance(tenantId);
    return c.json({ tenantId, balance, updatedAt: iso(updatedAt) }, 200);
  });

  app.get("/v1/tenant/credits/history", admin, (c) => {
    const { data, nextCursor } = page(ledger.history(tenantOf(c)), input(c, "getTenantCreditHistory").query);
    return c.json({ data, nextCursor }, 200);
  });
}
