import { loadSecret, sha256Fingerprint } from "@portico/node";
const clientSecret = loadSecret({
    name: "Atlas client secret",
    env: "ATLAS_CLIENT_SECRET", // also honours ATLAS_CLIENT_SECRET_FILE=/run/secrets/...
    file: "/run/secrets/atlas_client_secret",
    pattern: /^cs_(live|test)_[A-Za-z0-9]+$/,
});
// → PorticoNodeError SECRET_NOT_FOUND: "Atlas client secret not found: set the environment variable
//   ATLAS_CLIENT_SECRET (or ATLAS_CLIENT_SECRET_FILE to a file holding it), or create the file ..."
sha256Fingerprint("erip_abc123…"); // 64 hex characters, as EUDR and ERIP store keys
