// The test tiers, told apart by file path: the summary reporter prints each tier's wall time, `npm run
// test:unit` leaves out the tiers that need more than node (terraform, an npm install, the cdktf CLI), and
// `npm run bench` times them.
"use strict";

/** First match wins; the last tier takes every other file. `needs`: what the tier needs beyond node. */
const TIERS = [
  { name: "terraform", pattern: "\\.tf\\.test\\.ts$", needs: "terraform" },
  { name: "library consumers", pattern: "/__tests__/consumers/", needs: "npm install" },
  // The real `cdktf synth`: the CLI is a program of its own (it loads its converter, jsii-rosetta and TypeScript
  // even to synthesize, about 6 CPU-seconds a run) and calls terraform when it finds it on the PATH.
  { name: "cdktf cli", pattern: "/__tests__/synth-cli\\.test\\.ts$", needs: "the cdktf CLI (a program of its own, which calls terraform when present)" },
  // The README's commands on each supported Node.js LTS line, each node installed from the npm registry.
  { name: "node versions", pattern: "/__tests__/node-versions\\.test\\.ts$", needs: "Node binaries from the npm registry" },
  { name: "iam", pattern: "/__tests__/iam/" },
  { name: "unit", pattern: "" },
];

/** The tier a test file belongs to. */
function tierOf(file) {
  return TIERS.find((tier) => new RegExp(tier.pattern).test(file.split("\\").join("/"))).name;
}

/** Path patterns of the tiers that need more than node (jest's testPathIgnorePatterns, for test:unit). */
const NEEDS_MORE_THAN_NODE = TIERS.filter((tier) => tier.needs).map((tier) => tier.pattern);

module.exports = { TIERS, tierOf, NEEDS_MORE_THAN_NODE };
