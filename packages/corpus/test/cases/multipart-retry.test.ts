import { apiKey } from "@portico/core";
import { describe, expect, test } from "vitest";
import { expectCredentialOnlyAt, mediaType, multipartParts } from "../support/expectations.js";
import { useCorpus } from "../support/harness.js";

// cases/multipart-retry.yaml: `POST /v1/files` takes multipart/form-data (`purpose`, and `file`
// with encoding contentType application/octet-stream) and declares an `Idempotency-Key` header
// parameter, so a 503 is retried with the same key. The retry waits 0 ms (no timing in the test).
const KEY = "case-files-key-9f8e7d6c5b4a";
const ctx = useCorpus("multipart-retry");
/** Every byte value, CR LF and a fake boundary line: bytes a text round trip would change. */
const FILE_BYTES = new Uint8Array([...Array.from({ length: 256 }, (_, i) => i), 13, 10, ...new TextEncoder().encode("--not-a-boundary\r\n"), 0xff, 0xfe, 0]);

function streamOf(bytes: Uint8Array): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      controller.enqueue(bytes.slice(0, 100));
      controller.enqueue(bytes.slice(100));
      controller.close();
    },
  });
}

describe("multipart upload retried after a 503: the same bytes on both attempts", () => {
  test.each([
    ["a File", () => new File([FILE_BYTES], "ledger.bin"), "ledger.bin"],
    ["a Uint8Array", () => FILE_BYTES.slice(), "blob"],
    ["a ReadableStream (read once, sent twice)", () => streamOf(FILE_BYTES), "blob"],
  ] as const)("file as %s", async (_name, file, filename) => {
    ctx.recorder.answer({ status: 503, body: "upstream busy" }, { status: 201, body: { id: "file_1", bytes: FILE_BYTES.length } });
    const files = ctx.client({ auth: apiKey(KEY), retry: { baseDelayMs: 0, maxDelayMs: 0 } });
    const result = await files.POST("/v1/files", { body: { purpose: "assistants", file: file() } });

    expect(result.error).toBeUndefined();
    expect(result.data).toEqual({ id: "file_1", bytes: FILE_BYTES.length });
    expect(result.meta.attempts).toBe(2);
    expect(ctx.recorder.requests).toHaveLength(2);
    const [first, second] = ctx.recorder.requests;
    // Byte-identical bodies, under one boundary, with one idempotency key.
    expect(Buffer.compare(first!.body, second!.body)).toBe(0);
    expect(second!.header("content-type")).toEqual(first!.header("content-type"));
    expect(first!.header("idempotency-key")).toHaveLength(1);
    expect(second!.header("idempotency-key")).toEqual(first!.header("idempotency-key"));
    expect(result.meta.idempotencyKey).toBe(first!.header("idempotency-key")[0]);
    for (const request of [first!, second!]) {
      expect(`${request.method} ${request.target}`).toBe("POST /v1/files");
      expect(mediaType(request)).toBe("multipart/form-data");
      const parts = multipartParts(request);
      expect(parts.map((p) => [p.name, p.filename, p.contentType])).toEqual([
        ["purpose", undefined, undefined],
        ["file", filename, "application/octet-stream"],
      ]);
      expect(parts[0]!.data.toString("utf8")).toBe("assistants");
      expect(Buffer.compare(parts[1]!.data, Buffer.from(FILE_BYTES))).toBe(0);
      expectCredentialOnlyAt(request, [{ header: "x-api-key", value: KEY }], [KEY]);
    }
  });
});
