/**
 * `synthStack` keeps each variant's synthesis for the rest of the run (support/synth.ts): what it hands out
 * from there must be exactly what the stack synthesizes in the test file itself, though the jest worker
 * synthesized it outside the file (support/worker-synth.js), and props JSON cannot carry exactly are never kept.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { MixpanelSettingsError } from "../src/rules/problems";
import { CUSTOMER_KEY_ARN, baseProps, synthCacheFile, synthStack, synthesize } from "./support/synth";

const { sourcesFingerprint } = require("./support/worker-synth") as { sourcesFingerprint: (dir: string) => string };

const PROPS = baseProps({ encryption: "KMS", kmsKeyArn: CUSTOMER_KEY_ARN, bucketName: "acme-synth-cache-check", tags: { team: "data" } });

/** Whether this test file has loaded cdktf (jest's require.cache is the file's own module registry). */
const cdktfLoaded = () => Object.keys(require.cache).some((file) => /[\\/]node_modules[\\/]cdktf[\\/]/.test(file));

test("a kept synthesis, made by the worker, is the stack's own synthesis in this file, byte for byte, in the run's folder", () => {
  const file = synthCacheFile(PROPS);
  expect(file?.startsWith(`${process.env.MIXPANEL_TEST_TMPDIR}${path.sep}`)).toBe(true);
  const first = synthStack(PROPS);
  expect(cdktfLoaded()).toBe(false);
  expect(fs.readFileSync(file!, "utf8")).toBe(first);
  expect(synthStack(PROPS)).toBe(first);
  expect(first).toBe(synthesize(PROPS));
  expect(cdktfLoaded()).toBe(true);
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

test("props that throw throw this file's own error, and nothing is kept", () => {
  const bad = baseProps({ bucketName: "Bad_Bucket" });
  expect(() => synthStack(bad)).toThrow(MixpanelSettingsError);
  expect(fs.existsSync(synthCacheFile(bad)!)).toBe(false);
});

test("the worker loads the stack's sources again after any change under them: their fingerprint changes", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mixpanel-fingerprint-"));
  try {
    fs.mkdirSync(path.join(dir, "stacks"));
    fs.writeFileSync(path.join(dir, "stacks", "a.ts"), "export const a = 1;\n");
    const before = sourcesFingerprint(dir);
    expect(sourcesFingerprint(dir)).toBe(before);
    fs.writeFileSync(path.join(dir, "stacks", "a.ts"), "export const a = 2;\n");
    const changed = sourcesFingerprint(dir);
    fs.writeFileSync(path.join(dir, "b.hcl"), "");
    const added = sourcesFingerprint(dir);
    expect(new Set([before, changed, added]).size).toBe(3);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
