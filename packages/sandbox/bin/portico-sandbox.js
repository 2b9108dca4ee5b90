#!/usr/bin/env node
// Launcher for the `portico-sandbox` bin. It exists before the first build, so package managers link
// the bin in a fresh workspace; the CLI itself is dist/cli.js (built by `tsup`).
import "../dist/cli.js";
