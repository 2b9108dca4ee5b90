import { X509Certificate } from "node:crypto";
import { inspect } from "node:util";
import { Agent } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, type ApiDescriptor, type AuthorizeContext, type FetcherInit } from "@portico/core";
import { clientCertificate, createNodeFetcher, PorticoNodeError, type ClientCertificateCredential, type ClientCertificateOptions } from "../src/index.js";
import { createTestPki, startMutualTlsServer, type MutualTlsServer, type TestPki } from "./support/tls.js";

let pki: TestPki;
let server: MutualTlsServer;
const owned: { close(): Promise<void> }[] = [];

beforeAll(async () => {
  pki = await createTestPki();
  server = await startMutualTlsServer(pki);
});
afterAll(async () => {
  await Promise.all(owned.map((item) => item.close()));
  await server?.close();
});

/** Registers something to close after the tests. */
function keep<T extends { close(): Promise<void> }>(item: T): T {
  owned.push(item);
  return item;
}

function context(url: string): AuthorizeContext {
  return { url, method: "GET", operation: "GET /hello", scheme: "clientCert", schemeDescriptor: { type: "mutualTLS" }, scopes: [] };
}

/** What a client sends with a mutualTLS credential: the fetcher init with the credential's dispatcher. */
async function initWith(credential: ClientCertificateCredential, url: string): Promise<FetcherInit> {
  const { dispatcher } = await credential.authorize(context(url));
  return { method: "GET", headers: {}, ...(dispatcher !== undefined && { dispatcher }) };
}

/** Lines of a PEM's base64 body: if any shows up in a text, key material leaked. */
function bodyLines(pem: string): string[] {
  return pem.split("\n").filter((line) => line.length >= 16 && !line.startsWith("-----"));
}

function expectNoKeyMaterial(text: string): void {
  for (const line of [...bodyLines(pki.client.key), ...bodyLines(pki.client.encryptedKey), ...bodyLines(pki.stranger.key)]) {
    expect(text).not.toContain(line);
  }
  expect(text).not.toContain(pki.client.passphrase);
}

/** Every way a value could be printed or logged. */
function printed(value: unknown): string {
  return [JSON.stringify(value), String(value), inspect(value, { depth: Infinity, showHidden: true, getters: true })].join("\n");
}

function invalidOptions(options: unknown): PorticoNodeError {
  try {
    clientCertificate(options as ClientCertificateOptions);
  } catch (error) {
    expect(error).toBeInstanceOf(PorticoNodeError);
    return error as PorticoNodeError;
  }
  throw new Error("expected clientCertificate to throw");
}

describe("clientCertificate: options", () => {
  it.each([
    { given: "no cert", options: () => ({ key: pki.client.key }), names: '"cert"' },
    { given: "a key as the cert", options: () => ({ cert: pki.client.key, key: pki.client.key }), names: '"cert"' },
    { given: "a cert as the key", options: () => ({ cert: pki.client.cert, key: pki.client.cert }), names: '"key"' },
    { given: "a key of another certificate", options: () => ({ cert: pki.client.cert, key: pki.stranger.key }), names: '"key" is not the private key of "cert"' },
    { given: "an encrypted key without passphrase", options: () => ({ cert: pki.client.cert, key: pki.client.encryptedKey }), names: '"passphrase"' },
    {
      given: "a wrong passphrase",
      options: () => ({ cert: pki.client.cert, key: pki.client.encryptedKey, passphrase: "wrong" }),
      names: '"passphrase" does not decrypt "key"',
    },
    {
      given: "a corrupt key",
      options: () => ({ cert: pki.client.cert, key: pki.client.key.replace(/\n[A-Za-z0-9+/]{20}/, "\n!!!!!!!!!!!!!!!!!!!!") }),
      names: '"key"',
    },
    { given: "a CA that is not a certificate", options: () => ({ cert: pki.client.cert, key: pki.client.key, ca: "junk" }), names: '"ca"' },
    { given: "a CA list with a bad entry", options: () => ({ cert: pki.client.cert, key: pki.client.key, ca: [pki.ca, "junk"] }), names: '"ca[1]"' },
    { given: "an IP address as servername", options: () => ({ cert: pki.client.cert, key: pki.client.key, servername: "127.0.0.1" }), names: '"servername"' },
    { given: "an empty passphrase", options: () => ({ cert: pki.client.cert, key: pki.client.key, passphrase: "" }), names: '"passphrase"' },
  ])("refuses $given with INVALID_OPTIONS naming the option, never its value", ({ options, names }) => {
    const error = invalidOptions(options());
    expect(error.code).toBe("INVALID_OPTIONS");
    expect(error.message).toContain(names);
    expectNoKeyMaterial(printed(error));
  });

  it("reads Buffers and an encrypted key with its passphrase", () => {
    const credential = keep(
      clientCertificate({ cert: Buffer.from(pki.client.cert), key: Buffer.from(pki.client.encryptedKey), passphrase: pki.client.passphrase, ca: Buffer.from(pki.ca) }),
    );
    expect(credential.kind).toBe("mutualTLS");
  });
});

