const { NEEDS_MORE_THAN_NODE } = require("./__tests__/support/tiers");

/** @type {import('jest').Config} */
module.exports = {
  // node's, plus three savings that change nothing a test checks (see the file): cdktf's stack traces, one per
  // token, skip jest's source mapping; each module is compiled once per worker (V8's code cache); the worker
  // synthesizes the stack variants, not each test file.
  testEnvironment: "<rootDir>/__tests__/support/environment.js",
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts"],
  // Apps of the consumer tiers, copied into temp folders and run there with their own jest; with
  // MIXPANEL_UNIT_ONLY=1 (npm run test:unit), also the tiers that need more than node (terraform, an npm install,
  // the cdktf CLI).
  testPathIgnorePatterns: ["/node_modules/", "<rootDir>/__tests__/consumers/[^/]+-app/",
    ...(process.env.MIXPANEL_UNIT_ONLY === "1" ? NEEDS_MORE_THAN_NODE : [])],
  // swc strips types in milliseconds; `npm test` type-checks with tsc first.
  transform: {
    "^.+\\.ts$": ["@swc/jest", { jsc: { parser: { syntax: "typescript" }, target: "es2022" } }],
  },
  // A temporary folder for the run (removed at the end), and terraform's plugin cache filled once before the
  // terraform tier's parallel `terraform init`s.
  globalSetup: "<rootDir>/__tests__/support/global-setup.ts",
  globalTeardown: "<rootDir>/__tests__/support/global-teardown.ts",
  reporters: ["<rootDir>/__tests__/support/summary-reporter.js"],
  testSequencer: "<rootDir>/__tests__/support/tier-sequencer.js",
  // Two workers, set explicitly: on a 2-core machine jest's default (cores - 1) would run every file in band.
  maxWorkers: 2,
  // Workers as threads of the jest process, not processes of their own: each test's result reaches the
  // reporter by structured clone instead of JSON over a pipe (2,000 of them a run), and a worker starts
  // faster. About 1.5 CPU-seconds of test:unit's 21. No test changes the process (cwd, exit code).
  workerThreads: true,
  // The terraform tier runs real `terraform plan`s; unit tests finish in milliseconds.
  testTimeout: 300000,
};
