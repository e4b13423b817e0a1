const path = require("path");
const { NEEDS_MORE_THAN_NODE } = require("./__tests__/support/tiers");

/** Where node resolves `request` from the package `from`: the module that package itself loads. */
const resolvedFrom = (from, request) => require.resolve(request, { paths: [path.dirname(require.resolve(from))] });

/** @type {import('jest').Config} */
module.exports = {
  // node's, plus three savings that change nothing a test checks (see the file): cdktf's stack traces, one per
  // token, skip jest's source mapping; each module is compiled once per worker (V8's code cache); the worker
  // synthesizes the stack variants, not each test file.
  testEnvironment: "<rootDir>/__tests__/support/environment.js",
  // Two dependencies of dependencies, stood in for in the test files (see each file): cdktf's archiver, which
  // cdktf loads but only calls in a node process of its own, is loaded on first use; iam-simulate's resource-type
  // matching, a pure function it calls for every simulated request, remembers its answers. Each stand-in loads
  // the real module by the second name. Any test file's `archiver` is cdktf's (today only cdktf requires one in
  // a test file; cdktf-cli's copy, the same version, runs in the CLI's own processes).
  moduleNameMapper: {
    "^archiver$": "<rootDir>/__tests__/support/stand-ins/archiver.js",
    "^@cloud-copilot/iam-utils$": "<rootDir>/__tests__/support/stand-ins/iam-utils.js",
    "^mixpanel-s3-export-real/archiver$": resolvedFrom("cdktf", "archiver"),
    "^mixpanel-s3-export-real/iam-utils$": resolvedFrom("@cloud-copilot/iam-simulate", "@cloud-copilot/iam-utils"),
  },
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
