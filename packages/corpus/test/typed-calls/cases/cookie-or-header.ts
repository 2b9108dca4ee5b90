import { apiKey, bearerToken } from "@portico/core";
import { createNotesApiClient } from "../../../.generated/cookie-or-header/index.js";

export async function cookieOrHeaderCalls(): Promise<string> {
  const byHeader = createNotesApiClient({ baseUrl: "https://notes.example.com", auth: apiKey("k") });
  const byCookie = createNotesApiClient({ auth: { sessionCookie: apiKey("k") } });
  // @ts-expect-error both schemes take an API key, not a token
  createNotesApiClient({ auth: bearerToken("t") });
  // @ts-expect-error the cookie scheme takes an API key
  createNotesApiClient({ auth: { sessionCookie: bearerToken("t") } });
  const a = await byHeader.GET("/notes", { params: { query: { tag: "work" } } });
  if (a.error) return a.error.code;
  const b = await byCookie.GET("/notes", { headers: { cookie: "theme=dark" } });
  if (b.error) return b.error.code;
  return `${a.data.length + b.data.length}`;
}
