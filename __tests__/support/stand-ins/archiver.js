// What a test file's `require("archiver")` gets (jest.config.js, moduleNameMapper): cdktf's archiver, loaded on
// its first call rather than with cdktf.
//
// cdktf requires archiver (about 200 of the 380 modules cdktf loads) in every process that loads cdktf, but
// only calls it in a node process of its own: a zipped TerraformAsset is made by `node cdktf/lib/private/fs.js`
// (execSync), which loads the real archiver there. In a jest worker it is never called, and every test file
// that loads cdktf paid for it: about 1.2 CPU-seconds of `npm run test:unit`. stand-ins.test.ts checks that
// this stand-in hands out the real archiver (a zip made through it).
"use strict";

let real;

/** archiver(format, options), the real one, loaded on first use. */
module.exports = function archiver(...args) {
  real ??= require("mixpanel-s3-export-real/archiver");
  return real(...args);
};
