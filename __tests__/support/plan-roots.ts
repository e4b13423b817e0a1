import * as fs from "fs";
import * as path from "path";
import { hclValue, moduleInputs } from "../../src/module/examples";
import { MixpanelS3ExportProps } from "../../src/config/props";
import { OFFLINE_PROVIDER_SETTINGS, RootFiles } from "./terraform";

/**
 * Root configurations a user of the registry module, or of no module at all, writes; planned for real by
 * the plan-review tier. `moduleSource` is the path of the module built by `buildModule`.
 */

/** An `aws` provider block, offline (no account, no network); `region` is an HCL expression. */
function offlineProvider(region: string, alias?: string): string {
  return `provider "aws" {
${alias ? `  alias = "${alias}"\n` : ""}  region = ${region}
${Object.entries(OFFLINE_PROVIDER_SETTINGS).map(([key, value]) => `  ${key} = ${JSON.stringify(value)}`).join("\n")}
}
`;
}

/** The provider block every root uses. */
const OFFLINE_PROVIDER = offlineProvider('"us-east-1"');

const TERRAFORM = `terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}
`;

/** The start of every root: the AWS provider required, and configured offline. */
export const ROOT_HEADER = `${TERRAFORM}${OFFLINE_PROVIDER}`;

/** A module call with construct props as inputs, plus optional meta-arguments (`count`, `for_each`) and raw HCL lines. */
export function moduleCall(name: string, source: string, props: MixpanelS3ExportProps, extra: readonly string[] = []): string {
  const inputs = Object.entries(moduleInputs(props)).map(([key, value]) => `  ${key} = ${hclValue(value, "  ")}`);
  return `module "${name}" {\n  source = "${source}"\n${[...extra.map((line) => `  ${line}`), ...inputs].join("\n")}\n}\n`;
}

/** A root calling the module directly and through a wrapper module at `module.team["prod"].module.export[0]`. */
export function nestedModuleRoot(moduleSource: string, direct: MixpanelS3ExportProps, nested: MixpanelS3ExportProps): Record<string, string> {
  return {
    "main.tf": `${ROOT_HEADER}
${moduleCall("direct", moduleSource, direct)}
module "team" {
  source   = "./team"
  for_each = toset(["prod"])
  team     = each.key
}
`,
    "team/main.tf": `variable "team" {
  type = string
}

${moduleCall("export", moduleSource, nested, ["count = 1", 'name_prefix = "${var.team}-"'])}`,
  };
}

/** Mixpanel's export user, as a trust policy names it. */
const MIXPANEL_USER = "arn:aws:iam::485438090326:user/mixpanel-export";
/** A session of a role in Mixpanel's account: a principal of its account, not its export user. */
export const MIXPANEL_SESSION = "arn:aws:sts::485438090326:assumed-role/mixpanel-export/session";

/**
 * A root with hand-written resources only: a role trusting Mixpanel's export user without an external ID,
 * given an AWS-managed policy, a policy of its own and an inline policy on a key of its own; a second role
 * with the external ID from a variable; a third trusting a session in Mixpanel's account (an STS
 * principal); a KMS grant to the first role; and a role, a user and its policy
 * for something else, which the review leaves out.
 */
