/**
 * `synthStack` keeps each variant's synthesis for the rest of the run (support/synth.ts): what it hands out
 * from there must be exactly what the stack synthesizes, and props JSON cannot carry exactly are never kept.
 */
import * as fs from "fs";
import * as path from "path";
import { CUSTOMER_KEY_ARN, baseProps, synthCacheFile, synthStack, synthesize } from "./support/synth";

const PROPS = baseProps({ encryption: "KMS", kmsKeyArn: CUSTOMER_KEY_ARN, bucketName: "acme-synth-cache-check", tags: { team: "data" } });

test("a kept synthesis is the stack's own synthesis, byte for byte, in the run's folder", () => {
  const file = synthCacheFile(PROPS);
  expect(file?.startsWith(`${process.env.MIXPANEL_TEST_TMPDIR}${path.sep}`)).toBe(true);
  const first = synthStack(PROPS);
  expect(fs.readFileSync(file!, "utf8")).toBe(first);
  expect(synthStack(PROPS)).toBe(first);
  expect(first).toBe(synthesize(PROPS));
});

test("props differing in any value are kept apart", () => {
  const other = { ...PROPS, tags: { team: "analytics" } };
  expect(synthCacheFile(other)).not.toBe(synthCacheFile(PROPS));
  expect(synthStack(other)).toContain('"team": "analytics"');
  expect(synthStack(PROPS)).not.toContain('"team": "analytics"');
});

test("props JSON would not carry exactly are synthesized every time, never kept", () => {
  expect(synthCacheFile({ ...PROPS, kmsKeyArn: undefined })).toBeUndefined();
  expect(synthCacheFile({ ...PROPS, maxSessionDuration: Number.NaN })).toBeUndefined();
  expect(synthCacheFile({ ...PROPS, maxSessionDuration: -0 })).toBeUndefined();
});
