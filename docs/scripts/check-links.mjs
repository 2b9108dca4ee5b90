#!/usr/bin/env node
// @ts-check
/**
 * Checks every link of the built site, after `vitepress build`: VitePress itself fails on a dead
 * link between Markdown pages, but not on links into the API reference (TypeDoc's HTML, copied
 * from `public/api/`), on `#fragments`, on the sidebar and nav, or on links to files of the
 * repository. This script reads every HTML page of the output and fails when
 *
 * - a link inside the site (`href`/`src`, relative or under the base) names a file the build did
 *   not produce, or a `#fragment` no element of the target page has as its `id`;
 * - a link to this repository on GitHub (`…/portico-sdk/portico/blob/main/<path>`, `tree`,
 *   `edit`) names a path that does not exist in the working tree, or a heading a Markdown file
 *   does not have (GitHub's heading anchors);
 * - a page still points at a web font service (the site must work offline).
 *
 * Other external links are not fetched (the build has no network). Usage:
 * `node scripts/check-links.mjs [dist]`; `DOCS_BASE` as for the build.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

const docsDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const repoRoot = resolve(docsDir, "..");
const dist = resolve(process.argv[2] ?? join(docsDir, ".vitepress", "dist"));
const base = process.env.DOCS_BASE ?? "/";
const REPO_URL = /^https:\/\/github\.com\/portico-sdk\/portico\/(blob|tree|edit)\/main\/([^?#]*)(?:\?[^#]*)?(?:#(.*))?$/;
const SITE = "https://docs.invalid";

if (!existsSync(join(dist, "index.html"))) {
  console.error(`check-links: ${relative(process.cwd(), dist)} has no index.html; run the VitePress build first.`);
  process.exit(2);
}

/** Every file under `dir`, as paths relative to it with `/` separators. */
function walk(dir) {
  /** @type {string[]} */
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(path).map((p) => `${entry.name}/${p}`));
    else out.push(entry.name);
  }
  return out;
}

const ENTITIES = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", "#39": "'", "#x27": "'" };
const decodeEntities = (text) => text.replace(/&(amp|lt|gt|quot|apos|#39|#x27);/g, (_, name) => ENTITIES[name]);

/** The ids (and legacy `name` anchors) of an HTML page, read once. */
const idCache = new Map();
function idsOf(file) {
  let ids = idCache.get(file);
  if (ids === undefined) {
    const html = readFileSync(file, "utf8");
    ids = new Set();
    for (const match of html.matchAll(/\s(?:id|name)="([^"]*)"/g)) ids.add(decodeEntities(match[1]));
    idCache.set(file, ids);
  }
  return ids;
}

/** GitHub's anchors of a Markdown file's headings (lower case, punctuation dropped, spaces to `-`, repeats numbered). */
const headingCache = new Map();
function headingAnchorsOf(file) {
  let anchors = headingCache.get(file);
  if (anchors === undefined) {
    anchors = new Set();
    const seen = new Map();
    let fenced = false;
    for (const line of readFileSync(file, "utf8").split("\n")) {
      if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
      const heading = fenced ? null : /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
      if (heading === null) continue;
      const text = heading[1].replace(/`/g, "").replace(/\[([^\]]*)\]\([^)]*\)/g, "$1");
      const slug = text.toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, "").replace(/\s/g, "-");
      const count = seen.get(slug) ?? 0;
      seen.set(slug, count + 1);
      anchors.add(count === 0 ? slug : `${slug}-${count}`);
    }
    headingCache.set(file, anchors);
  }
  return anchors;
}

/** What is wrong with a link to this repository on GitHub, or undefined. */
function checkRepoLink(kind, path, fragment) {
  const target = join(repoRoot, decodeURIComponent(path));
  if (!target.startsWith(repoRoot + sep) && target !== repoRoot) return "points outside the repository";
  if (!existsSync(target)) return `names ${path || "/"}, which is not in the repository`;
  const isDir = statSync(target).isDirectory();
  if (kind === "tree" && !isDir) return `is a tree link to the file ${path}`;
  if (kind !== "tree" && isDir) return `is a ${kind} link to the directory ${path}`;
  if (fragment && !/^L\d+(-L\d+)?$/.test(fragment) && target.endsWith(".md")) {
    if (!headingAnchorsOf(target).has(decodeURIComponent(fragment))) return `names #${fragment}, which is no heading of ${path}`;
  }
  return undefined;
}

/** What is wrong with a link inside the site, or undefined. */
function checkSiteLink(url) {
  if (!url.pathname.startsWith(base)) return `leaves the site's base ${base}`;
  let path = decodeURIComponent(url.pathname.slice(base.length));
  if (path === "" || path.endsWith("/")) path += "index.html";
  // Exact file names only: a static host serves `guides/tokens.html`, not `guides/tokens`.
  let file = join(dist, path);
  if (!existsSync(file)) return `names ${path}, which the build did not produce`;
  if (statSync(file).isDirectory()) {
    file = join(file, "index.html");
    if (!existsSync(file)) return `names the directory ${path}, which has no index.html`;
  }
  const fragment = url.hash.slice(1);
  if (fragment && file.endsWith(".html") && !idsOf(file).has(decodeURIComponent(fragment))) {
    return `names #${decodeURIComponent(fragment)}, which no element of ${relative(dist, file)} has as its id`;
  }
  return undefined;
}

const problems = [];
let checked = 0;
let external = 0;
const files = walk(dist);
for (const page of files) {
  if (/\.(css|js|mjs)$/.test(page)) {
    if (readFileSync(join(dist, page), "utf8").includes("fonts.googleapis.com")) problems.push(`${page}: loads a web font from fonts.googleapis.com; the site must not need the network`);
    continue;
  }
  if (!page.endsWith(".html")) continue;
  const html = readFileSync(join(dist, page), "utf8");
  if (html.includes("fonts.googleapis.com")) problems.push(`${page}: loads a web font from fonts.googleapis.com; the site must not need the network`);
  const pageUrl = new URL(base + page, SITE);
  // Attributes of tags only (not text in code blocks, which is escaped).
  for (const match of html.matchAll(/<[a-zA-Z][^>]*?\s(?:href|src)="([^"]*)"/g)) {
    const raw = decodeEntities(match[1]);
    if (raw === "" || raw === "#" || /^(mailto|tel|javascript|data):/i.test(raw)) continue;
    checked += 1;
    const repo = REPO_URL.exec(raw);
    let problem;
    if (repo !== null) {
      problem = checkRepoLink(repo[1], repo[2].replace(/\/$/, ""), repo[3]);
    } else if (/^([a-z][a-z0-9+.-]*:)?\/\//i.test(raw)) {
      external += 1;
      continue;
    } else {
      problem = checkSiteLink(new URL(raw, pageUrl));
    }
    if (problem !== undefined) problems.push(`${page}: ${raw} ${problem}`);
  }
}

if (problems.length > 0) {
  console.error(`check-links: ${problems.length} broken link(s) in ${relative(process.cwd(), dist) || "."}:`);
  for (const problem of [...new Set(problems)].sort()) console.error(`  ${problem}`);
  process.exit(1);
}
console.log(`check-links: ${checked} links in ${files.filter((f) => f.endsWith(".html")).length} pages resolve (${external} external links not fetched).`);
