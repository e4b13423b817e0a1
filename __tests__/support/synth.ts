import { Testing } from "cdktf";
import { MixpanelS3ExportProps } from "../../src/config/props";
import { PolicyDocument } from "../../src/policies/policy-document";
import { MixpanelS3ExportStack } from "../../src/stacks/mixpanel-s3-export-stack";

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

/** Synthesizes the deployable stack for the given props and returns its Terraform JSON as text. */
export function synthStack(props: MixpanelS3ExportProps): string {
  const app = Testing.app();
  const stack = new MixpanelS3ExportStack(app, "test", props);
  return Testing.synth(stack);
}

export interface TerraformJson {
  resource?: Record<string, Record<string, Record<string, unknown>>>;
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
