import { describe, expect, it } from "vitest";
import { arrotechDescriptor } from "@arrotech/api-client";

describe("generated Arrotech descriptor (specs/arrotech.yaml)", () => {
  it("retries a 409 only for IDEMPOTENCY_KEY_IN_USE, never for WORKFLOW_DISABLED or SOURCE_ALREADY_EXISTS", () => {
    const marked = Object.entries(arrotechDescriptor.operations).filter(([, op]) => op.errors?.["409"]?.includes("IDEMPOTENCY_KEY_IN_USE"));
    expect(marked.length).toBeGreaterThan(0);
    for (const [key, op] of marked) expect(op.retryableCodes, key).toEqual(["IDEMPOTENCY_KEY_IN_USE"]);
    for (const [key, op] of Object.entries(arrotechDescriptor.operations)) {
      expect(op.retryableCodes ?? [], key).not.toContain("WORKFLOW_DISABLED");
      expect(op.retryableCodes ?? [], key).not.toContain("SOURCE_ALREADY_EXISTS");
    }
  });
});
