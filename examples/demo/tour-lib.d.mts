/** One step of the tour as it ran. */
export interface TourStep {
  readonly name: string;
  /** The file that implements the step, relative to the repository root (e.g. `examples/demo/steps/ims.mjs`). */
  readonly file: string;
  readonly ok: boolean;
  readonly ms: number;
  readonly summary: string;
  readonly error?: string;
  readonly facts?: Readonly<Record<string, unknown>>;
}

/** What `runTour` returns. */
export interface TourResult {
  readonly ok: boolean;
  readonly steps: readonly TourStep[];
  readonly totalMs: number;
}

/** IMS token lifetime the tour gives the sandbox, in seconds. */
export declare const TOUR_IMS_TOKEN_LIFETIME_SECONDS: number;

/** Runs the narrated tour against a sandbox it starts and stops; never throws for a failing step. */
export declare function runTour(options?: { log?: (line: string) => void; imsJobMs?: number }): Promise<TourResult>;
