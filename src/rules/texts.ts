import { ADOPTABLE_RESOURCES, EVENT_STORAGE_CLASSES, EXISTING_BUCKET_MANAGEMENT } from "../config/props";
import { CDK_AWS_PACKAGE } from "../cdk/names";
import { MIXPANEL_EXPORT_PRINCIPAL_ARN } from "../mixpanel";

/**
 * The words of every error rule: what the rule is and how to fix a value that breaks it. rules.ts (synth
 * time) and the Terraform module's variable validation blocks (src/module/validations.ts) both take their
 * messages from here, so the two cannot drift apart.
 *
 * Most entries are fixed text; rules.ts may append a detail about the value at hand (see {@link withDetail}).
 * A few rules name values in the middle of their text: those entries are functions of those values, and the
 * module calls the same function with Terraform interpolations in their place.
 *
 * Warnings are not listed here: they stay in rules.ts, synth-time only (Terraform variables have no warnings).
 */
export interface RuleText {
  /** The rule, in words (no final period). */
  readonly rule: string;
  /** How to fix it (no final period). */
  readonly fix: string;
}

const BUCKET_FIX = "use 3-63 lowercase letters, digits and hyphens, e.g. acme-mixpanel-export";
const TOKEN_FIX = "copy the token from Mixpanel's Project Settings > Overview";
const PROJECT_IDS_FIX = "give the project IDs in the same order as the tokens";
const GLUE_DATABASE_FIX = "use lower case letters, digits and _, e.g. mixpanel_exports";
const KMS_KEY_ARN_FIX = "copy the key's ARN from the KMS console (Customer managed keys > the key > ARN)";
const kmsKeyArnShape = (what: string): RuleText => ({
  rule: `must be a key ARN (arn:aws:kms:<region>:<12-digit account>:key/<key id>), not ${what}; an IAM policy must name the key ARN`,
  fix: KMS_KEY_ARN_FIX,
});
const transitionToIa = (storageClass: string): RuleText => ({
  rule: `S3 moves objects to ${storageClass} only after at least 30 days`,
  fix: "use 30 or more, or another storage class",
});
const days = (min: number): RuleText => ({
  rule: `a number of days is a whole number of at least ${min}`,
  fix: min === 0 ? "use 0 to turn the rule off" : "use a positive number of days",
});
const shortenWhat = (source: "roleName" | "namePrefix") => (source === "roleName" ? "role name" : "name prefix");

