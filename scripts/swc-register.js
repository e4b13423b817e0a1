// Lets `node` run this project's TypeScript directly (cdktf.json's "app", the bin in a checkout), compiled file by
// file with swc, which takes milliseconds: ts-node type-checks and costs about 2 s per synth. Types are checked by
// `npm test` (tsc --noEmit) instead.
//
// Each compiled file is kept in node_modules/.cache/mixpanel-s3-export-swc/ (or MIXPANEL_SWC_CACHE) under a hash of
// what it was compiled from (the source, its path, swc's version and the options), so a start whose sources have
// not changed neither compiles nor loads swc: about a third of a `review` start. A changed source has another
// hash, so nothing stale is ever run. The folder is safe to delete; where it cannot be written, every start
// compiles.
"use strict";
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");
const { writeWhole } = require("./write-whole");

const OPTIONS = {
  sourceMaps: "inline",
  module: { type: "commonjs" },
  jsc: { parser: { syntax: "typescript" }, target: "es2022" },
};
const NODE_MODULES = path.join(__dirname, "..", "node_modules");
const CACHE = process.env.MIXPANEL_SWC_CACHE || path.join(NODE_MODULES, ".cache", "mixpanel-s3-export-swc");
// Read as a file, not required: requiring @swc/core's package.json would not load swc, but this is cheaper still.
const SWC_VERSION = JSON.parse(fs.readFileSync(path.join(NODE_MODULES, "@swc", "core", "package.json"), "utf8")).version;
const KEY_PREFIX = JSON.stringify({ swc: SWC_VERSION, options: OPTIONS });

let swc;
function compile(source, filename) {
  swc ??= require("@swc/core");
  return swc.transformSync(source, { filename, ...OPTIONS }).code;
}

/** The compiled code of a source, from the cache when it holds it; kept there when it did not. */
function compiled(source, filename) {
  const key = crypto.createHash("sha256").update(`${KEY_PREFIX}\0${filename}\0${source}`).digest("hex");
  const file = path.join(CACHE, `${key}.js`);
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    // Not compiled yet (or unreadable): compile it below.
  }
  const code = compile(source, filename);
  try {
    fs.mkdirSync(CACHE, { recursive: true });
    // A start beside this one never reads half of it.
    writeWhole(file, code);
  } catch {
    // A read-only checkout: run the code compiled here, keep nothing.
  }
  return code;
}

require.extensions[".ts"] = function compileTypeScript(module, filename) {
  module._compile(compiled(fs.readFileSync(filename, "utf8"), filename), filename);
};