export function handWrittenRoot(token: string): Record<string, string> {
  return {
    "main.tf": `${ROOT_HEADER}
variable "mixpanel_token" {
  type    = string
  default = "${token}"
}

resource "aws_kms_key" "ours" {
  description = "exports"
}

resource "aws_s3_bucket" "data" {
  bucket = "acme-hand-written"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "data" {
  bucket = aws_s3_bucket.data.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.ours.arn
    }
  }
}

resource "aws_iam_role" "no_external_id" {
  name = "mixpanel-no-external-id"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { AWS = "${MIXPANEL_USER}" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_policy" "data" {
  name = "hand-data"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["s3:PutObject", "s3:ListBucket"], Resource = ["arn:aws:s3:::acme-hand-written", "arn:aws:s3:::acme-hand-written/*"] }]
  })
}

resource "aws_iam_role_policy_attachment" "data" {
  role       = aws_iam_role.no_external_id.name
  policy_arn = aws_iam_policy.data.arn
}

resource "aws_iam_role_policy_attachment" "managed" {
  role       = aws_iam_role.no_external_id.name
  policy_arn = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"
}

resource "aws_iam_role_policy" "kms" {
  name = "use-our-key"
  role = aws_iam_role.no_external_id.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "kms:GenerateDataKey", Resource = aws_kms_key.ours.arn }]
  })
}

${roleWithExternalId("with_external_id", "mixpanel-with-external-id", "var.mixpanel_token")}
resource "aws_iam_role" "session" {
  name = "mixpanel-session"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { AWS = "${MIXPANEL_SESSION}" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_kms_grant" "mixpanel" {
  name              = "mixpanel-decrypt"
  key_id            = aws_kms_key.ours.key_id
  grantee_principal = aws_iam_role.no_external_id.arn
  operations        = ["Decrypt"]
}

resource "aws_iam_user" "unrelated" {
  name = "ci-bot"
}

resource "aws_iam_user_policy" "unrelated" {
  name = "ci-bot"
  user = aws_iam_user.unrelated.name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "ec2:Describe*", Resource = "*" }]
  })
}

resource "aws_iam_role" "unrelated" {
  name = "ci-deployer"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}
`,
  };
}

/** A root that imports a role trusting Mixpanel, made before Terraform managed it. */
export function importRoot(token: string): Record<string, string> {
  return {
    "main.tf": `${ROOT_HEADER}
import {
  to = aws_iam_role.legacy
  id = "legacy-mixpanel"
}

${roleWithExternalId("legacy", "legacy-mixpanel", JSON.stringify(token))}`,
  };
}

/**
 * A hand-written role as Mixpanel's page has it: its export user, with `externalId` (an HCL expression);
 * `path` set when a mocked apply must not invent one (a path that differs from the configuration's forces
 * a replacement).
 */
function roleWithExternalId(resource: string, name: string, externalId: string, path?: string): string {
  return `resource "aws_iam_role" "${resource}" {
  name = "${name}"
${path !== undefined ? `  path = "${path}"\n` : ""}  assume_role_policy = ${mixpanelTrust(externalId)}
}
`;
}

/** Mixpanel's trust policy as its page has it, in HCL: its export user, with `externalId` (an HCL expression). */
function mixpanelTrust(externalId: string): string {
  return `jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "${MIXPANEL_USER}" }
      Action    = "sts:AssumeRole"
      Condition = { StringEquals = { "sts:ExternalId" = ${externalId} } }
    }]
  })`;
}

/**
 * A root that adopts a role and a bucket made by hand with import blocks, attaches one policy (by a literal
 * ARN) to the role, and creates the bucket's policy and lifecycle rules, which the bucket's import does not
 * bring (`attachedArn`: the ARN of that attachment).
 */
export function adoptionImportRoot(token: string, attachedArn: string): Record<string, string> {
  return {
    "main.tf": `${ROOT_HEADER}
import {
  to = aws_iam_role.legacy
  id = "legacy-mixpanel"
}

import {
  to = aws_s3_bucket.legacy
  id = "legacy-export"
}

${roleWithExternalId("legacy", "legacy-mixpanel", JSON.stringify(token))}
resource "aws_iam_role_policy_attachment" "data" {
  role       = aws_iam_role.legacy.name
  policy_arn = "${attachedArn}"
}

resource "aws_s3_bucket" "legacy" {
  bucket = "legacy-export"
}

resource "aws_s3_bucket_policy" "legacy" {
  bucket = aws_s3_bucket.legacy.bucket
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Sid = "DenyInsecure", Effect = "Deny", Principal = "*", Action = "s3:*", Resource = "arn:aws:s3:::legacy-export/*", Condition = { Bool = { "aws:SecureTransport" = "false" } } }]
  })
}

resource "aws_s3_bucket_lifecycle_configuration" "legacy" {
  bucket = aws_s3_bucket.legacy.bucket
  rule {
    id     = "abort-incomplete-multipart-uploads"
    status = "Enabled"
    filter {}
    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }
}
`,
  };
}

