import { readFileSync } from "node:fs";
import { clientCertificate, nodeFetcher } from "@portico/node";
const clientCert = clientCertificate({
    cert: readFileSync("/run/secrets/client.pem"), // PEM; intermediates may follow the leaf
    key: readFileSync("/run/secrets/client.key"), // PEM: PKCS#8, PKCS#1 or SEC1
    passphrase: process.env.CLIENT_KEY_PASSPHRASE, // only for an encrypted key
    ca: readFileSync("/run/secrets/partner-ca.pem"), // only for a private server CA: replaces Node's roots
    // servername: "api.partner.example",             // only when SNI differs from the URL's host
});
const api = createPartnerApiClient({ auth: { clientCert }, fetcher: nodeFetcher }); // bound by scheme name
process.on("SIGTERM", () => clientCert.close());
