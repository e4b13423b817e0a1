// What a test file's `require("archiver")` gets (jest.config.js, moduleNameMapper): cdktf's archiver, loaded on
// its first use rather than with cdktf.
//
// cdktf requires archiver (about 200 of the 380 modules cdktf loads) in every process that loads cdktf, but
// only calls it in a node process of its own: a zipped TerraformAsset is made by `node cdktf/lib/private/fs.js`
// (execSync), which loads the real archiver there. In a jest worker it is never called, yet every test file
// that loaded cdktf loaded it. stand-ins.test.ts checks that each export of this stand-in is the real one's
// (a zip made through it).
"use strict";

let real;
const load = () => (real ??= require("mixpanel-s3-export-real/archiver"));

/** archiver(format, options) and its three static functions, the real ones, loaded on first use. */
function archiver(...args) {
  return load()(...args);
}
archiver.create = (...args) => load().create(...args);
archiver.registerFormat = (...args) => load().registerFormat(...args);
archiver.isRegisteredFormat = (...args) => load().isRegisteredFormat(...args);

module.exports = archiver;
