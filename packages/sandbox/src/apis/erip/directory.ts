/**
 * Tenants, users, invites and magic links of the ERIP sandbox, and the email outbox they write to.
 * Invite and magic-link tokens are stored as SHA-256 hashes; magic links are single-use, 15 min.
 * @see seeds/erip-auth.txt ("The tenant/user model", "First-time sign-in")
 */
import { createHash, randomBytes, randomUUID } from "node:crypto";

export type TenantRole = "Admin" | "Member";
export type UserStatus = "Invited" | "Active" | "Suspended";
export type Tier = "Trial" | "Starter" | "Professional" | "Enterprise";

export interface TenantContact {
  contactName: string;
  billingEmail: string;
  phone: string | null;
  addressLine1: string | null;
  addressLine2: string | null;
  city: string | null;
  postalCode: string | null;
  country: string | null;
}

export interface Tenant {
  readonly id: string;
  displayName: string;
  tier: Tier;
  contact: TenantContact;
}

export interface User {
  readonly id: string;
  readonly tenantId: string;
  name: string;
  readonly email: string;
  tenantRole: TenantRole;
  status: UserStatus;
  /** SHA-256 of the pending invite token; cleared when the invite is accepted. */
  inviteTokenHash: string | null;
  readonly createdAt: number;
}

export interface InviteRecord {
  readonly id: string;
  readonly tenantId: string;
  readonly userId: string;
  readonly email: string;
  readonly name: string;
  readonly tenantRole: TenantRole;
  status: "Pending" | "Accepted" | "Revoked";
  readonly createdAt: number;
  readonly expiresAt: number;
}

interface MagicLink {
  readonly userId: string;
  readonly expiresAt: number;
  usedAt: number | null;
}

/** One email the sandbox "sent": tests and the demo read links from here. */
export interface OutboxEmail {
  readonly id: string;
  readonly to: string;
  readonly kind: "invite" | "login-link";
  readonly subject: string;
  /** The link in the email (absolute, on the sandbox's API origin). */
  readonly link: string;
  /** The raw token inside `link`. */
  readonly token: string;
  readonly sentAt: number;
}

/** Magic links live 15 minutes; invites 7 days. */
export const MAGIC_LINK_TTL_MS = 15 * 60 * 1000;
export const INVITE_TTL_MS = 7 * 24 * 60 * 60 * 1000;

const sha256 = (text: string): string => createHash("sha256").update(text).digest("hex");
const newToken = (): string => randomBytes(32).toString("base64url");

export type InviteCheck =
  | { readonly ok: true; readonly user: User; readonly invite: InviteRecord }
  | { readonly ok: false; readonly code: "INVITE_INVALID" | "INVITE_EXPIRED" };

export type LoginLinkCheck = { readonly ok: true; readonly user: User } | { readonly ok: false; readonly code: "LOGIN_LINK_INVALID" | "LOGIN_LINK_EXPIRED" };

/** The directory: tenants, users, invites, magic links, outbox. */
export interface Directory {
  readonly outbox: OutboxEmail[];
  addTenant(input: { readonly id?: string; readonly displayName: string; readonly tier: Tier; readonly contact: TenantContact }): Tenant;
  tenant(id: string): Tenant | undefined;
  addUser(input: { readonly id?: string; readonly tenantId: string; readonly name: string; readonly email: string; readonly tenantRole: TenantRole; readonly status: UserStatus }): User;
  user(id: string): User | undefined;
  userByEmail(email: string): User | undefined;
  usersOf(tenantId: string): User[];
  removeUser(id: string): void;
  /** Creates an invite for an `Invited` user and emails its link; returns the raw token. */
  invite(user: User): { readonly invite: InviteRecord; readonly token: string };
  invitesOf(tenantId: string): InviteRecord[];
  inviteById(id: string): InviteRecord | undefined;
  revokeInvite(invite: InviteRecord): void;
  /** Accepts an invite: user `Active`, invite token cleared, magic link emailed. */
  acceptInvite(rawToken: string): InviteCheck;
  /** Emails a fresh magic link to the user; returns the raw token. */
  sendMagicLink(user: User): string;
  /** Consumes a magic link (single use, 15 min). */
  useMagicLink(rawToken: string): LoginLinkCheck;
}

