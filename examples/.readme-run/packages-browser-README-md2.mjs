import { connectEvents } from "@portico/browser";
import { atlasEvents } from "@atlas-softpos/api-client";
const stream = await connectEvents(atlasEvents, {
    baseUrl: "https://sandbox.api.atlas-softpos.com", // the stream is at atlasEvents.path under it
    apiKey: "sk_test_…", // or getShortLivedToken: () => fetch("/pos/ws-token").then((r) => r.text())
    onEvent: (event) => console.log(event.type), // parse: to validate each message (e.g. a zod/mini schema)
    onError: (error) => console.warn(error.code),
});