describe("clientCertificate: identity and redaction", () => {
  it("is identified by the certificate's subject and SHA-256 fingerprint; JSON, String and util.inspect show nothing else", async () => {
    const credential = keep(clientCertificate({ cert: pki.client.cert, key: pki.client.key, ca: pki.ca }));
    const x509 = new X509Certificate(pki.client.cert);
    expect(credential.fingerprint).toBe(`O=portico tests, CN=portico test client (SHA-256 ${x509.fingerprint256})`);
    expect(JSON.parse(JSON.stringify(credential))).toEqual({ kind: "mutualTLS", fingerprint: credential.fingerprint });
    expect(String(credential)).toBe(`Credential<mutualTLS> ${credential.fingerprint}`);
    expect(inspect(credential)).toBe(`Credential<mutualTLS> ${credential.fingerprint}`);
    expectNoKeyMaterial(printed(credential));

    // What authorize() hands to the fetcher: the agent holds a connector, not the key.
    const authorization = await credential.authorize(context(`${server.url}/hello`));
    expect(authorization).toEqual({ dispatcher: expect.any(Agent) });
    expect(Object.keys(authorization)).toEqual(["dispatcher"]); // no secret, nothing to place in headers
    expectNoKeyMaterial(printed(authorization));
  });
});

describe("clientCertificate over TLS on loopback", () => {
  it("through @portico/node's fetcher: the server sees the certificate and answers 200", async () => {
    const credential = keep(clientCertificate({ cert: pki.client.cert, key: pki.client.key, ca: pki.ca }));
    const fetcher = keep(createNodeFetcher());
    const before = server.events.length;
    const response = await fetcher(`${server.url}/hello`, await initWith(credential, `${server.url}/hello`));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ hello: "portico test client" });
    expect(server.events.slice(before)).toEqual([{ type: "request", clientCN: "portico test client" }]);
  });

  it("through Node's global fetch, which honours the same dispatcher (npm undici 7 Agent on Node 20's fetch)", async () => {
    const credential = keep(clientCertificate({ cert: pki.client.cert, key: pki.client.key, ca: pki.ca }));
    const { dispatcher } = await credential.authorize(context(`${server.url}/hello`));
    const response = await fetch(`${server.url}/hello`, { dispatcher } as RequestInit);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ hello: "portico test client" });
  });

  it("with servername: SNI and the server's certificate check use that name", async () => {
    const good = keep(clientCertificate({ cert: pki.client.cert, key: pki.client.key, ca: pki.ca, servername: "localhost" }));
    const fetcher = keep(createNodeFetcher());
    const ok = await fetcher(`${server.url}/hello`, await initWith(good, server.url));
    expect(ok.status).toBe(200);
    await ok.arrayBuffer();

    const wrong = keep(clientCertificate({ cert: pki.client.cert, key: pki.client.key, ca: pki.ca, servername: "api.example.com" }));
    const failure = await fetcher(`${server.url}/hello`, await initWith(wrong, server.url)).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(TypeError);
    expect((failure as TypeError).cause).toMatchObject({ code: "ERR_TLS_CERT_ALTNAME_INVALID" });
  });

  // The refusals get a server each: a handshake a client gave up on is reported to the server late,
  // and must not be mistaken for the next test's.
  it("without a certificate the handshake fails: the server refuses it and the caller gets fetch's network error", async () => {
    const strict = keep(await startMutualTlsServer(pki));
    // Trusts the server (the test CA) but presents no certificate.
    const fetcher = keep(createNodeFetcher({ dispatcher: keep(new Agent({ connect: { ca: pki.ca } })) }));
    const failure = await fetcher(`${strict.url}/hello`).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(TypeError);
    expect(failure).toMatchObject({ message: "fetch failed", cause: { code: expect.stringMatching(/^(UND_ERR_SOCKET|ECONNRESET|ERR_SSL_)/) } });
    expect(await strict.waitFor(0, (event) => event.type === "refused")).toEqual({ type: "refused", code: "ERR_SSL_PEER_DID_NOT_RETURN_A_CERTIFICATE" });
    expect(strict.events.filter((event) => event.type === "request")).toEqual([]);
  });

  it("with a certificate from a CA the server does not trust, the handshake fails too", async () => {
    const strict = keep(await startMutualTlsServer(pki));
    const stranger = keep(clientCertificate({ cert: pki.stranger.cert, key: pki.stranger.key, ca: pki.ca }));
    const fetcher = keep(createNodeFetcher());
    const failure = await fetcher(`${strict.url}/hello`, await initWith(stranger, strict.url)).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(TypeError);
    expect(failure).toMatchObject({ message: "fetch failed" });
    await strict.waitFor(0, (event) => event.type === "refused");
    expect(strict.events.filter((event) => event.type === "request")).toEqual([]);
    expectNoKeyMaterial(printed(failure));
  });

  it("refuses plain http (no handshake, no certificate) and a closed credential; close() is idempotent", async () => {
    const credential: ClientCertificateCredential = clientCertificate({ cert: pki.client.cert, key: pki.client.key, ca: pki.ca });
    expect(() => credential.authorize(context("http://127.0.0.1:1/hello"))).toThrow(expect.objectContaining({ code: "INSECURE_TRANSPORT" }));
    await Promise.all([credential.close(), credential.close()]);
    expect(() => credential.authorize(context(`${server.url}/hello`))).toThrow(
      expect.objectContaining({ code: "INVALID_OPTIONS", message: expect.stringContaining("closed") }),
    );
  });

  it("the fetcher refuses a dispatcher that is not one", async () => {
    const fetcher = keep(createNodeFetcher());
    await expect(fetcher(`${server.url}/hello`, { method: "GET", headers: {}, dispatcher: {} })).rejects.toMatchObject({ code: "INVALID_OPTIONS" });
  });
});

