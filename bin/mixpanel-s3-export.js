#!/usr/bin/env node
// `mixpanel-s3-export review ...` and `mixpanel-s3-export adopt ...` (see src/cli/main.ts). A checkout runs
// the TypeScript sources, compiled on the fly with swc, so a stale build never answers; a published package
// (no .ts sources) runs the compiled CLI from dist/ (`npm run build`, run by `npm pack`).
"use strict";
const fs = require("fs");
const path = require("path");

const root = path.join(__dirname, "..");
const source = path.join(root, "src", "cli", "main.ts");
let cli;
if (fs.existsSync(source)) {
  require(path.join(root, "scripts", "swc-register.js"));
  cli = require(source);
} else {
  cli = require(path.join(root, "dist", "src", "cli", "main.js"));
}
// exitCode, not process.exit(): stdout is flushed before node exits, even into a pipe.
process.exitCode = cli.runCli(process.argv.slice(2));
