import { bearerToken } from "@portico/core";
import { createOpenAIApiClient } from "../../.generated/openai/index.js";

export async function openaiCalls(): Promise<string | undefined> {
  const openai = createOpenAIApiClient({
    baseUrl: "https://api.openai.com/v1",
    auth: { ApiKeyAuth: bearerToken("sk-proj-x"), AdminApiKeyAuth: bearerToken("sk-admin-x") },
  });
  const embedding = await openai.POST("/embeddings", { body: { model: "text-embedding-3-small", input: "Say hi" } });
  if (embedding.error) return embedding.error.code;
  const deleted = await openai.DELETE("/responses/{response_id}", { params: { path: { response_id: "resp_x" } } });
  // A declared 404 narrows to its body type (undefined for the SDK's own errors of that status).
  if (deleted.error?.status === 404) return deleted.error.body?.message;
  const users = await openai.GET("/organization/projects/{project_id}/users", { params: { path: { project_id: "proj_x" } } });
  if (users.error) return users.error.code;
  return `${embedding.data.model} ${users.data.data.length}`;
}
