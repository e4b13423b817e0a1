import { AWS_PROVIDER_CONSTRAINT } from "../config/aws-provider";
import { MixpanelS3ExportProps } from "../config/props";
import { snakeCase } from "./variables";

/**
 * The module's examples: small root modules a user can copy. Each is defined once, as construct props, so
 * the same inputs drive the example's HCL and the cdktf stack it is compared with in the parity test.
 */
export interface ModuleExample {
  /** Folder name under examples/. */
  readonly name: string;
  /** One line: what the example shows. */
  readonly title: string;
  readonly props: MixpanelS3ExportProps;
}

const TOKEN = "0123456789abcdef0123456789abcdef";
const base = { projects: [{ token: TOKEN }], bucketName: "acme-mixpanel-export", region: "us-east-1" };

export const MODULE_EXAMPLES: readonly ModuleExample[] = [
  { name: "basic", title: "One project, a new bucket, no encryption (S3's own default)", props: base },
  { name: "aes", title: "SSE-S3 (Mixpanel's AES choice)", props: { ...base, encryption: "AES" } },
  { name: "kms-aws-managed-key", title: "SSE-KMS with the AWS-managed aws/s3 key", props: { ...base, encryption: "KMS" } },
  {
    name: "kms-existing-key",
    title: "SSE-KMS with an existing customer managed key, and the KMS policy for Mixpanel",
    props: { ...base, encryption: "KMS", kmsKeyArn: "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab" },
  },
  { name: "kms-created-key", title: "SSE-KMS with a key the module creates", props: { ...base, encryption: "KMS", createKmsKey: true } },
  {
    name: "existing-bucket",
    title: "An existing bucket: only the policies and the role are created",
    props: { ...base, bucketName: "existing-data-lake", createBucket: false },
  },
  {
    name: "per-project-roles",
    title: "Three projects in one bucket, one role per project, each limited to its project's prefix",
    props: {
      ...base,
      projects: [
        { token: TOKEN, projectId: "1001" },
        { token: "fedcba9876543210fedcba9876543210", projectId: "2002" },
        { token: "00112233445566778899aabbccddeeff", projectId: "3003" },
      ],
      rolePerProject: true,
      scopeToProjectPrefix: true,
      eventsExpirationDays: 730,
      tags: { team: "data" },
    },
  },
  {
    name: "redshift-spectrum",
    title: "Redshift Spectrum (and Athena): the Glue database, the Glue and Redshift roles, SSE-KMS with a created key",
    props: { ...base, encryption: "KMS", createKmsKey: true, glueDatabase: "mixpanel_exports", redshiftRole: true },
  },
];

/** A JavaScript value as an HCL expression, laid out as `terraform fmt` lays it out. */
export function hclValue(value: unknown, indent = ""): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (value === null || value === undefined) return "null";
  const inner = `${indent}  `;
  if (Array.isArray(value)) return value.length === 0 ? "[]" : `[\n${value.map((v) => `${inner}${hclValue(v, inner)},`).join("\n")}\n${indent}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]): [string, string] => [/^[a-z_][a-z0-9_]*$/.test(k) ? k : JSON.stringify(k), hclValue(v, inner)]);
  return entries.length === 0 ? "{}" : `{\n${hclAttributes(entries, inner)}\n${indent}}`;
}

/**
 * Attribute lines of an HCL body at `indent`, with the `=` of each run of one-line attributes aligned, as
 * `terraform fmt` aligns them: an attribute whose value spans lines ends the run (and keeps one space).
 */
export function hclAttributes(entries: readonly (readonly [name: string, value: string])[], indent: string): string {
  const runs: (readonly [string, string])[][] = [];
  let run: (readonly [string, string])[] = [];
  for (const entry of entries) {
    if (entry[1].includes("\n")) {
      runs.push(run, [entry]);
      run = [];
    } else {
      run.push(entry);
    }
  }
  runs.push(run);
  return runs.flatMap((lines) => {
    const width = Math.max(0, ...lines.map(([name]) => name.length));
    return lines.map(([name, value]) => `${indent}${name.padEnd(width)} = ${value}`);
  }).join("\n");
}

/** Construct props as module inputs (`bucketName` -> `bucket_name`, projects as objects). */
export function moduleInputs(props: MixpanelS3ExportProps): Record<string, unknown> {
  const inputs: Record<string, unknown> = {};
  for (const [prop, value] of Object.entries(props)) {
    if (value === undefined) continue;
    inputs[snakeCase(prop)] = prop === "projects"
      ? props.projects.map((p) => (p.projectId ? { token: p.token, project_id: p.projectId } : { token: p.token }))
      : value;
  }
  return inputs;
}

/**
 * The example's main.tf: a provider, the module call, and the values for Mixpanel's form. The region is the
 * provider's: the module reads and reports it, so the call does not repeat it.
 */
export function exampleMainTf(example: ModuleExample, source = "../.."): string {
  const inputs = hclAttributes(Object.entries(moduleInputs(example.props))
    .filter(([name]) => name !== "region")
    .map(([name, value]) => [name, hclValue(value, "  ")]), "  ");
  return `# ${example.title}
terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "${AWS_PROVIDER_CONSTRAINT}"
    }
  }
}

provider "aws" {
  region = "${example.props.region}"
}

module "mixpanel_s3_export" {
  source = "${source}"

${inputs}
}

output "mixpanel_settings" {
  description = "Type these into Mixpanel's pipeline form"
  value       = module.mixpanel_s3_export.mixpanel_settings
}

output "role_arns" {
  description = "The role to enter for each project token"
  value       = module.mixpanel_s3_export.role_arns
}
`;
}
