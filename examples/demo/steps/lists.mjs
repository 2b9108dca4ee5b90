/**
 * Step: lists and streams through the generated EUDR client. `paginate` pages through the
 * supplier list (cursor recognised from the spec, every page through the full call path), and
 * `stream` follows the sync log as Server-Sent Events: the sandbox cuts the connection in the
 * middle of an event, and the client resumes with `Last-Event-ID`, losing and repeating nothing.
 */
import { createEudrApiClient } from "@nentropy/api-client";
import { bearerToken } from "@portico/core";
import { check } from "../narrator.mjs";

export const title = "EUDR — page through a list with paginate, follow a stream that breaks off mid-event";

export async function listsStep({ sandbox, say }) {
  const control = sandbox.apis.eudr.control;
  const eudr = createEudrApiClient({ baseUrl: control.baseUrl, auth: bearerToken(control.seeded.tokens.acme.token) });

  // Enough suppliers for several pages.
  const before = [];
  for await (const supplier of eudr.paginate("GET /suppliers", { params: { query: { limit: 100 } } })) before.push(supplier.id);
  const add = Math.max(0, 60 - before.length);
  for (let i = 0; i < add; i++) {
    const { error } = await eudr.POST("/suppliers", { body: { externalId: `SUP-DEMO-${i}`, name: `Demo Cooperative ${i}`, country: "GH" } });
    check(error === undefined, `creating supplier ${i} failed: ${error?.code}`);
  }

  const pages = [];
  const ids = [];
  for await (const page of eudr.paginate("GET /suppliers", { params: { query: { limit: 10 } } }).pages()) {
    pages.push(page.items.length);
    for (const supplier of page.items) ids.push(supplier.id);
  }
  check(ids.length === before.length + add, `paginate gave ${ids.length} suppliers, expected ${before.length + add}`);
  check(new Set(ids).size === ids.length, "paginate repeated a supplier");
  say(`paginate("GET /suppliers", limit 10): ${ids.length} suppliers in ${pages.length} pages (${pages.join(" + ")}), none twice`);

  // The sync log as SSE: whole, then cut mid-event and resumed.
  const whole = [];
  for await (const event of eudr.stream("GET /sync/logs/stream")) whole.push(event.id);
  control.cutSyncLogStream(1);
  const resumed = [];
  const stream = eudr.stream("GET /sync/logs/stream");
  for await (const event of stream) resumed.push(event.id);
  check(resumed.join() === whole.join(), `the resumed stream gave ${resumed.join(",")}, expected ${whole.join(",")}`);
  say(`stream("GET /sync/logs/stream"): ${whole.length} events; cut after event 1 mid-event, resumed with Last-Event-ID → ${resumed.length} events, none lost or repeated`);

  return { ok: true, summary: `${ids.length} items in ${pages.length} pages; a ${whole.length}-event stream resumed after a cut`, facts: { pages: pages.length, items: ids.length, events: whole.length } };
}
