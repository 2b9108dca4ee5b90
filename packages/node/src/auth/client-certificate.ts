import { createPrivateKey, X509Certificate, type KeyObject } from "node:crypto";
import { isIP } from "node:net";
import { createSecureContext, type SecureContext } from "node:tls";
import { Agent, buildConnector } from "undici";
import { PorticoError, type Authorization, type AuthorizeContext, type Credential } from "@portico/core";
import { NodeErrorCode, PorticoNodeError } from "../errors.js";

/** PEM text, as a string or the bytes of a file. */
export type PemInput = string | Buffer;

/** Options of `clientCertificate`. Key material is read once, at construction, and not kept. */
export interface ClientCertificateOptions {
  /** The client certificate, PEM; may be followed by its intermediate certificates (leaf first). */
  cert: PemInput;
  /** The certificate's private key, PEM (PKCS#8, PKCS#1 or SEC1; encrypted with `passphrase` or not). */
  key: PemInput;
  /**
   * CA certificate(s), PEM, that the server's certificate must chain to, replacing Node's bundled
   * roots (a private PKI). @default Node's root CAs
   */
  ca?: PemInput | readonly PemInput[];
  /** Passphrase of an encrypted `key`. */
  passphrase?: string;
  /**
   * TLS server name (SNI) sent and checked against the server's certificate, when it differs from
   * the URL's host name. @default the request URL's host name
   */
  servername?: string;
}

/** A `mutualTLS` credential: presents a client certificate in the TLS handshake. */
export interface ClientCertificateCredential extends Credential<"mutualTLS"> {
  /** Closes the credential's connection pool once in-flight requests finish; it cannot be used afterwards. */
  close(): Promise<void>;
}

const inspectCustom = Symbol.for("nodejs.util.inspect.custom");

/**
 * A client certificate for APIs whose spec declares a `mutualTLS` security scheme. It owns one
 * undici `Agent` whose TLS connections present the certificate; `authorize()` hands that agent
 * to the fetcher as `init.dispatcher` (`@portico/node`'s fetcher and Node's global `fetch` honour
 * it). Only the certificate's subject and SHA-256 fingerprint are ever shown, never the key.
 *
 * @throws PorticoNodeError `INVALID_OPTIONS`, naming the option (never its value), when the
 * certificate, key, passphrase or CA cannot be read, or the key does not belong to the certificate.
 * @see https://spec.openapis.org/oas/v3.1.0#security-scheme-object (`mutualTLS`)
 * @see https://www.rfc-editor.org/rfc/rfc8446#section-4.4.2 (client Certificate message)
 * @example
 * const api = createExampleApiClient({
 *   auth: { clientCert: clientCertificate({ cert: readFileSync("client.pem"), key: readFileSync("client.key") }) },
 *   fetcher: nodeFetcher,
 * });
 */
export function clientCertificate(options: ClientCertificateOptions): ClientCertificateCredential {
  const { context, certificate } = readOptions(options);
  const fingerprint = `${certificate.subject.split("\n").join(", ")} (SHA-256 ${certificate.fingerprint256})`;
  const agent = new Agent({
    // A connector function, not TLS options: the Agent then holds no key material that
    // `util.inspect(agent)` could print; the key lives in the native secure context only.
    connect: buildConnector({ secureContext: context, ...(options.servername !== undefined && { servername: options.servername }) }),
  });
  let closing: Promise<void> | undefined;
  const authorization: Authorization = { dispatcher: agent };
  const describe = (): string => `Credential<mutualTLS> ${fingerprint}`;

  const credential = {
    kind: "mutualTLS" as const,
    fingerprint,
    authorize(request: AuthorizeContext): Authorization {
      if (closing !== undefined) {
        throw new PorticoNodeError(NodeErrorCode.INVALID_OPTIONS, `clientCertificate ${fingerprint}: the credential was closed; create a new one`, {
          credential: fingerprint,
        });
      }
      const protocol = new URL(request.url).protocol;
      if (protocol !== "https:" && protocol !== "wss:") {
        throw new PorticoError(
          "INSECURE_TRANSPORT",
          `Refusing ${request.operation} over ${protocol}//: the client certificate ${fingerprint} is presented only in a TLS handshake; use https.`,
          { credential: fingerprint },
        );
      }
      return authorization;
    },
    invalidate: () => false,
    close() {
      closing ??= agent.close();
      return closing;
    },
    toJSON: () => ({ kind: "mutualTLS", fingerprint }),
    toString: describe,
    [inspectCustom]: describe,
  };
  return credential;
}