/** A one-operation API whose spec's only security scheme is `mutualTLS`, in openapi-typescript's shape. */
interface MtlsPaths {
  "/hello": {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    get: {
      parameters: { query?: never; header?: never; path?: never; cookie?: never };
      requestBody?: never;
      responses: { 200: { headers: { [name: string]: unknown }; content: { "application/json": { hello: string } } } };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}

const mtlsApi: ApiDescriptor = {
  name: "Mtls",
  servers: [{ url: "https://mtls.example.com" }],
  securitySchemes: { clientCert: { type: "mutualTLS" } },
  security: [{ clientCert: [] }],
  operations: { "GET /hello": {} },
};

describe("a client whose spec's security scheme is mutualTLS (core's createClient)", () => {
  it("sends the call through the credential's dispatcher, with @portico/node's fetcher and with Node's fetch: 200", async () => {
    const clientCert = keep(clientCertificate({ cert: pki.client.cert, key: pki.client.key, ca: pki.ca }));
    for (const fetcher of [keep(createNodeFetcher()), undefined]) {
      const api = createClient<MtlsPaths>(mtlsApi, { baseUrl: server.url, auth: { clientCert }, ...(fetcher && { fetcher }), retry: false });
      const { data, error } = await api.GET("/hello");
      expect(error).toBeUndefined();
      expect(data).toEqual({ hello: "portico test client" });
    }
  });

  it("when the server refuses the certificate the call ends in NETWORK_ERROR, with no key material anywhere", async () => {
    const strict = keep(await startMutualTlsServer(pki));
    // Trusts the server, but presents a certificate from a CA the server does not trust.
    const stranger = keep(clientCertificate({ cert: pki.stranger.cert, key: pki.stranger.key, ca: pki.ca }));
    const fetcher = keep(createNodeFetcher());
    const api = createClient<MtlsPaths>(mtlsApi, { baseUrl: strict.url, auth: { clientCert: stranger }, fetcher, retry: false });
    const { error } = await api.GET("/hello");
    expect(error?.code).toBe("NETWORK_ERROR");
    expectNoKeyMaterial(printed(error));
    expectNoKeyMaterial(printed(api));
    expect(strict.events.filter((event) => event.type === "request")).toEqual([]);
  });

  it("with no certificate at all the handshake fails and the call ends in NETWORK_ERROR", async () => {
    const strict = keep(await startMutualTlsServer(pki));
    const { security: _declared, ...undeclared } = mtlsApi; // a spec that says nothing about auth
    const fetcher = keep(createNodeFetcher({ dispatcher: keep(new Agent({ connect: { ca: pki.ca } })) }));
    const api = createClient<MtlsPaths>({ ...undeclared, securitySchemes: {} }, { baseUrl: strict.url, fetcher, retry: false });
    const { error } = await api.GET("/hello");
    expect(error?.code).toBe("NETWORK_ERROR");
    expect(await strict.waitFor(0, (event) => event.type === "refused")).toEqual({ type: "refused", code: "ERR_SSL_PEER_DID_NOT_RETURN_A_CERTIFICATE" });
  });
});
