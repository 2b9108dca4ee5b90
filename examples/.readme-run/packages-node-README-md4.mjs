import { connectEvents } from "@portico/node";
import { atlasEvents } from "@atlas-softpos/api-client";
const events = connectEvents(atlasEvents, {
    baseUrl: "https://sandbox.api.atlas-softpos.com",
    credential: atlasAuth, // or apiKey: "sk_test_…" (sent as X-Api-Key), or getToken: () => "…"
    reconnect: { baseDelayMs: 500, maxDelayMs: 30_000 },
    onEvent(event) {
        switch (event.type) {
            case "transaction.completed":
                settle(event.data);
                break;
            case "device.status":
                updateTerminal(event.data);
                break;
        }
    },
    onInvalidMessage: (error) => log.warn(error.message), // not JSON / fails `validate`: reported, connection kept
    onError: (error) => log.warn({ code: error.code, status: error.status }, error.message),
});
await events.opened();