/**
 * A root with aliased providers, as the module's README shows for a bucket outside the default region: the
 * default provider in us-east-1, `aws.eu` in eu-west-1, and `aws.ap` whose region comes from a local (not
 * in the plan's configuration, so only the module's `data "aws_region"` tells it). One module call on each.
 */
export function aliasedProviderRoot(moduleSource: string, calls: { us: MixpanelS3ExportProps; eu: MixpanelS3ExportProps; ap: MixpanelS3ExportProps }): Record<string, string> {
  return {
    "main.tf": `${ROOT_HEADER}
locals {
  ap_region = "ap-southeast-2"
}

${offlineProvider('"eu-west-1"', "eu")}
${offlineProvider("local.ap_region", "ap")}
${moduleCall("us", moduleSource, calls.us)}
${moduleCall("eu", moduleSource, calls.eu, ["providers = { aws = aws.eu }"])}
${moduleCall("ap", moduleSource, calls.ap, ["providers = { aws = aws.ap }"])}`,
  };
}

/** How {@link scopeRoot} differs from its deployed form. */
export interface ScopeVariant {
  /** Renames the unrelated role and bucket (each replaced) and drops the unrelated key (destroyed). */
  readonly unrelatedChanged?: boolean;
  /** What becomes of Mixpanel's role and its inline policy: kept, forgotten (`removed`, destroy = false) or destroyed. */
  readonly mixpanelRole?: "kept" | "forgotten" | "destroyed";
}

/**
 * A hand-written root holding Mixpanel's role (with an inline policy on its bucket) next to infrastructure
 * of its own: an application role, a log bucket and a KMS key nobody grants Mixpanel.
 */
export function scopeRoot(token: string, variant: ScopeVariant = {}): Record<string, string> {
  const suffix = variant.unrelatedChanged ? "-v2" : "";
  const role = variant.mixpanelRole ?? "kept";
  const mixpanel = role === "kept" ? `${roleWithExternalId("mixpanel", "mixpanel-scoped", JSON.stringify(token), "/")}
resource "aws_iam_role_policy" "data" {
  name = "mixpanel-data"
  role = aws_iam_role.mixpanel.name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["s3:PutObject", "s3:GetObject"], Resource = "arn:aws:s3:::acme-scoped-export/*" }]
  })
}
` : role === "forgotten" ? ["aws_iam_role.mixpanel", "aws_iam_role_policy.data"].map((from) => `removed {
  from = ${from}
  lifecycle {
    destroy = false
  }
}
`).join("\n") : "";
  return {
    "main.tf": `${ROOT_HEADER}
resource "aws_s3_bucket" "export" {
  bucket = "acme-scoped-export"
}

${mixpanel}
resource "aws_s3_bucket" "logs" {
  bucket = "acme-app-logs${suffix}"
}

resource "aws_iam_role" "app" {
  name = "app-server${suffix}"
  path = "/"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}
${variant.unrelatedChanged ? "" : `
resource "aws_kms_key" "app" {
  description = "application secrets"
}
`}`,
  };
}

/** The roots of `__tests__/module-consumers`, written by hand as the module's users write theirs. */
export const MODULE_CONSUMERS = path.join(__dirname, "..", "module-consumers");

/** How each of those roots names the module it calls: the folder beside it. */
const CONSUMER_MODULE_SOURCE = '"../terraform-aws-mixpanel-s3-export"';

/**
 * A root of `__tests__/module-consumers` as terraform plans it offline: its files (its terraform.tfvars left
 * out) and an `*_override.tf.json` that gives each of its provider blocks (aliases kept) what an offline plan
 * needs. With `moduleSource`, the module it calls is at that path instead of beside its folder.
 */
