import { bearerToken } from "@portico/core";
import { createGitHubApiClient } from "../../.generated/github/index.js";

export async function githubCalls(): Promise<string> {
  const github = createGitHubApiClient({ baseUrl: "https://api.github.com", auth: bearerToken("ghp_x") });
  const repo = await github.GET("/repos/{owner}/{repo}", { params: { path: { owner: "octocat", repo: "Hello-World" } } });
  if (repo.error) return repo.error.code;
  const issue = await github.POST("/repos/{owner}/{repo}/issues", {
    params: { path: { owner: "octocat", repo: "Hello-World" } },
    body: { title: "Found a bug", labels: ["bug"] },
  });
  if (issue.error) return `${issue.error.status}`;
  return `${repo.data.full_name}#${issue.data.number}`;
}
