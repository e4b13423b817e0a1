/**
 * The test tiers: the wall time per tier that `npm test` prints above its closing line (with two workers the
 * files of several tiers run side by side, so each tier's time is the span of its own files, not a sum), and
 * the tiers `npm run test:unit` leaves out.
 */
const { tierTimes } = require("./support/summary-reporter") as {
  tierTimes: (results: readonly FileResult[], runStart: number) => string[];
};
const { NEEDS_MORE_THAN_NODE } = require("./support/tiers") as { NEEDS_MORE_THAN_NODE: string[] };

interface FileResult {
  testFilePath: string;
  perfStats: { start: number; end: number; loadTestEnvironmentStart: number };
  numPassingTests: number;
  numFailingTests: number;
  numPendingTests: number;
}

const T0 = 1_700_000_000_000;

/** A file that ran from `from` to `to` seconds after T0 (its environment loaded 0.1 s before its tests). */
function file(testFilePath: string, from: number, to: number, passed = 1, failed = 0, skipped = 0): FileResult {
  return {
    testFilePath,
    perfStats: { loadTestEnvironmentStart: T0 + from * 1000, start: T0 + from * 1000 + 100, end: T0 + to * 1000 },
    numPassingTests: passed,
    numFailingTests: failed,
    numPendingTests: skipped,
  };
}

test("each tier's wall time spans its first file's start to its last file's end, with when, and its files' own time", () => {
  const lines = tierTimes([
    file("/repo/__tests__/terraform/variants.tf.test.ts", 0.5, 50, 10),
    file("/repo/__tests__/validation.test.ts", 0.5, 2, 5),
    file("/repo/__tests__/iam/kms.test.ts", 2, 3.5, 7, 1),
    file("/repo/__tests__/snapshot.test.ts", 3.5, 4),
    file("/repo/__tests__/terraform/module.tf.test.ts", 4, 70, 0, 0, 4),
    file("/repo/__tests__/synth-cli.test.ts", 2, 9, 2),
  ], T0);
  expect(lines).toEqual([
    "  terraform: 69.5 s, from 0.5 to 70.0 s (2 files, 14 tests; 115.5 s in its files)",
    "  cdktf cli: 7.0 s, from 2.0 to 9.0 s (1 files, 2 tests; 7.0 s in its files)",
    "  iam: 1.5 s, from 2.0 to 3.5 s (1 files, 8 tests; 1.5 s in its files)",
    "  unit: 3.5 s, from 0.5 to 4.0 s (2 files, 6 tests; 2.0 s in its files)",
  ]);
});

test("a file that failed to run is counted but does not stretch its tier's span", () => {
  const unrun: FileResult = {
    testFilePath: "C:\\repo\\__tests__\\iam\\s3-access.test.ts",
    perfStats: { loadTestEnvironmentStart: 0, start: 0, end: 0 },
    numPassingTests: 0,
    numFailingTests: 0,
    numPendingTests: 0,
  };
  expect(tierTimes([file("/repo/__tests__/iam/kms.test.ts", 1, 3, 2), unrun], T0)).toEqual([
    "  iam: 2.0 s, from 1.0 to 3.0 s (2 files, 2 tests, 1 failed to run; 2.0 s in its files)",
  ]);
  expect(tierTimes([unrun], T0)).toEqual(["  iam: no time (1 files, 0 tests, 1 failed to run; 0.0 s in its files)"]);
});

test("npm run test:unit leaves out exactly the files of the tiers that need more than node", () => {
  const files = {
    "/repo/__tests__/terraform/variants.tf.test.ts": true,
    "/repo/__tests__/consumers/package-contents.test.ts": true,
    "/repo/__tests__/synth-cli.test.ts": true,
    "/repo/__tests__/synth-cache.test.ts": false,
    "/repo/__tests__/iam/kms.test.ts": false,
    "/repo/__tests__/review/bin.test.ts": false,
  };
  const ignored = (file: string) => NEEDS_MORE_THAN_NODE.some((pattern) => new RegExp(pattern).test(file));
  expect(Object.fromEntries(Object.keys(files).map((file) => [file, ignored(file)]))).toEqual(files);
});