export function moduleConsumerRoot(name: string, moduleSource?: string): RootFiles {
  const dir = path.join(MODULE_CONSUMERS, name);
  const files = Object.fromEntries(fs.readdirSync(dir).filter((file) => file !== "terraform.tfvars").map((file) => {
    const text = fs.readFileSync(path.join(dir, file), "utf8");
    return [file, moduleSource === undefined ? text : text.split(CONSUMER_MODULE_SOURCE).join(JSON.stringify(moduleSource))];
  }));
  const aliases = [...files["main.tf"].matchAll(/provider\s+"aws"\s*\{[^}]*?\balias\s*=\s*"([^"]+)"/g)].map((m) => m[1]);
  const override = { provider: { aws: [{ ...OFFLINE_PROVIDER_SETTINGS }, ...aliases.map((alias) => ({ alias, ...OFFLINE_PROVIDER_SETTINGS }))] } };
  return { ...files, "offline_override.tf.json": JSON.stringify(override, null, 2) };
}

/**
 * A root that creates Mixpanel's role itself (named by a prefix, so its name is known only after apply) and
 * gives it to a module of its own, which creates the bucket and attaches the data policy to the role it is given.
 */
export function roleFromRootRoot(token: string): RootFiles {
  return {
    "main.tf": `${ROOT_HEADER}
resource "aws_iam_role" "mixpanel" {
  name_prefix        = "mixpanel-"
  assume_role_policy = ${mixpanelTrust(JSON.stringify(token))}
}

module "access" {
  source = "./access"
  role   = aws_iam_role.mixpanel.name
  bucket = "acme-wrapped-export"
}
`,
    "access/main.tf": `variable "role" {
  type = string
}

variable "bucket" {
  type = string
}

resource "aws_s3_bucket" "this" {
  bucket = var.bucket
}

resource "aws_iam_role_policy" "data" {
  name = "mixpanel-data"
  role = var.role
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["s3:PutObject", "s3:GetObject", "s3:ListBucket", "s3:DeleteObject"], Resource = ["arn:aws:s3:::\${var.bucket}", "arn:aws:s3:::\${var.bucket}/*"] }]
  })
}
`,
  };
}

/** A root with one module call per environment, staging switched off (`count = 0`) by its variable's default. */
export function switchedOffRoot(moduleSource: string, token: string): RootFiles {
  return {
    "main.tf": `${ROOT_HEADER}
variable "staging_enabled" {
  type    = bool
  default = false
}

module "production" {
  source      = "${moduleSource}"
  projects    = [{ token = "${token}" }]
  bucket_name = "acme-mixpanel-production"
}

module "staging" {
  source      = "${moduleSource}"
  count       = var.staging_enabled ? 1 : 0
  projects    = [{ token = "${token}" }]
  bucket_name = "acme-mixpanel-staging"
}
`,
  };
}

/**
 * A root with Mixpanel's Redshift Spectrum destination on a bucket of its own (passed to the module as an
 * existing bucket the module manages whole; an existing Glue database), next to its CI role, which GitHub's
 * OIDC provider of the same root may assume (so its trust is known only after apply the first time) and which
 * may do anything in that bucket. `versioning`: the module's versioning input.
 */
export function catalogRoot(moduleSource: string, token: string, versioning = false): RootFiles {
  return {
    "main.tf": `${ROOT_HEADER}
resource "aws_s3_bucket" "exports" {
  bucket = "acme-mixpanel-catalog"
}

module "mixpanel" {
  source                 = "${moduleSource}"
  projects               = [{ token = "${token}" }]
  bucket_name            = aws_s3_bucket.exports.bucket
  create_bucket          = false
  manage_existing_bucket = "all"
  versioning             = ${versioning}
  glue_database          = "mixpanel_exports"
  create_glue_database   = false
  redshift_role          = true
}

resource "aws_iam_openid_connect_provider" "github" {
  url             = "https://token.actions.githubusercontent.com"
  client_id_list  = ["sts.amazonaws.com"]
  thumbprint_list = ["6938fd4d98bab03faadb97b34396831e3780aea1"]
}

resource "aws_iam_role" "ci" {
  name = "github-deploy"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Federated = aws_iam_openid_connect_provider.github.arn }, Action = "sts:AssumeRoleWithWebIdentity" }]
  })
}

resource "aws_iam_role_policy" "ci" {
  name = "deploy"
  role = aws_iam_role.ci.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "s3:*", Resource = ["arn:aws:s3:::acme-mixpanel-catalog", "arn:aws:s3:::acme-mixpanel-catalog/*"] }]
  })
}
`,
  };
}
