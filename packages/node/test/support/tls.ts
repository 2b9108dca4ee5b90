import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TLSSocket } from "node:tls";
import { promisify } from "node:util";

const run = promisify(execFile);

/** A throwaway PKI made at test time with Debian's `openssl` CLI: one CA, a server and two clients. */
export interface TestPki {
  /** The test CA's certificate (PEM). */
  readonly ca: string;
  readonly server: { readonly cert: string; readonly key: string };
  /** Signed by the test CA. */
  readonly client: { readonly cert: string; readonly key: string; readonly encryptedKey: string; readonly passphrase: string };
  /** Signed by another CA the server does not trust. */
  readonly stranger: { readonly cert: string; readonly key: string };
}

/**
 * Creates the CA, server and client certificates (EC P-256, valid for a day) in a temporary
 * directory, reads them and removes the directory. Needs the `openssl` CLI on PATH.
 */
export async function createTestPki(): Promise<TestPki> {
  const dir = await mkdtemp(join(tmpdir(), "portico-mtls-"));
  const file = (name: string): string => join(dir, name);
  const openssl = async (...args: string[]): Promise<void> => {
    try {
      await run("openssl", args, { cwd: dir });
    } catch (error) {
      const missing = (error as NodeJS.ErrnoException).code === "ENOENT";
      throw new Error(missing ? "the mutual TLS tests need the openssl CLI (apt-get install -y openssl)" : `openssl ${args[0]} failed`, { cause: error });
    }
  };
  const newKey = (name: string) => openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", file(name));
  const selfSigned = async (name: string, subject: string) => {
    await newKey(`${name}.key`);
    await openssl("req", "-x509", "-new", "-key", file(`${name}.key`), "-out", file(`${name}.pem`), "-days", "1", "-subj", subject);
  };
  const issue = async (name: string, subject: string, issuer: string, extensions: string) => {
    await newKey(`${name}.key`);
    await openssl("req", "-new", "-key", file(`${name}.key`), "-out", file(`${name}.csr`), "-subj", subject);
    await writeFile(file(`${name}.ext`), extensions);
    await openssl(
      "x509", "-req", "-in", file(`${name}.csr`), "-CA", file(`${issuer}.pem`), "-CAkey", file(`${issuer}.key`),
      "-set_serial", `0x${Date.now().toString(16)}${name.length}`, "-days", "1", "-extfile", file(`${name}.ext`), "-out", file(`${name}.pem`),
    );
  };
  try {
    await selfSigned("ca", "/CN=portico test CA");
    await selfSigned("other-ca", "/CN=some other CA");
    await issue("server", "/CN=localhost", "ca", "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n");
    await issue("client", "/O=portico tests/CN=portico test client", "ca", "extendedKeyUsage=clientAuth\n");
    await issue("stranger", "/CN=stranger", "other-ca", "extendedKeyUsage=clientAuth\n");
    const passphrase = "correct horse battery staple";
    await openssl("pkey", "-in", file("client.key"), "-aes-256-cbc", "-passout", `pass:${passphrase}`, "-out", file("client-encrypted.key"));
    const read = (name: string) => readFile(file(name), "utf8");
    return {
      ca: await read("ca.pem"),
      server: { cert: await read("server.pem"), key: await read("server.key") },
      client: { cert: await read("client.pem"), key: await read("client.key"), encryptedKey: await read("client-encrypted.key"), passphrase },
      stranger: { cert: await read("stranger.pem"), key: await read("stranger.key") },
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** What the mutual-TLS server saw of one connection attempt. */
export type TlsEvent = { readonly type: "request"; readonly clientCN: string } | { readonly type: "refused"; readonly code: string };

/** An `https` server on loopback that requires a client certificate signed by the test CA. */
export interface MutualTlsServer {
  readonly url: string;
  readonly server: Server;
  /** Every request answered and every handshake refused, in order. */
  readonly events: TlsEvent[];
  /**
   * Resolves with the first event from `index` on that `matches` (waiting for it if needed):
   * handshakes a client gave up on may be reported late, so tests wait for the event they cause.
   */
  waitFor(index: number, matches: (event: TlsEvent) => boolean): Promise<TlsEvent>;
  close(): Promise<void>;
}

export async function startMutualTlsServer(pki: TestPki): Promise<MutualTlsServer> {
  const events: TlsEvent[] = [];
  const waiters: (() => void)[] = [];
  const push = (event: TlsEvent): void => {
    events.push(event);
    for (const wake of waiters.splice(0)) wake();
  };
  const server = createServer(
    { cert: pki.server.cert, key: pki.server.key, ca: pki.ca, requestCert: true, rejectUnauthorized: true },
    (request, response) => {
      const peer = (request.socket as TLSSocket).getPeerCertificate();
      const clientCN = typeof peer.subject?.CN === "string" ? peer.subject.CN : "";
      push({ type: "request", clientCN });
      response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ hello: clientCN }));
    },
  );
  server.on("tlsClientError", (error: NodeJS.ErrnoException) => push({ type: "refused", code: error.code ?? error.message }));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    server,
    events,
    async waitFor(index, matches) {
      for (let i = index; ; i++) {
        while (events.length <= i) await new Promise<void>((resolve) => waiters.push(resolve));
        if (matches(events[i]!)) return events[i]!;
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