export const RULES = {
  // --- Types (JavaScript callers and hand-written props are not checked by tsc) ---
  booleanType: { rule: "must be true or false (a boolean, not text or a number)", fix: "write true or false" },
  textType: { rule: "must be text (a string)", fix: "write the value in quotes, or leave the prop out for its default" },

  // --- Bucket names: AWS's rules for general purpose buckets ---
  bucketRequired: { rule: "a bucket name is required", fix: BUCKET_FIX },
  bucketText: { rule: "a bucket name is text", fix: BUCKET_FIX },
  /** rules.ts appends "(this one has N)". */
  bucketLength: { rule: "bucket names are 3-63 characters long", fix: BUCKET_FIX },
  bucketCharacters: { rule: "bucket names may contain only lowercase letters, digits, dots and hyphens", fix: BUCKET_FIX },
  bucketStartEnd: { rule: "bucket names start and end with a lowercase letter or digit", fix: BUCKET_FIX },
  bucketAdjacentDots: { rule: "bucket names may not contain two adjacent dots", fix: BUCKET_FIX },
  bucketIpAddress: { rule: "bucket names may not be formatted as an IP address", fix: BUCKET_FIX },
  /** Followed by the prefix in quotes: `... reserved prefix "xn--"`. */
  bucketReservedPrefix: { rule: "bucket names may not start with the reserved prefix", fix: BUCKET_FIX },
  /** Followed by the suffix in quotes. */
  bucketReservedSuffix: { rule: "bucket names may not end with the reserved suffix", fix: BUCKET_FIX },

  // --- Projects: tokens (external IDs) and IDs ---
  tokenRequired: { rule: "at least one Mixpanel project token is required", fix: TOKEN_FIX },
  projectObject: { rule: "each project is an object { token, projectId? }", fix: 'write e.g. { token: "0123456789abcdef0123456789abcdef" }' },
  tokenMissing: { rule: "every project needs a token", fix: "give each project its token" },
  tokenExternalId: { rule: "a token is used as STS external ID: 2-1224 characters of letters, digits and + = , . @ : / - _", fix: TOKEN_FIX },
  tokenDuplicate: { rule: "each project token may be listed once", fix: "remove the duplicate" },
  /** rules.ts appends "(N tokens, M IDs)". */
  projectIdForEveryToken: { rule: "give a project ID for every token", fix: "list the IDs in the same order as the tokens" },
  projectIdFormat: { rule: "a Mixpanel project ID is a positive whole number", fix: "copy it from Mixpanel's Project Settings > Overview" },
  projectIdDuplicate: { rule: "each project ID may be listed once", fix: "remove the duplicate" },

  // --- Region ---
  regionRequired: { rule: "a region is required", fix: "set the bucket's region, e.g. us-east-1" },
  regionFormat: { rule: "not a well-formed AWS region name", fix: "use a name like us-east-1 or eu-west-1" },
  regionPartition: {
    rule: `the region is outside the aws partition, so a role there cannot trust Mixpanel's principal (${MIXPANEL_EXPORT_PRINCIPAL_ARN})`,
    fix: "use a bucket in a region of the aws partition that Mixpanel supports, e.g. us-east-1 or eu-west-1",
  },

  // --- Encryption ---
  encryptionValues: {
    rule: "encryption is one of NONE, AES, KMS (Mixpanel's dropdown)",
    fix: "pick NONE, AES or KMS (in props exactly so; the environment variable also takes lower case)",
  },
  /** rules.ts appends "(encryption is AES)". */
  kmsKeyOnlyWithKms: { rule: "a KMS key applies only with encryption KMS", fix: "set encryption to KMS, or remove the key ARN" },
  kmsKeyAndCreateKey: {
    rule: "give either a KMS key ARN or createKmsKey, not both",
    fix: "remove the key ARN to create a key, or set createKmsKey to false to use yours",
  },
  kmsKeyArnAlias: kmsKeyArnShape("an alias"),
  kmsKeyArnNotKeyArn: kmsKeyArnShape("another kind of ARN"),
  kmsKeyArnBareId: kmsKeyArnShape("a bare key ID"),
  /** Names the two regions: the module passes Terraform interpolations for them. */
  kmsKeyRegion: (keyRegion: string, bucketRegion: string): RuleText => ({
    rule: `the key is in ${keyRegion} but the bucket is in ${bucketRegion}; SSE-KMS needs a key in the bucket's region`,
    fix: "use a key in the bucket's region, or create one with createKmsKey",
  }),
  /** rules.ts appends "(encryption is AES)". */
  createKmsKeyOnlyWithKms: { rule: "creating a KMS key applies only with encryption KMS", fix: "set encryption to KMS, or createKmsKey to false" },

  // --- Roles ---
  roleName: { rule: "role names are 1-64 characters of letters, digits and + = , . @ - _", fix: "choose a shorter or plainer name" },
  rolePath: { rule: "a role path is / or starts and ends with / (at most 512 printable ASCII characters)", fix: "use a path like /vendors/" },
  permissionsBoundaryArn: {
    rule: "a permissions boundary is an IAM policy ARN (arn:aws:iam::<12-digit account or aws>:policy/<name>)",
    fix: "copy the ARN of the boundary policy from the IAM console",
  },
  maxSessionDuration: { rule: "the maximum session duration is a whole number of seconds from 3600 to 43200", fix: "use 3600 (one hour) unless you need longer" },
  namePrefix: {
    rule: "a name prefix may contain only letters, digits, _ and - (it goes into role, policy and KMS alias names)",
    fix: "use a prefix like analytics-",
  },
  scopeNeedsRolePerProject: { rule: "prefix scoping needs one role per project (rolePerProject)", fix: "set rolePerProject to true, or scopeToProjectPrefix to false" },
  /** On projects[].roleName: with per-project roles, a project's role may be named (e.g. a role made by hand). */
  projectRoleNameNeedsRolePerProject: {
    rule: "a project's roleName names that project's own role, so it applies only with one role per project (rolePerProject)",
    fix: "set rolePerProject to true, or remove the projects' roleName and name the shared role with roleName",
  },
  projectRoleNameDuplicate: {
    rule: "each project's roleName must differ from the others' (IAM role names are unique ignoring case)",
    fix: "give each project's role its own name",
  },
  scopeNeedsProjectIds: { rule: "prefix scoping needs the project ID of every project (the first folder Mixpanel writes to)", fix: PROJECT_IDS_FIX },

  // --- Names derived from the prefix, the role name and the projects ---
  derivedRoleNameLength: (name: string, max: number, source: "roleName" | "namePrefix", perProject: boolean): RuleText => ({
    rule: `the derived role name "${name}" has ${name.length} characters; IAM allows ${max}`,
    fix: perProject
      ? `shorten the ${shortenWhat(source)}; each role is named <role name>-<project ID, or token when no ID is given>, so giving project IDs also helps`
      : `shorten the ${shortenWhat(source)}`,
  }),
  derivedRoleNameCharacters: (name: string, source: "roleName" | "namePrefix", fromToken: boolean): RuleText => ({
    rule: `the derived role name "${name}" has characters IAM does not allow in a role name (only letters, digits and + = , . @ - _)`,
    fix: fromToken ? "give project IDs, so each per-project role is named after its ID rather than its token" : `fix the ${shortenWhat(source)}`,
  }),
  derivedRoleNameDuplicate: {
    rule: "two roles would get the same name (IAM role names are unique ignoring case)",
    fix: "give each project a distinct project ID, or a roleName of its own",
  },
  derivedPolicyName: (name: string, max: number): RuleText => ({
    rule: `the derived policy name "${name}" has ${name.length} characters; IAM allows ${max} of letters, digits and + = , . @ - _`,
    fix: "shorten the name prefix",
  }),
  derivedKmsAlias: (name: string, max: number): RuleText => ({
    rule: `the derived KMS alias "${name}" has ${name.length} characters; KMS allows ${max}`,
    fix: "shorten the name prefix",
  }),

  // --- Tags ---
  tagsObject: { rule: "tags are an object of string keys to string values", fix: 'use e.g. {"team":"data"}' },
  tagCount: { rule: "a resource takes at most 50 tags", fix: "drop some tags" },
  tagKeyLength: { rule: "a tag key is 1-128 characters", fix: "shorten the key" },
  tagKeyReserved: { rule: "tag keys starting with aws: are reserved for AWS", fix: "rename the key" },
  tagKeyCharacters: { rule: "tag keys may contain letters, digits, spaces and _ . : / = + - @", fix: "remove other characters" },
  /** The fix quotes the value given. */
  tagValueString: (value: string): RuleText => ({ rule: "tag values are strings", fix: `quote the value, e.g. "${value}"` }),
  /** rules.ts appends "(this one has N)". */
  tagValueLength: { rule: "a tag value is at most 256 characters", fix: "shorten the value" },
  tagValueCharacters: { rule: "tag values may contain letters, digits, spaces and _ . : / = + - @", fix: "remove other characters" },

  // --- Storage over time ---
  daysFromZero: days(0),
  daysFromOne: days(1),
  storageClass: { rule: `the storage class is one of ${EVENT_STORAGE_CLASSES.join(", ")}`, fix: "pick one of those" },
  transitionStandardIa: transitionToIa("STANDARD_IA"),
  transitionOnezoneIa: transitionToIa("ONEZONE_IA"),
  /** rules.ts appends "(transition at N days)". */
  expirationAfterTransition: { rule: "event files must expire after they move", fix: "use more days than eventsTransitionDays" },
  eventRulesNeedProjectIds: { rule: "event lifecycle rules apply only under <project id>/mp_master_event/, so every project ID is needed", fix: PROJECT_IDS_FIX },
  accessLogSelf: { rule: "a bucket must not log into itself (each log write would be logged again)", fix: "use a separate log bucket" },

  // --- Existing bucket ---
  manageExistingBucket: { rule: `one of ${EXISTING_BUCKET_MANAGEMENT.join(", ")}`, fix: "pick none, encryption or all" },

  // --- Redshift Spectrum and the Glue catalog ---
  /** rules.ts appends "(this one has N)". */
  glueDatabaseLength: { rule: "a Glue database name is 1-255 characters long", fix: GLUE_DATABASE_FIX },
  glueDatabaseUpperCase: {
    rule: "Glue keeps database names in lower case (the AWS provider refuses upper case letters), so a name with upper case letters would never match",
    fix: GLUE_DATABASE_FIX,
  },
  glueDatabaseCharacters: {
    rule: "a Glue database name is one line (no control characters but tab) without * ? or / (the name goes into the ARNs of the Glue role's policy, where * and ? are wildcards and / ends the database)",
    fix: GLUE_DATABASE_FIX,
  },
  glueSettingNeedsDatabase: { rule: "applies only to the Glue catalog part, which glueDatabase turns on", fix: "set glueDatabase too, or remove this setting" },
  redshiftNeedsGlueDatabase: {
    rule: "the Redshift role reads the tables Mixpanel keeps in the Glue catalog, which glueDatabase turns on",
    fix: "set glueDatabase too, or set redshiftRole to false",
  },
  /** Names the two regions: the module passes Terraform interpolations for them. */
  glueDatabaseRegion: (providerRegion: string, bucketRegion: string): RuleText => ({
    rule: `the Glue database would be created in the AWS provider's region ${providerRegion}, but the bucket is in ${bucketRegion}; Mixpanel needs the Glue database in the bucket's region`,
    fix: "configure the AWS provider for the bucket's region, or create the database there yourself and set createGlueDatabase to false",
  }),

  // --- Per-project role keys (part of each role's Terraform address) ---
  roleKeyFormat: {
    rule: "a project's key is part of its role's Terraform address: 1-64 letters, digits, - and _, given as text (not a Terraform value)",
    fix: 'use a short, fixed name for the project, e.g. key: "web"',
  },
  roleKeyNeedsRolePerProject: {
    rule: "a project's key names its own role, which only rolePerProject makes",
    fix: "set rolePerProject to true, or remove the keys",
  },
  roleKeyDuplicate: { rule: "each project's key may be listed once", fix: "give every project its own key" },
  /** rules.ts appends "(project N of M)". */
  roleKeyNeeded: {
    rule: "with rolePerProject, each role's Terraform address is made from the project's key, its literal token or its literal project ID; this project's token and project ID are Terraform values, whose order of creation would decide the address (adding a variable could replace the role)",
    fix: 'give the project a key (e.g. key: "web"), or its project ID as text; an address made by a release before 0.2.0 from such a token is moved to the new one',
  },

  // --- Adopting a set-up made by hand ---
  adoptValues: { rule: `each item is one of ${ADOPTABLE_RESOURCES.join(", ")}`, fix: "list bucket, role or both, e.g. bucket,role" },
  adoptBucketNotCreated: {
    rule: "adopting the bucket takes it under management, but createBucket false only refers to it by name",
    fix: "remove createBucket false to adopt the bucket, or remove bucket from adopt to keep referring to it",
  },
  adoptRoleNeedsName: {
    rule: "adopting the role needs its name, so that the role keeps its ARN",
    fix: "set roleName (and rolePath, if it is not /) to the role's name in IAM",
  },
  adoptRolePerProject: {
    rule: "adopting per-project roles needs the name of every project's role: without one, a project's role is named <role name>-<project ID>, which a role made by hand is not",
    fix: "give every project its role's name as roleName (projects[].roleName of the construct, or role_name on each of the module's projects, with `mixpanel-s3-export adopt --role <token>=<name>`); the deployable stack has no setting for it, so adopt there with rolePerProject false",
  },
} satisfies Record<string, RuleText | ((...args: never[]) => RuleText)>;

