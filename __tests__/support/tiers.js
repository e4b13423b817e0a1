// The test tiers, told apart by file path: the summary reporter prints each tier's wall time, and
// `npm run bench` measures each against its target.
"use strict";

/** First match wins. */
const TIERS = [
  { name: "terraform", test: (file) => /\.tf\.test\.ts$/.test(file) },
  { name: "library consumers", test: (file) => /[\\/]__tests__[\\/]consumers[\\/]/.test(file) },
  { name: "iam", test: (file) => /[\\/]__tests__[\\/]iam[\\/]/.test(file) },
  { name: "unit", test: () => true },
];

/** The tier a test file belongs to. */
function tierOf(file) {
  return TIERS.find((tier) => tier.test(file)).name;
}

module.exports = { TIERS, tierOf };
