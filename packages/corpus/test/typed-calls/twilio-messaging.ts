import { basicAuth } from "@portico/core";
import { createTwilioMessagingApiClient } from "../../.generated/twilio-messaging/index.js";

export async function twilioCalls(): Promise<string | null | undefined> {
  const twilio = createTwilioMessagingApiClient({ baseUrl: "https://messaging.twilio.com", auth: basicAuth("ACxxxxxxxx", "auth-token") });
  const service = await twilio.POST("/v1/Services", { body: { FriendlyName: "Notifications", StickySender: true } });
  if (service.error) return service.error.code;
  const fetched = await twilio.GET("/v1/Services/{Sid}", { params: { path: { Sid: service.data.sid ?? "" } } });
  if (fetched.error) return `${fetched.error.status}`;
  return fetched.data.friendly_name;
}
