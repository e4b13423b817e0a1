import { EVENT_DATA_FOLDER } from "../mixpanel";
import {
  dataAccessPolicy,
  kmsAccessPolicy,
  prefixScopedDataAccessPolicy,
  tlsOnlyBucketPolicy,
  trustPolicyWithExternalId,
} from "../policies/mixpanel-policies";
import { renderPolicy } from "../policies/policy-document";
import { AWS_PROVIDER_CONSTRAINT, providerRegionExpression } from "../config/aws-provider";
import { GLUE_MODULE, GLUE_SETTINGS_FIELDS } from "./glue-module";
import { BUCKET_REGION, HAS_CUSTOMER_KEY, PROVIDER_REGION } from "./validations";
import { movedBlocks } from "./upgrading";
import { ModuleVariable, moduleVariables } from "./variables";

/**
 * The plain-Terraform module, as Terraform JSON. The cdktf construct decides in TypeScript what to create;
 * here the same decisions are made at Terraform time (`count`, `for_each`, conditionals on variables), so
 * this is a second path. It shares the policy builders and naming with the construct, and a terraform-tier
 * test plans both for the same inputs and compares resource types, counts and policy documents.
 *
 * Every `count` and `for_each` is decided by inputs known at plan and never sensitive (the encryption choice,
 * flags, the presence of a key object, the number of projects), so a key ARN, a bucket name or a token may come
 * from a resource or a sensitive variable. The one exception, documented and checked: with per-project roles the
 * tokens are `for_each` keys (the addresses `aws_iam_role.this["<token>"]`), so they must be known and not sensitive.
 */

/** Terraform 1.9: validation conditions may refer to other variables (the combination rules need it). */
export const REQUIRED_TERRAFORM_VERSION = ">= 1.9.0";

/** `${...}` around a Terraform expression, for a JSON-syntax string. */
const tf = (expression: string) => `\${${expression}}`;

/**
 * A policy rendered exactly as the construct renders it, with Terraform expressions spliced in: string
 * arguments become `${...}` interpolations; `rawJson` swaps a placeholder string for an expression whose
 * value is JSON text (for condition values that are a string or a list depending on input).
 */
function policyTemplate(json: string, rawJson: Record<string, string> = {}): string {
  let text = json;
  for (const [placeholder, expression] of Object.entries(rawJson)) {
    text = text.split(JSON.stringify(placeholder)).join(tf(expression));
  }
  return text;
}

const EXTERNAL_ID_PLACEHOLDER = "__MIXPANEL_EXTERNAL_IDS__";

export interface ModuleFiles {
  readonly "versions.tf.json": object;
  readonly "variables.tf.json": object;
  readonly "main.tf.json": object;
  readonly "outputs.tf.json": object;
  /** The Glue catalog part (Mixpanel's Redshift Spectrum destination): its locals, resources and outputs. */
  readonly "glue.tf.json": object;
}

export function moduleFiles(variables: readonly ModuleVariable[] = moduleVariables()): ModuleFiles {
  return {
    "versions.tf.json": {
      terraform: {
        required_version: REQUIRED_TERRAFORM_VERSION,
        required_providers: { aws: { source: "hashicorp/aws", version: AWS_PROVIDER_CONSTRAINT } },
      },
    },
    "variables.tf.json": {
      variable: Object.fromEntries(variables.map((v) => [v.name, {
        type: v.type,
        description: v.description,
        ...(v.default !== undefined ? { default: v.default } : {}),
        // Only variables whose default is null accept null; the others would break the expressions below.
        ...(v.default !== null ? { nullable: false } : {}),
        ...(v.validation && v.validation.length > 0 ? { validation: v.validation } : {}),
      }])),
    },
    "main.tf.json": { data: DATA, locals: LOCALS, resource: RESOURCES, ...(movedBlocks().length > 0 ? { moved: movedBlocks() } : {}) },
    "outputs.tf.json": { output: OUTPUTS },
    "glue.tf.json": GLUE_MODULE,
  };
}

/** The provider's region, read from its configuration (no API call, no credentials). */
const DATA = { aws_region: { current: {} } };

