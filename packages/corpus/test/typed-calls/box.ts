import { bearerToken } from "@portico/core";
import { createBoxPlatformApiClient } from "../../.generated/box/index.js";

export async function boxCalls(): Promise<string | undefined> {
  const box = createBoxPlatformApiClient({ baseUrl: "https://api.box.com/2.0", auth: bearerToken("box-access-token") });
  const folder = await box.POST("/folders", { body: { name: "Reports", parent: { id: "0" } } });
  if (folder.error) return folder.error.code;
  const file = await box.GET("/files/{file_id}", { params: { path: { file_id: "12345" } } });
  if (file.error) {
    switch (file.error.code) {
      case "not_found":
        return "missing";
      default:
        return file.error.code;
    }
  }
  return `${folder.data.id} ${file.data.name}`;
}
