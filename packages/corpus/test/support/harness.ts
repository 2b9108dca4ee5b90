import { afterAll, afterEach, beforeAll } from "vitest";
import type { SpecId } from "./corpus.js";
import { loadClient, type LoadedClient } from "./generate.js";
import { startRecorder, type Recorder } from "./recorder.js";

/** Generating GitHub's 13 MB spec takes seconds; more when the other worker generates too. */
const GENERATE_TIMEOUT_MS = 180_000;

/** What a corpus test file works with: the recorder, and the spec's generated client module. */
export interface CorpusContext {
  readonly recorder: Recorder;
  readonly api: LoadedClient;
  /**
   * A client from the generated factory, pointed at the recorder (`baseUrl`, its loopback-only
   * `fetcher`), with `options` (the credential, ...) on top.
   */
  client(options: Record<string, unknown>): any;
}

/**
 * Starts a recorder and generates + imports the spec's client once for the file (a codegen failure
 * fails every test of the file with codegen's message); forgets recorded requests after each test.
 */
export function useCorpus(id: SpecId): CorpusContext {
  let recorder: Recorder | undefined;
  let api: LoadedClient | undefined;
  beforeAll(async () => {
    recorder = await startRecorder();
    api = await loadClient(id);
  }, GENERATE_TIMEOUT_MS);
  afterEach(() => recorder?.reset());
  afterAll(async () => {
    await recorder?.close();
  });
  const ctx: CorpusContext = {
    get recorder() {
      if (!recorder) throw new Error("recorder not started");
      return recorder;
    },
    get api() {
      if (!api) throw new Error(`${id}: the client was not generated`);
      return api;
    },
    client: (options) => ctx.api.create({ baseUrl: ctx.recorder.url, fetcher: ctx.recorder.fetch, ...options }),
  };
  return ctx;
}
