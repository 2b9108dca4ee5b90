/**
 * Loopback servers for the auth tests, driven by an injected clock and by events, never by wall
 * time: a token endpoint that signs real RS256 JWTs with jose (`auth-server.ts`) and an API that
 * verifies them (`api-server.ts`), recording exactly what each request carried. Both can be held
 * (`hold()` returns the release) so a test decides when answers go out, and both resolve
 * `until(n)` once `n` requests have arrived.
 *
 * `useLoopbackFixtures()` gives each test file a signer, a clock reset before each test, and
 * servers closed after each test.
 */
import { beforeAll, beforeEach } from "vitest";
import { clientCredentials, type ClientCredentialsOptions, type Clock } from "../../../src/index.js";
import { START, movableClock, type MovableClock } from "../../support/clock.js";
import { createSigner, type Signer } from "../../support/jwt.js";
import { useLoopbacks, type Loopbacks } from "../../support/loopback.js";
import { startApiServer, type ApiServer, type ApiServerOptions } from "./api-server.js";
import { startAuthServer, type AuthServer, type AuthServerOptions } from "./auth-server.js";

export * from "./api-server.js";
export * from "./auth-server.js";

/** The IMS machine client the tests' token endpoints know: pass as `auth({ clients })`. */
export const IMS_MACHINE_CLIENTS = { "cli-ims": { secret: "s3cret-ims-client-secret" } };

/** `clientCredentials` of the IMS machine client against `tokenUrl`, on `clock` (JSON body, the IMS audience). */
export function imsMachineCredential(tokenUrl: string, clock: Clock, options: Partial<ClientCredentialsOptions> = {}): ReturnType<typeof clientCredentials> {
  return clientCredentials({ tokenUrl, clientId: "cli-ims", clientSecret: "s3cret-ims-client-secret", audience: "https://api.atrope.dev", bodyEncoding: "json", clock, ...options });
}

/** `server(handler)` and `track(server)` of `useLoopbacks`, and the auth servers on one signer and clock. */
export interface LoopbackFixtures extends Loopbacks {
  /** One signing key pair per file. */
  readonly signer: Signer;
  /** Reset to `START` before each test; shared by the servers started through the fixtures. */
  readonly clock: MovableClock;
  /** Starts a token endpoint on the fixtures' signer and clock, closed after the test. */
  auth(options: Omit<AuthServerOptions, "signer" | "clock">): Promise<AuthServer>;
  /** Starts an API on the fixtures' signer and clock, closed after the test. */
  api(options?: Omit<ApiServerOptions, "signer" | "clock">): Promise<ApiServer>;
}

/**
 * Registers the loopback fixtures an auth test file shares: a signing key pair, a movable clock
 * reset before each test, and every server started through it closed after each test.
 */
export function useLoopbackFixtures(): LoopbackFixtures {
  const { server, track } = useLoopbacks();
  let signer: Signer | undefined;
  const clock = movableClock();
  beforeAll(async () => {
    signer = await createSigner();
  });
  beforeEach(() => clock.set(START));
  const signerOf = (): Signer => {
    if (signer === undefined) throw new Error("the signer is created in beforeAll");
    return signer;
  };
  return {
    get signer() {
      return signerOf();
    },
    clock,
    auth: async (options) => track(await startAuthServer({ ...options, signer: signerOf(), clock })),
    api: async (options = {}) => track(await startApiServer({ ...options, signer: signerOf(), clock })),
    server,
    track,
  };
}
