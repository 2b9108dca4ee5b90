// An edge function (service-worker syntax, as Vercel's edge-runtime and Cloudflare Workers run
// it): each request lists the IMS items through the generated client. The runtime provides the
// API origin and the token as the globals IMS_API and IMS_TOKEN.
import { createImsApiClient } from "@atrope-ai/api-client";
import { bearerToken } from "@portico/core";

declare const IMS_API: string;
declare const IMS_TOKEN: string;

interface FetchEvent extends Event {
  readonly request: Request;
  respondWith(response: Promise<Response>): void;
}

const ims = createImsApiClient({ baseUrl: IMS_API, auth: bearerToken(IMS_TOKEN), retry: false });

addEventListener("fetch", (event) => {
  (event as FetchEvent).respondWith(
    ims.GET("/v1/items", { params: { query: { limit: 2 } } }).then(
      ({ data, error }) =>
        new Response(JSON.stringify({ skus: data?.data.map((item) => item.sku), error: error ? { code: error.code, message: error.message } : undefined }), {
          headers: { "content-type": "application/json" },
        }),
    ),
  );
});
