/**
 * The order test files start in: tier by tier, the longest-running tiers first; within a tier jest's own
 * order, which without timings from a last run (a fresh clone) is by file size, largest first.
 */
const TierSequencer = require("./support/tier-sequencer") as new (options: object) => { sort(tests: FakeTest[]): Promise<FakeTest[]> };

interface FakeTest {
  path: string;
  context: { config: { cache: boolean }; hasteFS: { getSize(path: string): number } };
}

test("without timings: consumers, terraform, cdktf cli, iam, unit; each tier's files largest first", async () => {
  const sizes: Record<string, number> = {
    "/p/__tests__/validation.test.ts": 40_000,
    "/p/__tests__/terraform/plan-review.tf.test.ts": 35_000,
    "/p/__tests__/iam/s3-access.test.ts": 9_000,
    "/p/__tests__/consumers/library.consumer.test.ts": 12_000,
    "/p/__tests__/terraform/variants.tf.test.ts": 3_000,
    "/p/__tests__/synth-cli.test.ts": 4_000,
    "/p/__tests__/docs.test.ts": 2_000,
    "/p/__tests__/consumers/package-contents.test.ts": 3_000,
  };
  const context = { config: { cache: false }, hasteFS: { getSize: (path: string) => sizes[path] } };
  const tests = Object.keys(sizes).map((path) => ({ path, context }));
  const sorted = await new TierSequencer({}).sort(tests);
  expect(sorted.map((t) => t.path.replace("/p/__tests__/", ""))).toEqual([
    "consumers/library.consumer.test.ts", "consumers/package-contents.test.ts",
    "terraform/plan-review.tf.test.ts", "terraform/variants.tf.test.ts",
    "synth-cli.test.ts",
    "iam/s3-access.test.ts",
    "validation.test.ts", "docs.test.ts",
  ]);
});
