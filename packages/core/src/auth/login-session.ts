import { PorticoError } from "../errors/portico-error.js";
import { systemClock, type Clock } from "../internal/clock.js";
import { readJwtClaims } from "../internal/jwt.js";
import { fingerprint } from "../internal/redact.js";
import { toEpochMs } from "../tokens/cached-token.js";
import type { SessionExpiredEvent } from "./authorization-code.js";
import type { Credential } from "./credential.js";
import { defineCredential } from "./define-credential.js";
import { checkCredentialOptions, loginSessionSchema } from "./credential-options.js";
import { invalidOption, requireString } from "./options.js";

/** A session token and its end: ERIP's `LoginResponse` (other members ignored) or Arrotech `/auth/login`. */
export interface LoginSessionInput {
  readonly token: string;
  /** ISO 8601 (ERIP), epoch seconds/ms or Date; default: the JWT's `exp`. */
  readonly expiresAt?: string | number | Date;
  readonly user?: unknown;
  readonly tenant?: unknown;
}

/** Options of `loginSession`. */
export interface LoginSessionOptions extends LoginSessionInput {
  /** Called once per session when it ends (expired, or refused by the API with 401). */
  readonly onSessionExpired?: (event: SessionExpiredEvent) => void;
  readonly clock?: Clock;
  /** Stop sending the token this long before `expiresAt` (time for the trip). @default 5000, at most 10% of the session */
  readonly expiryMarginMs?: number;
}

/** A login session credential; `renew` swaps in the session of a new sign-in. */
export interface LoginSessionCredential extends Credential<"bearer"> {
  renew(session: LoginSessionInput): void;
  /** End of the session, epoch ms. */
  readonly expiresAt: number;
  /** Whether the session has ended. */
  expired(): boolean;
}

const FACTORY = "loginSession";

function endOf(session: LoginSessionInput): number {
  const token = requireString(FACTORY, "token", session.token);
  if (session.expiresAt !== undefined) {
    const end = toEpochMs(session.expiresAt);
    if (!Number.isFinite(end)) throw invalidOption(FACTORY, "expiresAt", "must be an ISO 8601 date, epoch time or Date");
    return end;
  }
  const exp = readJwtClaims(token)?.exp;
  if (typeof exp !== "number") throw invalidOption(FACTORY, "expiresAt", "is required when the token is not a JWT with `exp`");
  return exp * 1000;
}

/**
 * A login session without a refresh token (ERIP magic-link `LoginResponse`, Arrotech
 * `/auth/login` JWT). Before sending a token whose session has ended it fails with
 * `SESSION_EXPIRED` and calls `onSessionExpired`; sign in again and `renew`.
 * @example loginSession({ ...loginResponse, onSessionExpired: () => showSignIn() })
 */
export function loginSession(options: LoginSessionOptions): LoginSessionCredential {
  checkCredentialOptions(FACTORY, loginSessionSchema(), options);
  const clock = options.clock ?? systemClock;
  let token = requireString(FACTORY, "token", options.token);
  let expiresAt = endOf(options);
  let startedAt = clock.now();
  let ended = false;
  let notified = false;
  let version = 0;
  const label = (): string => `session:${fingerprint(token)}`;
  const margin = (): number => Math.min(options.expiryMarginMs ?? 5000, Math.max(0, (expiresAt - startedAt) * 0.1));
  const isExpired = (): boolean => ended || clock.now() >= expiresAt - margin();

  const expire = (): PorticoError => {
    if (!notified) {
      notified = true;
      try {
        options.onSessionExpired?.({ credential: label(), expiredAt: Math.min(expiresAt, clock.now()) });
      } catch {
        // Hooks never break the flow.
      }
    }
    return new PorticoError(
      "SESSION_EXPIRED",
      `The login session ${label()} ended at ${new Date(expiresAt).toISOString()}; sign in again (e.g. request a new magic link) and renew the credential.`,
      { credential: label(), expiresAt },
    );
  };

  return defineCredential(
    "bearer",
    label,
    {
      authorize() {
        if (isExpired()) throw expire();
        return { secret: token, handle: version };
      },
      invalidate(handle) {
        // The API refused the session token: the session is over for this credential.
        if (handle === version) {
          ended = true;
          expire();
        }
        return false;
      },
    },
    () => ({ all: [token], static: token }),
    {
      renew(session: LoginSessionInput): void {
        const next = requireString(FACTORY, "token", session.token);
        expiresAt = endOf(session);
        token = next;
        startedAt = clock.now();
        version += 1;
        ended = false;
        notified = false;
      },
      get expiresAt(): number {
        return expiresAt;
      },
      expired: isExpired,
    },
  );
}