/** Checks every option once, naming the option and never its value; returns what the agent needs. */
function readOptions(options: ClientCertificateOptions): { context: SecureContext; certificate: X509Certificate } {
  if (typeof options !== "object" || options === null) invalid('options must be an object with "cert" and "key"');
  const cert = pemText("cert", options.cert, "CERTIFICATE");
  const key = pemText("key", options.key, "PRIVATE KEY");
  const { passphrase, servername } = options;
  if (passphrase !== undefined && (typeof passphrase !== "string" || passphrase === "")) invalid('"passphrase" must be a non-empty string');
  if (servername !== undefined && (typeof servername !== "string" || servername === "" || isIP(servername) !== 0)) {
    invalid('"servername" must be a DNS host name (TLS SNI carries no IP address)');
  }
  let ca: string[] | undefined;
  if (options.ca !== undefined) {
    const list: readonly unknown[] = Array.isArray(options.ca) ? options.ca : [options.ca];
    const name = (i: number): string => (Array.isArray(options.ca) ? `ca[${i}]` : "ca");
    ca = list.map((item, i) => pemText(name(i), item, "CERTIFICATE"));
    for (const [i, text] of ca.entries()) for (const block of certificateBlocks(text)) readCertificate(name(i), block);
  }

  const certificate = readCertificate("cert", certificateBlocks(cert)[0] ?? "");
  const privateKey = readKey(key, passphrase);
  if (!certificate.checkPrivateKey(privateKey)) invalid('"key" is not the private key of "cert": give the key the certificate was issued for');

  try {
    return { context: createSecureContext({ cert, key, ...(passphrase !== undefined && { passphrase }), ...(ca !== undefined && { ca }) }), certificate };
  } catch (error) {
    return invalid(`the certificate and key were read but TLS refused them (${errorCode(error)})`);
  }
}

function pemText(option: string, value: unknown, label: "CERTIFICATE" | "PRIVATE KEY"): string {
  const text = typeof value === "string" ? value : Buffer.isBuffer(value) ? value.toString("utf8") : undefined;
  if (text === undefined) invalid(`"${option}" must be a PEM string or a Buffer holding one`);
  if (!text.includes("-----BEGIN ") || !text.includes(`${label}-----`)) {
    invalid(`"${option}" must be PEM text with a "-----BEGIN …${label}-----" block (DER and PKCS#12 are not read; convert with openssl)`);
  }
  return text;
}

function certificateBlocks(text: string): string[] {
  return text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}

function readCertificate(option: string, block: string): X509Certificate {
  try {
    return new X509Certificate(block);
  } catch (error) {
    return invalid(`"${option}" holds a certificate that cannot be read (${errorCode(error)})`);
  }
}

function readKey(key: string, passphrase: string | undefined): KeyObject {
  try {
    return createPrivateKey(passphrase === undefined ? { key } : { key, passphrase });
  } catch (error) {
    const encrypted = /ENCRYPTED/.test(key);
    if (encrypted && passphrase === undefined) return invalid('"key" is encrypted: give its "passphrase"');
    if (encrypted) return invalid('"passphrase" does not decrypt "key"');
    return invalid(`"key" is not a readable private key (${errorCode(error)})`);
  }
}

/** OpenSSL's error code only: its messages never hold key material, but codes are all a reader needs. */
function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === "string" ? code : "unreadable";
}

function invalid(message: string): never {
  throw new PorticoNodeError(NodeErrorCode.INVALID_OPTIONS, `clientCertificate: ${message}`);
}