/** Creates an empty directory; links in emails point at `apiOrigin`. */
export function createDirectory(now: () => number, apiOrigin: string): Directory {
  const tenants = new Map<string, Tenant>();
  const users = new Map<string, User>();
  const invites = new Map<string, InviteRecord>();
  const magicLinks = new Map<string, MagicLink>();
  const outbox: OutboxEmail[] = [];

  const send = (to: string, kind: OutboxEmail["kind"], subject: string, path: string, token: string): void => {
    outbox.push({ id: randomUUID(), to, kind, subject, link: `${apiOrigin}${path}?token=${encodeURIComponent(token)}`, token, sentAt: now() });
  };

  const directory: Directory = {
    outbox,
    addTenant({ id, displayName, tier, contact }) {
      const tenant: Tenant = { id: id ?? randomUUID(), displayName, tier, contact };
      tenants.set(tenant.id, tenant);
      return tenant;
    },
    tenant: (id) => tenants.get(id),
    addUser({ id, tenantId, name, email, tenantRole, status }) {
      if (!tenants.has(tenantId)) throw new RangeError(`no ERIP tenant ${JSON.stringify(tenantId)}`);
      if (directory.userByEmail(email)) throw new RangeError(`an ERIP user with email ${email} already exists`);
      const user: User = { id: id ?? randomUUID(), tenantId, name, email, tenantRole, status, inviteTokenHash: null, createdAt: now() };
      users.set(user.id, user);
      return user;
    },
    user: (id) => users.get(id),
    userByEmail(email) {
      const wanted = email.toLowerCase();
      for (const user of users.values()) if (user.email.toLowerCase() === wanted) return user;
      return undefined;
    },
    usersOf: (tenantId) => [...users.values()].filter((u) => u.tenantId === tenantId),
    removeUser(id) {
      users.delete(id);
    },
    invite(user) {
      const tenant = tenants.get(user.tenantId);
      const token = newToken();
      const invite: InviteRecord = {
        id: randomUUID(),
        tenantId: user.tenantId,
        userId: user.id,
        email: user.email,
        name: user.name,
        tenantRole: user.tenantRole,
        status: "Pending",
        createdAt: now(),
        expiresAt: now() + INVITE_TTL_MS,
      };
      invites.set(invite.id, invite);
      user.inviteTokenHash = sha256(token);
      send(user.email, "invite", `You're invited to ${tenant?.displayName ?? "ERIP"} on ERIP`, "/v1/auth/accept-invite", token);
      return { invite, token };
    },
    invitesOf: (tenantId) => [...invites.values()].filter((i) => i.tenantId === tenantId),
    inviteById: (id) => invites.get(id),
    revokeInvite(invite) {
      invite.status = "Revoked";
      const user = users.get(invite.userId);
      if (user && user.status === "Invited") users.delete(user.id);
    },
    acceptInvite(rawToken) {
      const hash = sha256(rawToken);
      const user = [...users.values()].find((u) => u.inviteTokenHash === hash);
      const invite = user ? [...invites.values()].find((i) => i.userId === user.id && i.status === "Pending") : undefined;
      if (!user || !invite) return { ok: false, code: "INVITE_INVALID" };
      if (invite.expiresAt <= now()) return { ok: false, code: "INVITE_EXPIRED" };
      user.status = "Active";
      user.inviteTokenHash = null;
      invite.status = "Accepted";
      directory.sendMagicLink(user);
      return { ok: true, user, invite };
    },
    sendMagicLink(user) {
      const token = newToken();
      magicLinks.set(sha256(token), { userId: user.id, expiresAt: now() + MAGIC_LINK_TTL_MS, usedAt: null });
      send(user.email, "login-link", "Your ERIP sign-in link", "/v1/auth/login-link", token);
      return token;
    },
    useMagicLink(rawToken) {
      const link = magicLinks.get(sha256(rawToken));
      if (!link || link.usedAt !== null) return { ok: false, code: "LOGIN_LINK_INVALID" };
      if (link.expiresAt <= now()) return { ok: false, code: "LOGIN_LINK_EXPIRED" };
      const user = users.get(link.userId);
      if (!user || user.status !== "Active") return { ok: false, code: "LOGIN_LINK_INVALID" };
      link.usedAt = now();
      return { ok: true, user };
    },
  };
  return directory;
}
