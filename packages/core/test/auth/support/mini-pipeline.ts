/**
 * The smallest caller of the auth parts, in the order the real pipeline calls them: select →
 * safety rails → authorize → conflict check → send → 401 → invalidate → replay once. The real
 * pipeline lives in src/client; these tests exercise the auth side on their own.
 */
import type { ClaimNames, Credential } from "../../../src/auth/credential.js";
import { checkCredentialConflict } from "../../../src/auth/conflict.js";
import { environmentOf } from "../../../src/auth/environment.js";
import { checkRequestSafety } from "../../../src/auth/request-safety.js";
import { selectCredential } from "../../../src/auth/select.js";
import { PorticoError } from "../../../src/errors/portico-error.js";
import type { ApiDescriptor } from "../../../src/spec/descriptor.js";

export interface CallOptions {
  readonly descriptor: ApiDescriptor;
  readonly credentials: Credential | readonly Credential[];
  readonly baseUrl: string;
  readonly method?: string;
  /** Path template = path here. */
  readonly path: string;
  /** Operation key when it differs from `METHOD path`. */
  readonly operation?: string;
  readonly headers?: Record<string, string>;
  readonly claims?: ClaimNames;
}

export type CallResult = { status: number; body: unknown; attempts: number } | { error: PorticoError; attempts: number };

export async function call(options: CallOptions): Promise<CallResult> {
  const method = options.method ?? "GET";
  const operation = options.operation ?? `${method} ${options.path}`;
  const selection = selectCredential(options.descriptor, operation, options.credentials);
  if (selection instanceof PorticoError) return { error: selection, attempts: 0 };
  const url = `${options.baseUrl}${options.path}`;
  const environment = environmentOf(options.baseUrl, options.descriptor.servers);
  let attempts = 0;
  let replayed = false;
  for (;;) {
    const headers: Record<string, string> = { ...options.headers };
    let handle: unknown;
    if (selection !== undefined) {
      const unsafe = checkRequestSafety(selection, url, environment);
      if (unsafe) return { error: unsafe, attempts };
      try {
        const authorization = await selection.credential.authorize({
          url,
          method,
          operation,
          scheme: selection.scheme,
          schemeDescriptor: selection.schemeDescriptor,
          scopes: selection.scopes,
          ...(options.claims ? { claims: options.claims } : {}),
        });
        Object.assign(headers, authorization.headers);
        handle = authorization.handle;
      } catch (error) {
        if (error instanceof PorticoError) return { error, attempts };
        throw error;
      }
      const conflict = checkCredentialConflict(options.descriptor, operation, headers);
      if (conflict) return { error: conflict, attempts };
    }
    attempts += 1;
    const response = await fetch(url, { method, headers });
    const body: unknown = await response.json().catch(() => undefined);
    if (response.status === 401 && !replayed && selection?.credential.invalidate) {
      replayed = true;
      if (await selection.credential.invalidate(handle)) continue;
    }
    return { status: response.status, body, attempts };
  }
}
