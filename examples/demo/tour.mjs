#!/usr/bin/env node
/**
 * `pnpm demo`: the narrated tour of portico's five generated clients against the local sandbox.
 * Exits 1 if any step misbehaves.
 */
import { runTour } from "./tour-lib.mjs";

const { ok } = await runTour();
process.exitCode = ok ? 0 : 1;
