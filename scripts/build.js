#!/usr/bin/env node
// npm run build: compiles src/ into <root>/dist/src, after removing what an earlier build left
// there (a stale file would otherwise ship), and copies the module's terraform test files beside the code.
//   node scripts/build.js [root]     root: the project folder (default), or a copy of it
"use strict";
const { execFileSync } = require("child_process");
const fs = require("fs");
const path = require("path");

const project = path.join(__dirname, "..");
const root = path.resolve(process.argv[2] ?? project);
const dist = path.join(root, "dist");
fs.rmSync(path.join(dist, "src"), { recursive: true, force: true });
execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", path.join(root, "tsconfig.build.json"), "--outDir", dist], {
  cwd: root,
  stdio: "inherit",
});
fs.cpSync(path.join(root, "src", "module", "tftest"), path.join(dist, "src", "module", "tftest"), { recursive: true });
