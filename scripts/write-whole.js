// Writing a file that others may read or write at the same moment (the run's synth cache, the swc cache,
// terraform's CLI config, tsc's result for the test reporter): the text goes to a file of its own first, then is
// renamed into place, so a reader sees the old file or the whole new one, never half. The temporary name is this
// writer's alone: jest's workers are threads of one process, so a name by process id would be shared by two
// workers writing the same file, and the second rename would fail (or move the other's half-written text into
// place).
"use strict";
const crypto = require("crypto");
const fs = require("fs");

/** Writes `text` to `file` whole: under a temporary name of this call's own, then renamed into place. */
function writeWhole(file, text) {
  const temporary = `${file}.${process.pid}-${crypto.randomBytes(6).toString("hex")}.partial`;
  try {
    fs.writeFileSync(temporary, text);
    fs.renameSync(temporary, file);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
}

module.exports = { writeWhole };
