// Jest's testSequencer: the test files tier by tier, the tiers that run longest first (each of their files
// mostly waits on terraform or npm), so the quick in-process tiers fill the workers at the end instead of a
// long file starting last. Within a tier, jest's own order: slowest first by the last run's times, else by
// file size, which is all a fresh clone has (and put the longest file, the library consumers', ninth).
"use strict";

const Sequencer = require("@jest/test-sequencer").default;
const { tierOf } = require("./tiers");

/** Tiers in the order their files start; a tier not named here starts last. */
const ORDER = ["library consumers", "terraform", "cdktf cli", "iam", "unit"];

const rank = (test) => {
  const index = ORDER.indexOf(tierOf(test.path));
  return index < 0 ? ORDER.length : index;
};

class TierSequencer extends Sequencer {
  async sort(tests) {
    const ordered = await super.sort(tests);
    // Array.prototype.sort is stable: jest's order stays within a tier.
    return [...ordered].sort((a, b) => rank(a) - rank(b));
  }
}

module.exports = TierSequencer;