export type RuleId = keyof typeof RULES;

/** Rules whose text is fixed (the others name values in their text). */
export type FixedRuleId = { [K in RuleId]: (typeof RULES)[K] extends RuleText ? K : never }[RuleId];

/** A rule with a detail about the value at hand appended: `bucket names are 3-63 characters long (this one has 70)`. */
export function withDetail(rule: string, detail?: string): string {
  return detail === undefined ? rule : `${rule} ${detail}`;
}

/** `<rule>. Fix: <fix>`: the part of every message, synth-time and Terraform alike, after the setting and value. */
export function ruleAndFix(rule: string, fix: string): string {
  return `${rule}. Fix: ${fix}`;
}

/**
 * Rules only Terraform can check, at plan: they need the AWS provider's configuration, the sensitivity of a value,
 * or inputs only the Terraform module has. rules.ts never reports them (they are not in {@link RULES}); the
 * module's validation blocks (src/module/validations.ts) and the construct's plan-time check of its provider's
 * region (src/constructs/mixpanel-s3-export.ts) take their words from here.
 */
export const PLAN_RULES = {
  /** Names the two regions: Terraform interpolations in the module and the construct. */
  regionProvider: (given: string, provider: string): RuleText => ({
    rule: `the bucket's region is given as ${given}, but the AWS provider is configured for ${provider}, where the bucket and roles are made`,
    fix: "set region to the provider's region (the module also takes it when region is unset), or use an AWS provider configured for the region you meant",
  }),
  /** The module with region unset: the provider's region is the bucket's. */
  providerRegionPartition: {
    rule: `the AWS provider's region is outside the aws partition, so a role there cannot trust Mixpanel's principal (${MIXPANEL_EXPORT_PRINCIPAL_ARN})`,
    fix: RULES.regionPartition.fix,
  },
  kmsKeyGivenTwice: { rule: "give the key once, as kms_key or as kms_key_arn, not both", fix: "remove kms_key_arn" },
  kmsKeyObjectArn: { rule: "kms_key needs the key's ARN", fix: "write kms_key = { arn = aws_kms_key.<name>.arn }, or leave kms_key unset" },
  tokenSensitiveKey: {
    rule: "with role_per_project each token is part of its role's Terraform address (aws_iam_role.this[\"<token>\"]), so no token may be sensitive",
    fix: "pass the tokens through nonsensitive() (Mixpanel's project token is no secret: it is the external ID), or use one shared role",
  },
} satisfies Record<string, RuleText | ((...args: never[]) => RuleText)>;

