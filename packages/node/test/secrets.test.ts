import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadSecret, PorticoNodeError, sha256Fingerprint } from "../src/index.js";

const dir = mkdtempSync(join(tmpdir(), "portico-secrets-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SECRET = "cs_test_CANARYsecretVALUE1234567890";

function thrown(run: () => unknown): PorticoNodeError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(PorticoNodeError);
    return error as PorticoNodeError;
  }
  throw new Error("expected loadSecret to throw");
}

describe("loadSecret", () => {
  it("reads the environment variable first, trimmed", () => {
    const value = loadSecret({ name: "Atlas client secret", env: "ATLAS_CLIENT_SECRET", environment: { ATLAS_CLIENT_SECRET: ` ${SECRET}\n` } });
    expect(value).toBe(SECRET);
  });

  it("reads <env>_FILE, then the file option", () => {
    const path = join(dir, "secret.txt");
    writeFileSync(path, `${SECRET}\n`);
    expect(loadSecret({ name: "Atlas client secret", env: "ATLAS_CLIENT_SECRET", environment: { ATLAS_CLIENT_SECRET_FILE: path } })).toBe(SECRET);
    expect(loadSecret({ name: "Atlas client secret", env: "ATLAS_CLIENT_SECRET", file: path, environment: {} })).toBe(SECRET);
  });

  it("names the variable and the file when the secret is absent", () => {
    const error = thrown(() => loadSecret({ name: "Atlas client secret", env: "ATLAS_CLIENT_SECRET", file: join(dir, "missing"), environment: {} }));
    expect(error.code).toBe("SECRET_NOT_FOUND");
    expect(error.message).toContain("ATLAS_CLIENT_SECRET");
    expect(error.message).toContain(join(dir, "missing"));
  });

  it("reports an empty file as absent, naming it", () => {
    const path = join(dir, "empty.txt");
    writeFileSync(path, "\n");
    const error = thrown(() => loadSecret({ name: "EUDR token", file: path }));
    expect(error.code).toBe("SECRET_NOT_FOUND");
    expect(error.message).toContain(path);
  });

  it("rejects a value of the wrong format without printing it", () => {
    const error = thrown(() =>
      loadSecret({ name: "EUDR token", env: "EUDR_TOKEN", pattern: /^eudr_live_[0-9a-f]{48}$/, environment: { EUDR_TOKEN: SECRET } }),
    );
    expect(error.code).toBe("SECRET_INVALID_FORMAT");
    expect(error.message).toContain("EUDR_TOKEN");
    expect(error.message).toContain("eudr_live_");
    expect(error.message).not.toContain(SECRET);
    expect(JSON.stringify(error)).not.toContain(SECRET);
  });

  it("accepts a matching string pattern", () => {
    const token = `eudr_live_${"ab".repeat(24)}`;
    expect(loadSecret({ name: "EUDR token", env: "T", pattern: "^eudr_live_[0-9a-f]{48}$", environment: { T: token } })).toBe(token);
  });

  it("reports a file that cannot be read (a directory) without its content", () => {
    const error = thrown(() => loadSecret({ name: "key", file: dir }));
    expect(error.code).toBe("SECRET_UNREADABLE");
    expect(error.message).toContain(dir);
    expect(error.message).toContain("EISDIR");
  });

  it("refuses options without a source", () => {
    expect(thrown(() => loadSecret({ name: "key" })).code).toBe("INVALID_OPTIONS");
  });
});

describe("sha256Fingerprint", () => {
  it("is the lower-case hex SHA-256 that EUDR and ERIP store", () => {
    // Known vector: SHA-256("abc").
    expect(sha256Fingerprint("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(sha256Fingerprint(new TextEncoder().encode("abc"))).toBe(sha256Fingerprint("abc"));
    expect(sha256Fingerprint(SECRET)).toMatch(/^[0-9a-f]{64}$/);
  });
});