const LOCALS = {
  [PROVIDER_REGION.replace(/^local\./, "")]: tf(providerRegionExpression("data.aws_region.current")),
  region: tf(BUCKET_REGION),
  // "" means not set, as in the construct's rules. The key object wins; validation refuses both at once.
  kms_key_arn: tf('var.kms_key != null ? var.kms_key.arn : (var.kms_key_arn == "" ? null : var.kms_key_arn)'),
  access_log_bucket: tf('var.access_log_bucket == "" ? null : var.access_log_bucket'),
  encryption: tf("upper(var.encryption)"),
  role_name: tf('coalesce(var.role_name, "${var.name_prefix}mixpanel-export")'),
  manage_config: tf('var.create_bucket || lower(var.manage_existing_bucket) == "all"'),
  manage_encryption: tf('local.manage_config || lower(var.manage_existing_bucket) == "encryption"'),
  create_kms_key: tf('local.encryption == "KMS" && var.create_kms_key'),
  // Decided by the key object's presence, never by the ARN (which may be known only after apply). Conditionals, not
  // `&&`: Terraform's `false && <unknown>` is unknown. A literal kms_key_arn is known at plan.
  has_customer_key: tf('local.encryption != "KMS" ? false : (var.create_kms_key || var.kms_key != null ? true : (var.kms_key_arn == null ? false : var.kms_key_arn != ""))'),
  customer_key_arn: tf('local.encryption != "KMS" ? null : (var.create_kms_key ? one(aws_kms_key.this[*].arn) : local.kms_key_arn)'),
  bucket: tf("var.create_bucket ? one(aws_s3_bucket.this[*].bucket) : var.bucket_name"),
  tokens: tf("[for p in var.projects : p.token]"),
  project_ids: tf("[for p in var.projects : p.project_id if p.project_id != null]"),
  // Keyed by token (per-project roles) or "shared": one role's address never depends on another project. Picked
  // by indexing an object with a known key, not with a conditional: a conditional's result carries the marks of
  // both branches, so one sensitive token would make the shared role's map sensitive too (no for_each then).
  roles: tf(`{
    per_project = {
      for p in var.projects : p.token => {
        name       = p.role_name != null ? p.role_name : "\${local.role_name}-\${coalesce(p.project_id, p.token)}"
        tokens     = tolist([p.token])
        project_id = p.project_id
        key_prefix = var.scope_to_project_prefix ? "\${p.project_id}/" : null
      }
    }
    shared = {
      shared = {
        name       = local.role_name
        tokens     = tolist(local.tokens)
        project_id = null
        key_prefix = null
      }
    }
  }[var.role_per_project ? "per_project" : "shared"]`),
  lifecycle_rules: tf(`concat(
    var.abort_incomplete_uploads_days > 0 ? [{
      id = "abort-incomplete-multipart-uploads", prefix = "", abort_days = var.abort_incomplete_uploads_days,
      transition_days = null, storage_class = null, expiration_days = null, noncurrent_days = null
    }] : [],
    var.events_transition_days != null || var.events_expiration_days != null ? [for id in local.project_ids : {
      id = "events-\${id}", prefix = "\${id}/${EVENT_DATA_FOLDER}/", abort_days = null,
      transition_days = var.events_transition_days, storage_class = var.events_transition_days == null ? null : var.events_storage_class,
      expiration_days = var.events_expiration_days, noncurrent_days = null
    }] : [],
    var.versioning ? [{
      id = "expire-noncurrent-versions", prefix = "", abort_days = null,
      transition_days = null, storage_class = null, expiration_days = null, noncurrent_days = var.noncurrent_version_expiration_days
    }] : []
  )`),
};

const tagsOrNull = tf("length(var.tags) > 0 ? var.tags : null");
const bucketName = tf("var.bucket_name");
const onlyWhen = (condition: string) => tf(`${condition} ? 1 : 0`);

/** A dynamic block with at most one instance, present when `value` is not null. */
const optionalBlock = (value: string, content: Record<string, string>) => ({
  for_each: tf(`${value} == null ? [] : [${value}]`),
  content,
});

