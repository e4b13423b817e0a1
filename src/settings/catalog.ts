/**
 * Every setting of the deployable stack: its environment variable (also its key in cdktf.json's
 * `context`), the construct prop it feeds, how its text is read, and its documentation. This table is
 * the one source for error messages, `help`, the README check and (later) the Terraform module's
 * variables.
 */
import { CDK_CONFIG_FILE } from "../cdk/names";

export type SettingKind = "string" | "list" | "boolean" | "integer" | "tags" | "enum";

export interface SettingSpec {
  /** Environment variable, and key in cdktf.json `context`. */
  readonly env: string;
  /** The `MixpanelS3ExportProps` field it sets (`projects[].token` style for list members). */
  readonly prop: string;
  readonly kind: SettingKind;
  /** What it does, in one or two sentences. */
  readonly description: string;
  /** What happens when it is not set. */
  readonly defaultText: string;
  /** A value a user could type. */
  readonly example: string;
  /** Accepted words, for `enum` settings (matched case-insensitively). */
  readonly values?: readonly string[];
}

export const SETTINGS: readonly SettingSpec[] = [
  // --- What Mixpanel exports, and where ---
  {
    env: "MIXPANEL_PROJECT_TOKEN", prop: "projects[].token", kind: "list",
    description: "Mixpanel project token(s), comma-separated. Each is the external ID Mixpanel presents when it assumes the role.",
    defaultText: "required (cdktf.json ships an example token)", example: "0123456789abcdef0123456789abcdef",
  },
  {
    env: "MIXPANEL_PROJECT_ID", prop: "projects[].projectId", kind: "list",
    description: "Mixpanel project ID(s), comma-separated, in the same order as the tokens. Needed for prefix scoping and event-file lifecycle rules.",
    defaultText: "none", example: "3141592,2718281",
  },
  {
    env: "MIXPANEL_BUCKET", prop: "bucketName", kind: "string",
    description: "Name of the S3 bucket Mixpanel writes to.",
    defaultText: "required (cdktf.json ships an example name)", example: "acme-mixpanel-export",
  },
  {
    env: "AWS_REGION", prop: "region", kind: "string",
    description: "AWS region of the bucket, entered in Mixpanel's form as Region. The deployable stack configures its AWS provider for it.",
    defaultText: "us-east-1 (from cdktf.json)", example: "eu-west-1",
  },
  {
    env: "MIXPANEL_CREATE_BUCKET", prop: "createBucket", kind: "boolean",
    description: "true: create the bucket. false: use an existing bucket by name; only the policies and role are created.",
    defaultText: "true", example: "false",
  },
  {
    env: "MIXPANEL_MANAGE_EXISTING_BUCKET", prop: "manageExistingBucket", kind: "enum", values: ["none", "encryption", "all"],
    description: "With an existing bucket: none leaves its configuration alone; encryption manages its default encryption; all manages encryption, the security defaults and lifecycle as for a created bucket (replacing its bucket policy and lifecycle rules).",
    defaultText: "none", example: "encryption",
  },
  {
    env: "MIXPANEL_ADOPT", prop: "adopt", kind: "list",
    description: "Take a set-up made by hand under management instead of creating it, through Terraform import blocks: bucket (the bucket MIXPANEL_BUCKET, with its default encryption, public access block and ownership controls) and/or role (the role MIXPANEL_ROLE_NAME on MIXPANEL_ROLE_PATH, keeping its ARN). Comma-separated.",
    defaultText: "none (everything is created)", example: "bucket,role",
  },
  // --- Encryption at rest ---
  {
    env: "MIXPANEL_ENCRYPTION", prop: "encryption", kind: "enum", values: ["NONE", "AES", "KMS"],
    description: "Default encryption of the bucket, in the words of Mixpanel's Encryption dropdown: NONE, AES (SSE-S3) or KMS (SSE-KMS).",
    defaultText: "NONE", example: "KMS",
  },
  {
    env: "MIXPANEL_KMS_KEY_ARN", prop: "kmsKeyArn", kind: "string",
    description: "With KMS: ARN of an existing customer managed key in the bucket's region. Without a key ARN, and without creating a key, the AWS-managed aws/s3 key is used.",
    defaultText: "none (aws/s3 key)", example: "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
  },
  {
    env: "MIXPANEL_CREATE_KMS_KEY", prop: "createKmsKey", kind: "boolean",
    description: "With KMS: create a customer managed key (rotation on, 30-day deletion window, an alias) for the bucket.",
    defaultText: "false", example: "true",
  },
  {
    env: "MIXPANEL_BUCKET_KEY", prop: "bucketKey", kind: "boolean",
    description: "With KMS: turn on S3 Bucket Keys, which cut KMS requests (and cost) for the many small files exports write.",
    defaultText: "true", example: "false",
  },
  // --- Roles ---
  {
    env: "MIXPANEL_ROLE_PER_PROJECT", prop: "rolePerProject", kind: "boolean",
    description: "true: one role per project, each trusting only its own token. false: one role trusting every token.",
    defaultText: "false", example: "true",
  },
  {
    env: "MIXPANEL_SCOPE_TO_PROJECT_PREFIX", prop: "scopeToProjectPrefix", kind: "boolean",
    description: "With per-project roles and project IDs: limit each role to <bucket>/<project id>/, where Mixpanel writes that project's files. Stricter than Mixpanel's page.",
    defaultText: "false", example: "true",
  },
  {
    env: "MIXPANEL_ROLE_NAME", prop: "roleName", kind: "string",
    description: "Name of the role. With per-project roles, each role is named <role name>-<project id or token>.",
    defaultText: "<name prefix>mixpanel-export", example: "mixpanel-export-prod",
  },
  {
    env: "MIXPANEL_ROLE_PATH", prop: "rolePath", kind: "string",
    description: "IAM path of the role(s) and policies.",
    defaultText: "/ (AWS's default)", example: "/vendors/",
  },
  {
    env: "MIXPANEL_PERMISSIONS_BOUNDARY_ARN", prop: "permissionsBoundaryArn", kind: "string",
    description: "ARN of an IAM policy set as the permissions boundary of the role(s).",
    defaultText: "none", example: "arn:aws:iam::111122223333:policy/vendor-boundary",
  },
  {
    env: "MIXPANEL_MAX_SESSION_DURATION", prop: "maxSessionDuration", kind: "integer",
    description: "Longest session, in seconds (3600-43200), Mixpanel may hold after assuming the role.",
    defaultText: "3600 (AWS's default, one hour)", example: "7200",
  },
  {
    env: "MIXPANEL_NAME_PREFIX", prop: "namePrefix", kind: "string",
    description: "Prefix for every name this module derives (role, policies, KMS alias), so two instances can live in one account. Letters, digits, _ and -.",
    defaultText: "none", example: "analytics-",
  },
  {
    env: "MIXPANEL_TAGS", prop: "tags", kind: "tags",
    description: "JSON object of tags for every taggable resource; works alongside the provider's default_tags (these win on the same key).",
    defaultText: "{}", example: "{\"team\":\"data\",\"cost-center\":\"42\"}",
  },
  // --- Security defaults (created bucket, or an existing one with MIXPANEL_MANAGE_EXISTING_BUCKET=all) ---
  {
    env: "MIXPANEL_BLOCK_PUBLIC_ACCESS", prop: "blockPublicAccess", kind: "boolean",
    description: "Turn on all four S3 Block Public Access settings for the bucket.",
    defaultText: "true", example: "false",
  },
  {
    env: "MIXPANEL_ENFORCE_BUCKET_OWNER", prop: "enforceBucketOwner", kind: "boolean",
    description: "Set Object Ownership to BucketOwnerEnforced (ACLs disabled; the bucket owner owns every object).",
    defaultText: "true", example: "false",
  },
  {
    env: "MIXPANEL_TLS_ONLY", prop: "tlsOnly", kind: "boolean",
    description: "Attach a bucket policy that denies every request made without TLS.",
    defaultText: "true", example: "false",
  },
  {
    env: "MIXPANEL_PREVENT_DESTROY", prop: "preventDestroy", kind: "boolean",
    description: "Give the bucket, a created KMS key and a created Glue database Terraform's prevent_destroy, so no plan can delete them.",
    defaultText: "true", example: "false",
  },
  // --- Storage over time ---
  {
    env: "MIXPANEL_ABORT_INCOMPLETE_UPLOADS_DAYS", prop: "abortIncompleteUploadsDays", kind: "integer",
    description: "Abort multipart uploads left incomplete after this many days. 0 turns the rule off.",
    defaultText: "7", example: "3",
  },
  {
    env: "MIXPANEL_EVENTS_TRANSITION_DAYS", prop: "eventsTransitionDays", kind: "integer",
    description: "Move event files (<project id>/mp_master_event/) to the events storage class after this many days. Needs project IDs.",
    defaultText: "off", example: "90",
  },
  {
    env: "MIXPANEL_EVENTS_STORAGE_CLASS", prop: "eventsStorageClass", kind: "enum",
    values: ["STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING", "GLACIER_IR", "GLACIER", "DEEP_ARCHIVE"],
    description: "Storage class event files move to after the events transition days.",
    defaultText: "STANDARD_IA", example: "GLACIER_IR",
  },
  {
    env: "MIXPANEL_EVENTS_EXPIRATION_DAYS", prop: "eventsExpirationDays", kind: "integer",
    description: "Delete event files after this many days. Profile and identity files are never expired. Needs project IDs.",
    defaultText: "off (kept forever)", example: "730",
  },
  {
    env: "MIXPANEL_VERSIONING", prop: "versioning", kind: "boolean",
    description: "Turn on S3 versioning; noncurrent versions then expire after the noncurrent version expiration days.",
    defaultText: "false", example: "true",
  },
  {
    env: "MIXPANEL_NONCURRENT_VERSION_EXPIRATION_DAYS", prop: "noncurrentVersionExpirationDays", kind: "integer",
    description: "With versioning: delete noncurrent object versions after this many days.",
    defaultText: "30", example: "90",
  },
  {
    env: "MIXPANEL_ACCESS_LOG_BUCKET", prop: "accessLogBucket", kind: "string",
    description: "Name of an existing bucket that receives S3 server access logs for the export bucket.",
    defaultText: "off", example: "acme-s3-access-logs",
  },
  {
    env: "MIXPANEL_ACCESS_LOG_PREFIX", prop: "accessLogPrefix", kind: "string",
    description: "Key prefix of the access logs in the access log bucket.",
    defaultText: "<bucket name>/", example: "s3/mixpanel/",
  },
  // --- Redshift Spectrum and the Glue catalog ---
  {
    env: "MIXPANEL_GLUE_DATABASE", prop: "glueDatabase", kind: "string",
    description: "Name of the Glue database in which Mixpanel keeps one table per data source (Mixpanel's Redshift Spectrum destination; Athena can query it too). Setting it turns the Glue part on: the database and the Glue role Mixpanel assumes (trust without external ID, as Mixpanel documents it). Lower case letters, digits and _. In the module it must be known at plan.",
    defaultText: "none (no Glue catalog)", example: "mixpanel_exports",
  },
  {
    env: "MIXPANEL_CREATE_GLUE_DATABASE", prop: "createGlueDatabase", kind: "boolean",
    description: "With a Glue database: true creates it in the bucket's region; false uses an existing database of that name there.",
    defaultText: "true", example: "false",
  },
  {
    env: "MIXPANEL_GLUE_SCOPE_TO_DATABASE", prop: "glueScopeToDatabase", kind: "boolean",
    description: "With a Glue database: limit the Glue role to the catalog, that database and its tables in the bucket's region. Stricter than Mixpanel's page; false gives the page's \"*\" (every database and table).",
    defaultText: "true", example: "false",
  },
  {
    env: "MIXPANEL_REDSHIFT_ROLE", prop: "redshiftRole", kind: "boolean",
    description: "With a Glue database: create the Redshift Spectrum role (Mixpanel's export user and Redshift may assume it; trust without external ID, as Mixpanel documents it), with kms:Decrypt on a customer managed key. Associating it with the cluster or workgroup and the GRANT stay with you.",
    defaultText: "false", example: "true",
  },
];

const BY_PROP = new Map(SETTINGS.map((s) => [s.prop, s]));

/** Names a construct prop together with its setting, for messages: `bucketName (MIXPANEL_BUCKET)`. */
export function describeSetting(prop: string): string {
  const spec = BY_PROP.get(prop);
  return spec ? `${spec.env} (${CDK_CONFIG_FILE} context key ${spec.env}; prop ${prop})` : `prop ${prop}`;
}
