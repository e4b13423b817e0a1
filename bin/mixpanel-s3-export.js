#!/usr/bin/env node
// `mixpanel-s3-export review ...` (see src/cli/review.ts). A published package runs the compiled CLI from
// dist/ (`npm run build`); a checkout without a build compiles the TypeScript on the fly with swc.
"use strict";
const fs = require("fs");
const path = require("path");

const root = path.join(__dirname, "..");
const compiled = path.join(root, "dist", "src", "cli", "review.js");
let cli;
if (fs.existsSync(compiled)) {
  cli = require(compiled);
} else {
  require(path.join(root, "scripts", "swc-register.js"));
  cli = require(path.join(root, "src", "cli", "review.ts"));
}
// exitCode, not process.exit(): stdout is flushed before node exits, even into a pipe.
process.exitCode = cli.runCli(process.argv.slice(2));
