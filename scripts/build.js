#!/usr/bin/env node
// npm run build: compiles src/ into dist/src, after removing what an earlier build left there (a stale file
// would otherwise ship), and copies the module's terraform test files beside the code.
//   node scripts/build.js [--no-check]
//     --no-check: emit without type-checking (tsc --noCheck), for the test tiers only: `npm test` type-checks
//       the whole project before they run, and for code that type-checks the output is the same.
"use strict";
const { execFileSync } = require("child_process");
const fs = require("fs");
const path = require("path");

const root = path.join(__dirname, "..");
const dist = path.join(root, "dist");
const noCheck = process.argv.includes("--no-check");
fs.rmSync(path.join(dist, "src"), { recursive: true, force: true });
execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", path.join(root, "tsconfig.build.json"), "--outDir", dist,
  ...(noCheck ? ["--noCheck"] : [])], {
  cwd: root,
  stdio: "inherit",
});
fs.cpSync(path.join(root, "src", "module", "tftest"), path.join(dist, "src", "module", "tftest"), { recursive: true });