const RESOURCES = {
  aws_s3_bucket: {
    this: {
      count: onlyWhen("var.create_bucket"),
      bucket: bucketName,
      force_destroy: false,
      tags: tagsOrNull,
      lifecycle: { prevent_destroy: true },
    },
  },
  aws_s3_bucket_server_side_encryption_configuration: {
    this: {
      count: onlyWhen('local.manage_encryption && local.encryption != "NONE"'),
      bucket: tf("local.bucket"),
      rule: [{
        apply_server_side_encryption_by_default: [{
          sse_algorithm: tf('local.encryption == "AES" ? "AES256" : "aws:kms"'),
          kms_master_key_id: tf("local.customer_key_arn"),
        }],
        bucket_key_enabled: tf('local.encryption == "KMS" ? var.bucket_key : null'),
      }],
    },
  },
  aws_s3_bucket_public_access_block: {
    this: {
      count: onlyWhen("local.manage_config && var.block_public_access"),
      bucket: tf("local.bucket"),
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    },
  },
  aws_s3_bucket_ownership_controls: {
    this: {
      count: onlyWhen("local.manage_config && var.enforce_bucket_owner"),
      bucket: tf("local.bucket"),
      rule: [{ object_ownership: "BucketOwnerEnforced" }],
    },
  },
  aws_s3_bucket_policy: {
    tls_only: {
      count: onlyWhen("local.manage_config && var.tls_only"),
      bucket: tf("local.bucket"),
      policy: policyTemplate(renderPolicy(tlsOnlyBucketPolicy(bucketName))),
      // S3 refuses concurrent changes to a bucket's policy and its public access block.
      depends_on: ["aws_s3_bucket_public_access_block.this"],
    },
  },
  aws_s3_bucket_versioning: {
    this: {
      count: onlyWhen("local.manage_config && var.versioning"),
      bucket: tf("local.bucket"),
      versioning_configuration: [{ status: "Enabled" }],
    },
  },
  aws_s3_bucket_lifecycle_configuration: {
    this: {
      // From the settings, not length(local.lifecycle_rules): project IDs may be unknown or sensitive. With event
      // rules set every project has an ID (a validation), so each condition here yields at least one rule.
      count: onlyWhen("local.manage_config && (var.abort_incomplete_uploads_days > 0 || var.events_transition_days != null || var.events_expiration_days != null || var.versioning)"),
      bucket: tf("local.bucket"),
      dynamic: {
        rule: {
          for_each: tf("local.lifecycle_rules"),
          content: {
            id: tf("rule.value.id"),
            status: "Enabled",
            filter: [{ prefix: tf("rule.value.prefix") }],
            dynamic: {
              abort_incomplete_multipart_upload: optionalBlock("rule.value.abort_days", { days_after_initiation: tf("abort_incomplete_multipart_upload.value") }),
              transition: optionalBlock("rule.value.transition_days", { days: tf("transition.value"), storage_class: tf("rule.value.storage_class") }),
              expiration: optionalBlock("rule.value.expiration_days", { days: tf("expiration.value") }),
              noncurrent_version_expiration: optionalBlock("rule.value.noncurrent_days", { noncurrent_days: tf("noncurrent_version_expiration.value") }),
            },
          },
        },
      },
      // S3 wants versioning in place before rules on noncurrent versions.
      depends_on: ["aws_s3_bucket_versioning.this"],
    },
  },
  aws_s3_bucket_logging: {
    this: {
      count: onlyWhen("local.manage_config && local.access_log_bucket != null"),
      bucket: tf("local.bucket"),
      target_bucket: tf("local.access_log_bucket"),
      target_prefix: tf('coalesce(var.access_log_prefix, "${var.bucket_name}/")'),
    },
  },
  aws_kms_key: {
    this: {
      count: onlyWhen("local.create_kms_key"),
      description: `Encrypts Mixpanel exports in S3 bucket ${bucketName}`,
      enable_key_rotation: true,
      deletion_window_in_days: 30,
      // No key policy argument: AWS's default key policy delegates to the account's IAM.
      tags: tagsOrNull,
      lifecycle: { prevent_destroy: true },
    },
  },
  aws_kms_alias: {
    this: {
      count: onlyWhen("local.create_kms_key"),
      name: "alias/${var.name_prefix}mixpanel-export",
      target_key_id: tf("aws_kms_key.this[0].key_id"),
    },
  },
  aws_iam_policy: {
    data_access: {
      count: onlyWhen("!var.scope_to_project_prefix"),
      name: "${var.name_prefix}mixpanel-export-data-access",
      path: tf("var.role_path"),
      description: `Lets Mixpanel's export role write exports to S3 bucket ${bucketName} (Mixpanel AWS S3 export, step 1)`,
      policy: policyTemplate(renderPolicy(dataAccessPolicy(bucketName))),
      tags: tagsOrNull,
    },
    scoped_data_access: {
      for_each: tf("var.scope_to_project_prefix ? local.roles : {}"),
      name: "${var.name_prefix}mixpanel-export-data-access-${each.value.project_id}",
      path: tf("var.role_path"),
      description: `Lets Mixpanel's export role for project \${each.value.project_id} write under \${each.value.key_prefix} in S3 bucket ${bucketName}`,
      policy: policyTemplate(renderPolicy(prefixScopedDataAccessPolicy(bucketName, tf("each.value.key_prefix")))),
      tags: tagsOrNull,
    },
    kms: {
      count: onlyWhen(HAS_CUSTOMER_KEY),
      name: "${var.name_prefix}mixpanel-export-kms",
      path: tf("var.role_path"),
      description: `Lets Mixpanel's export role use the KMS key of S3 bucket ${bucketName} (Mixpanel AWS S3 export, step 2)`,
      policy: policyTemplate(renderPolicy(kmsAccessPolicy(tf("local.customer_key_arn")))),
      tags: tagsOrNull,
    },
  },
  aws_iam_role: {
    this: {
      for_each: tf("local.roles"),
      name: tf("each.value.name"),
      path: tf("var.role_path"),
      description: "Assumed by Mixpanel's export user (external ID: ${length(each.value.tokens) == 1 ? \"its project token\" : \"one of its project tokens\"}) to write Mixpanel exports to S3 bucket ${var.bucket_name}${each.value.key_prefix == null ? \"\" : \" under ${each.value.key_prefix}\"}",
      // One token renders as a string, several as a list: the same JSON the construct writes.
      assume_role_policy: policyTemplate(renderPolicy(trustPolicyWithExternalId(EXTERNAL_ID_PLACEHOLDER)), {
        [EXTERNAL_ID_PLACEHOLDER]: "length(each.value.tokens) == 1 ? jsonencode(each.value.tokens[0]) : jsonencode(each.value.tokens)",
      }),
      permissions_boundary: tf("var.permissions_boundary_arn"),
      max_session_duration: tf("var.max_session_duration"),
      tags: tagsOrNull,
    },
  },
  aws_iam_role_policy_attachment: {
    data_access: {
      for_each: tf("local.roles"),
      role: tf("aws_iam_role.this[each.key].name"),
      policy_arn: tf("try(aws_iam_policy.scoped_data_access[each.key].arn, aws_iam_policy.data_access[0].arn)"),
    },
    kms: {
      for_each: tf(`${HAS_CUSTOMER_KEY} ? local.roles : {}`),
      role: tf("aws_iam_role.this[each.key].name"),
      policy_arn: tf("aws_iam_policy.kms[0].arn"),
    },
  },
};