export type PlanRuleId = keyof typeof PLAN_RULES;

/**
 * Rules of the module that Terraform enforces with its own error, before anything of the module could: the words
 * the module puts where that error points, and in the descriptions, instead of a message of its own. A validation
 * or precondition on a value unknown at plan is put off until apply, and no function tells an unknown value from a
 * known one, so an unknown value that decides a `count` fails with Terraform's "Invalid count argument" first.
 */
export const TERRAFORM_ERROR_RULES = {
  /** In the description of kms_key_arn and, as a comment, in the counts on the customer key (src/module/validations.ts). */
  kmsKeyArnKnownAtPlan: {
    rule: "must be known at plan (text, a variable, a data source), since it decides whether the KMS policy exists; " +
      "an ARN known only after apply, such as aws_kms_key.<name>.arn of the same configuration, fails with Terraform's Invalid count argument",
    fix: "give such a key as kms_key = { arn = aws_kms_key.<name>.arn }",
  },
} satisfies Record<string, RuleText>;

/**
 * Rules of the construct that need the construct tree (other exports of the app, its provider), which neither
 * the deployable stack's settings nor the module can break: the stack has one export and one provider, and
 * the module's Terraform sees a clash of names itself at plan only as an apply error. Reported by
 * src/constructs/mixpanel-s3-export.ts.
 */
