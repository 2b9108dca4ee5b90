import { ApiError, PorticoError } from "@portico/core";
import { expect } from "vitest";
import type { RecordedRequest } from "./recorder.js";

/** Where a credential must land, and with which exact value. */
export type Placement =
  | { readonly header: string; readonly value: string }
  | { readonly query: string; readonly value: string }
  | { readonly cookie: string; readonly value: string };

/** `Authorization: Basic base64(user:password)`, as RFC 7617 says. */
export function basicHeader(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`, "utf8").toString("base64")}`;
}

/**
 * Asserts that each placement appears exactly once, exactly where the scheme says, and that none of
 * `secrets` (in any of the forms a leak would take: as is, URL-encoded, base64) appears anywhere else:
 * every other header (name and value), the path, every other query parameter, the body.
 */
export function expectCredentialOnlyAt(request: RecordedRequest, placements: readonly Placement[], secrets: readonly string[]): void {
  const forms = leakForms(secrets);
  const allowedHeaders = new Map<string, string>();
  const allowedQuery = new Map<string, string>();
  const allowedCookies = new Map<string, string>();
  for (const p of placements) {
    if ("header" in p) allowedHeaders.set(p.header.toLowerCase(), p.value);
    else if ("query" in p) allowedQuery.set(p.query, p.value);
    else allowedCookies.set(p.cookie, p.value);
  }

  for (const [name, value] of allowedHeaders) {
    expect(request.header(name), `header ${name}`).toEqual([value]);
  }
  for (const [name, value] of allowedQuery) {
    expect(request.query.filter(([k]) => k === name).map(([, v]) => v), `query parameter ${name}`).toEqual([value]);
  }
  const cookies = request.header("cookie").flatMap((line) => line.split(";").map((c) => c.trim()).filter(Boolean));
  for (const [name, value] of allowedCookies) {
    expect(cookies.filter((c) => c.startsWith(`${name}=`)), `cookie ${name}`).toEqual([`${name}=${value}`]);
  }

  const leaks: string[] = [];
  const check = (where: string, text: string): void => {
    for (const form of forms) if (text.includes(form)) leaks.push(`${where} contains ${JSON.stringify(form)}`);
  };
  for (const [name, value] of request.rawHeaders) {
    const lower = name.toLowerCase();
    if (allowedHeaders.get(lower) === value) continue;
    if (lower === "cookie") {
      for (const cookie of value.split(";").map((c) => c.trim())) {
        const eq = cookie.indexOf("=");
        if (eq > 0 && allowedCookies.get(cookie.slice(0, eq)) === cookie.slice(eq + 1)) continue;
        check(`cookie ${cookie.slice(0, Math.max(eq, 0))}`, cookie);
      }
      continue;
    }
    check(`header ${name}`, `${name}: ${value}`);
  }
  check("path", request.path);
  check("path (decoded)", safeDecode(request.path));
  for (const [name, value] of request.query) {
    if (allowedQuery.get(name) === value) continue;
    check(`query parameter ${name}`, `${name}=${value}`);
  }
  check("body", request.body.toString("latin1"));
  check("body (utf-8)", request.text());
  check("body (form-decoded)", safeDecode(request.text().replaceAll("+", " ")));
  expect(leaks, "the secret appears only where the scheme places it").toEqual([]);
}

/** Asserts a request carries no credential at all: none of `secrets` anywhere, no Authorization header. */
export function expectNoCredential(request: RecordedRequest, secrets: readonly string[]): void {
  expect(request.header("authorization"), "Authorization header").toEqual([]);
  expectCredentialOnlyAt(request, [], secrets);
}

/** The parts of `application/x-www-form-urlencoded` bytes, decoded, in order. */
export function formPairs(request: RecordedRequest): Array<[string, string]> {
  return [...new URLSearchParams(request.text())];
}

/** Media type of the request's `Content-Type`, lower-case, without parameters. */
export function mediaType(request: RecordedRequest): string | undefined {
  const [value] = request.header("content-type");
  return value?.split(";", 1)[0]?.trim().toLowerCase();
}

/** One part of a `multipart/form-data` body. */
export interface MultipartPart {
  readonly name: string | undefined;
  readonly filename: string | undefined;
  readonly contentType: string | undefined;
  readonly data: Buffer;
}

/** Splits a `multipart/form-data` request body (RFC 7578) into its parts, by the boundary its Content-Type names. */
export function multipartParts(request: RecordedRequest): MultipartPart[] {
  const [contentType] = request.header("content-type");
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType ?? "");
  if (!boundary) throw new Error(`not a multipart body: content-type ${contentType}`);
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  const body = request.body;
  const parts: MultipartPart[] = [];
  let start = body.indexOf(delimiter);
  while (start !== -1) {
    const afterDelimiter = start + delimiter.length;
    if (body.subarray(afterDelimiter, afterDelimiter + 2).toString() === "--") break;
    const next = body.indexOf(delimiter, afterDelimiter);
    if (next === -1) break;
    const part = body.subarray(afterDelimiter + 2, next - 2); // skip CRLF after the delimiter and before the next
    const headerEnd = part.indexOf("\r\n\r\n");
    const head = part.subarray(0, headerEnd).toString("utf8");
    const disposition = /content-disposition:([^\r\n]*)/i.exec(head)?.[1] ?? "";
    parts.push({
      name: /\bname="([^"]*)"/i.exec(disposition)?.[1],
      filename: /\bfilename="([^"]*)"/i.exec(disposition)?.[1],
      contentType: /content-type:\s*([^\r\n]*)/i.exec(head)?.[1]?.trim(),
      data: part.subarray(headerEnd + 4),
    });
    start = next;
  }
  return parts;
}

type Result = { data?: unknown; error?: any };

/**
 * Asserts a declared error response came back as an `ApiError` with the status, the body exactly as
 * the server sent it, and the expected code (the spec's code enum value, else the status-derived one).
 */
export function expectDeclaredError(result: Result, want: { status: number; body: unknown; code: string }): void {
  expect(result.data, "data of an error result").toBeUndefined();
  expect(result.error, "error").toBeDefined();
  expect({ status: result.error?.status, code: result.error?.code, body: result.error?.body }).toEqual(want);
  expect(result.error, "a declared error is an ApiError").toBeInstanceOf(ApiError);
}

/** Asserts the call failed with an SDK error (`PorticoError`) of `status`: an answer the spec does not declare. */
export function expectUndeclaredError(result: Result, status: number): void {
  expect(result.data, "data of an error result").toBeUndefined();
  expect(result.error, "error").toBeInstanceOf(PorticoError);
  expect(result.error?.status).toBe(status);
}

function leakForms(secrets: readonly string[]): string[] {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (secret.length < 6) continue; // too short to scan for without false positives
    forms.add(secret);
    forms.add(encodeURIComponent(secret));
    forms.add(Buffer.from(secret, "utf8").toString("base64").replace(/=+$/, ""));
  }
  return [...forms];
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