const ROLE_ARN = 'length(aws_iam_role.this) == 1 ? one(values(aws_iam_role.this)[*].arn) : null';
const KMS_KEY_ID = 'local.customer_key_arn == null ? "" : local.customer_key_arn';

const OUTPUTS = {
  bucket: { description: "Mixpanel form: Bucket", value: bucketName },
  region: { description: "Mixpanel form: Region: the region given, else the AWS provider's (where the bucket is)", value: tf("local.region") },
  role_arn: { description: "Mixpanel form: Role (null when there are several per-project roles: see role_arns)", value: tf(ROLE_ARN) },
  role_arns: {
    // Keyed by token: sensitive when a token is (a root output of it then needs sensitive = true).
    description: "Mixpanel form: Role, for each project token (sensitive when a token is)",
    value: tf('{ for t in local.tokens : t => aws_iam_role.this[var.role_per_project ? t : "shared"].arn }'),
  },
  encryption: { description: "Mixpanel form: Encryption (NONE, AES or KMS)", value: tf("local.encryption") },
  kms_key_id: { description: "Mixpanel form: KMS Key ID (empty: leave the field empty)", value: tf(KMS_KEY_ID) },
  mixpanel_settings: {
    description: "The fields of Mixpanel's pipeline form: bucket, region, role, encryption, kms_key_id; and for Redshift Spectrum glue_database, glue_region, glue_role, redshift_role (null without glue_database)",
    value: tf(`{ bucket = var.bucket_name, region = local.region, role = ${ROLE_ARN}, encryption = local.encryption, kms_key_id = ${KMS_KEY_ID}, ${GLUE_SETTINGS_FIELDS} }`),
  },
};
