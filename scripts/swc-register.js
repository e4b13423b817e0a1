// Lets `node` run this project's TypeScript directly (cdktf.json's "app"), compiled file by file with
// swc, which takes milliseconds: ts-node type-checks and costs about 2 s per synth. Types are checked by
// `npm test` (tsc --noEmit) instead.
const { transformSync } = require("@swc/core");
const fs = require("fs");

require.extensions[".ts"] = function compileTypeScript(module, filename) {
  const { code } = transformSync(fs.readFileSync(filename, "utf8"), {
    filename,
    sourceMaps: "inline",
    module: { type: "commonjs" },
    jsc: { parser: { syntax: "typescript" }, target: "es2022" },
  });
  module._compile(code, filename);
};