export const CONSTRUCT_RULES = {
  /** Two exports of one app would make the same named AWS object (IAM and S3 names are unique in an account). */
  nameClash: (what: string, name: string, first: string, second: string, fix: string): RuleText => ({
    rule: `the Mixpanel exports ${first} and ${second} would both make the ${what} ${JSON.stringify(name)}, and AWS refuses the second at apply, after the first export is half made`,
    fix,
  }),
  providerNotAws: { rule: `must be an AwsProvider (from ${CDK_AWS_PACKAGE}/lib/provider)`, fix: "pass the AWS provider the construct's resources should use" },
  providerOtherStack: (stack: string, providerStack: string): RuleText => ({
    rule: `the provider is in stack ${providerStack}, but the construct is in stack ${stack}; a resource can only use a provider of its own stack`,
    fix: "pass an AwsProvider of the construct's stack",
  }),
  regionDisagrees: (given: string, providerRegion: string): RuleText => ({
    rule: `the bucket's region is given as ${given}, but the AWS provider the construct uses is configured for ${providerRegion}, where the bucket and roles are made`,
    fix: "leave region out (the provider's region is taken), set it to the provider's region, or pass a provider configured for the region you meant",
  }),
  grantReadRole: { rule: `grantRead takes an IamRole (from ${CDK_AWS_PACKAGE}/lib/iam-role) of the construct's stack`, fix: "pass the IamRole that should read the exports" },
  grantReadAgain: { rule: "this export already grants that role read access", fix: "grant each role once" },
  grantReadOtherAccount: {
    rule: "the role's AWS provider reaches another account than the export's (another configuration than the export's provider, ignoring alias and region); a role there cannot read the exports through its own policy alone",
    fix: "grant a role of the export's account, or add statements for that account to the bucket's and the key's policies yourself",
  },
  grantReadTwice: (id: string): RuleText => ({
    rule: `this export already grants a role with the ID ${JSON.stringify(id)} (the ID names the grant's Terraform resource)`,
    fix: "give this grant its own ID: grantRead(role, \"<id>\")",
  }),
} satisfies Record<string, RuleText | ((...args: never[]) => RuleText)>;
