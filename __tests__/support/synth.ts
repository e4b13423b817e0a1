import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import type { MixpanelS3ExportProps } from "../../src/config/props";
import type { PolicyDocument } from "../../src/policies/policy-document";
import { writeWhole } from "../../scripts/write-whole";

/** A valid Mixpanel project token (32 hex characters) for tests. */
export const TOKEN = "0123456789abcdef0123456789abcdef";
export const TOKEN_B = "fedcba9876543210fedcba9876543210";
export const TOKEN_C = "00112233445566778899aabbccddeeff";
export const BUCKET = "acme-mixpanel-export";
export const CUSTOMER_KEY_ARN = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

/** The smallest valid props; tests override what they are about. */
export function baseProps(overrides: Partial<MixpanelS3ExportProps> = {}): MixpanelS3ExportProps {
  return { projects: [{ token: TOKEN }], bucketName: BUCKET, region: "us-east-1", ...overrides };
}

/**
 * Synthesizes the deployable stack for the given props and returns its Terraform JSON as text.
 *
 * Each variant is synthesized once per test run and shared by every file and tier: the text is kept in the
 * run's own folder (MIXPANEL_TEST_TMPDIR, which the jest globalSetup makes fresh, so nothing is stale across
 * runs) under a hash of the props' JSON. Props that JSON does not carry exactly (an `undefined`, a
 * non-finite number) are synthesized every time, and so are props that throw: only a synthesis that
 * succeeded is kept. A miss is synthesized by the jest worker's synthesizer where the test environment gives
 * one (worker-synth.js: cdktf loaded once per worker), else here; a test file whose variants were all made
 * elsewhere never loads cdktf or the stack.
 */
export function synthStack(props: MixpanelS3ExportProps): string {
  const file = synthCacheFile(props);
  if (file === undefined) return synthesize(props);
  try {
    return fs.readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const synthesized = synthesizeToKeep(props);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // A file running beside this one, synthesizing the same props, never reads half of it.
  writeWhole(file, synthesized);
  return synthesized;
}

/** A synthesis of its own, in this test file, never kept: what {@link synthStack} keeps must equal it. */
export function synthesize(props: MixpanelS3ExportProps): string {
  const { Testing } = require("cdktf") as typeof import("cdktf");
  const { MixpanelS3ExportStack } = require("../../src/stacks/mixpanel-s3-export-stack") as typeof import("../../src/stacks/mixpanel-s3-export-stack");
  // worker-synth.js synthesizes the same way, outside the file.
  return Testing.synth(new MixpanelS3ExportStack(Testing.app(), "test", props));
}

const { WORKER_SYNTH_GLOBAL } = require("./worker-synth") as { WORKER_SYNTH_GLOBAL: string };

/**
 * A synthesis for the run's cache, by the worker's synthesizer when the test environment gives one. When that
 * fails, this file's own synthesis runs to throw the error as the file's code knows it (its own error classes);
 * if that one succeeds instead, the two disagree, and that fails loudly.
 */
function synthesizeToKeep(props: MixpanelS3ExportProps): string {
  const inWorker = (globalThis as Record<string, unknown>)[WORKER_SYNTH_GLOBAL] as ((propsJson: string) => string) | undefined;
  if (!inWorker) return synthesize(props);
  try {
    return inWorker(JSON.stringify(props));
  } catch (error) {
    synthesize(props);
    throw new Error(`the jest worker's synthesis failed where the test file's own succeeded: ${(error as Error).message}`);
  }
}

/** Where the run keeps the synthesis of these props; undefined outside a jest run or when JSON would lose some. */
export function synthCacheFile(props: MixpanelS3ExportProps): string | undefined {
  const dir = process.env.MIXPANEL_TEST_TMPDIR;
  if (!dir || !carriedByJson(props)) return undefined;
  const key = createHash("sha256").update(JSON.stringify(props)).digest("hex");
  return path.join(dir, "synth", `${key}.tf.json`);
}

/** Whether JSON.stringify keeps every part of the value, so equal JSON means equal props. */
function carriedByJson(value: unknown): boolean {
  if (value === null || typeof value === "string" || typeof value === "boolean") return true;
  if (typeof value === "number") return Number.isFinite(value) && !Object.is(value, -0);
  if (Array.isArray(value)) return value.every(carriedByJson);
  if (typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.values(value as Record<string, unknown>).every(carriedByJson);
  }
  return false;
}

export interface TerraformJson {
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, Record<string, Record<string, unknown>>>;
  output?: Record<string, { value: unknown }>;
  terraform?: { required_providers?: Record<string, { version?: string }> };
  provider?: Record<string, unknown>;
}

export function parse(synthesized: string): TerraformJson {
  return JSON.parse(synthesized) as TerraformJson;
}

/** All resources of one type, by their Terraform name. */
export function resourcesOf(synthesized: string, type: string): Record<string, Record<string, unknown>> {
  return parse(synthesized).resource?.[type] ?? {};
}

/** The single resource of a type (fails the test when there are none or several). */
export function onlyResource(synthesized: string, type: string): Record<string, unknown> {
  const all = Object.values(resourcesOf(synthesized, type));
  if (all.length !== 1) throw new Error(`expected exactly one ${type}, found ${all.length}`);
  return all[0];
}

/** Every resource address (`type.name`), sorted. */
export function addresses(synthesized: string): string[] {
  const resources = parse(synthesized).resource ?? {};
  return Object.entries(resources).flatMap(([type, byName]) => Object.keys(byName).map((name) => `${type}.${name}`)).sort();
}

export function policyOf(resource: Record<string, unknown>, attribute = "policy"): PolicyDocument {
  return JSON.parse(resource[attribute] as string) as PolicyDocument;
}
