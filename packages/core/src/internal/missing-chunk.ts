/**
 * What to do when a module core loads with `import()` (a chunk of its own in an app's bundle)
 * cannot be loaded: the end of every message that says so.
 */
export const MISSING_CHUNK_FIX =
  "Reload the page or restart the app, and check that it serves all of its JavaScript chunks: a deployment that replaced them while the app was running is the usual cause.";
