import { apiKey } from "@portico/core";
import { createFilesApiClient } from "../../../.generated/multipart-retry/index.js";

// `format: binary` takes a Blob/File, bytes or a stream.
export async function multipartCalls(bytes: Uint8Array<ArrayBuffer>, stream: ReadableStream<Uint8Array>): Promise<string> {
  const files = createFilesApiClient({ baseUrl: "https://upload.files.example.com", auth: apiKey("k"), retry: { baseDelayMs: 0 } });
  const a = await files.POST("/v1/files", { body: { purpose: "assistants", file: new File([bytes], "ledger.bin") } });
  const b = await files.POST("/v1/files", { body: { purpose: "assistants", file: bytes }, idempotencyKey: "upload-1" });
  const c = await files.POST("/v1/files", { body: { purpose: "assistants", file: stream }, params: { header: { "Idempotency-Key": "upload-2" } } });
  // @ts-expect-error purpose is required
  await files.POST("/v1/files", { body: { file: bytes } });
  if (a.error || b.error || c.error) return "failed";
  return `${a.data.id} ${b.data.bytes} ${c.data.id}`;
}
