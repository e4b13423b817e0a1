import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { TerraformStack, TerraformVariable, Testing } from "cdktf";
import { MixpanelS3ExportProps } from "../src/config/props";
import { MixpanelS3Export } from "../src/constructs/mixpanel-s3-export";
import { MIXPANEL_SUPPORTED_REGIONS } from "../src/mixpanel";
import { MixpanelSettingsError, Problem, formatProblem, printWarnings } from "../src/rules/problems";
import { validateProps } from "../src/rules/rules";
import { describeSetting } from "../src/settings/catalog";
import { appContext, loadSettings } from "../src/settings/load-settings";
import { CUSTOMER_KEY_ARN, TOKEN, TOKEN_B, TOKEN_C, baseProps } from "./support/synth";

/** cdktf.json's context, as `cdktf synth` hands it to the app: the defaults every env case starts from. */
const CONTEXT = (JSON.parse(fs.readFileSync(path.join(__dirname, "..", "cdktf.json"), "utf8")) as { context: Record<string, unknown> }).context;

const fromEnv = (env: Record<string, string>): readonly Problem[] => loadSettings({ env, context: CONTEXT }).problems;
const errorsOf = (problems: readonly Problem[]) => problems.filter((p) => p.severity === "error");
const warningsOf = (problems: readonly Problem[]) => problems.filter((p) => p.severity === "warning");

const repeat = (text: string, length: number) => text.repeat(Math.ceil(length / text.length)).slice(0, length);
const tagsJson = (count: number) => JSON.stringify(Object.fromEntries(Array.from({ length: count }, (_, i) => [`key${i}`, `value${i}`])));
const KEY_ID = "1234abcd-12ab-34cd-56ef-1234567890ab";
const keyArn = (region: string, id = KEY_ID) => `arn:aws:kms:${region}:111122223333:key/${id}`;

/** Mixpanel's supported regions that are in the aws partition (cn-* cannot trust Mixpanel's principal). */
const AWS_PARTITION_REGIONS = MIXPANEL_SUPPORTED_REGIONS.filter((region) => !region.startsWith("cn-"));

interface BadCase {
  /** Environment settings on top of cdktf.json's context ... */
  readonly env?: Record<string, string>;
  /** ... or construct props on top of the smallest valid props. */
  readonly props?: Partial<MixpanelS3ExportProps>;
  /** The environment variable (and context key) the message must name. */
  readonly setting: string;
  /** The construct prop the message must name. */
  readonly prop: string;
  /** A distinctive part of the rule broken. */
  readonly rule: string;
}

const BAD: Record<string, BadCase> = {
  // --- Bucket name ---
  "bucket of 2 characters": { env: { MIXPANEL_BUCKET: "ab" }, setting: "MIXPANEL_BUCKET", prop: "bucketName", rule: "3-63 characters" },
  "bucket of 64 characters": { env: { MIXPANEL_BUCKET: repeat("abc", 64) }, setting: "MIXPANEL_BUCKET", prop: "bucketName", rule: "3-63 characters long (this one has 64)" },
  "bucket with upper case and _": { env: { MIXPANEL_BUCKET: "Bad_Bucket" }, setting: "MIXPANEL_BUCKET", prop: "bucketName", rule: "only lowercase letters, digits, dots and hyphens" },
  "bucket starting with a hyphen": { env: { MIXPANEL_BUCKET: "-acme-export" }, setting: "MIXPANEL_BUCKET", prop: "bucketName", rule: "start and end with a lowercase letter or digit" },
  "bucket ending with a dot": { env: { MIXPANEL_BUCKET: "acme-export." }, setting: "MIXPANEL_BUCKET", prop: "bucketName", rule: "start and end with a lowercase letter or digit" },
  "bucket with two adjacent dots": { env: { MIXPANEL_BUCKET: "acme..export" }, setting: "MIXPANEL_BUCKET", prop: "bucketName", rule: "two adjacent dots" },
  "bucket shaped like an IP address": { env: { MIXPANEL_BUCKET: "192.168.5.4" }, setting: "MIXPANEL_BUCKET", prop: "bucketName", rule: "formatted as an IP address" },
  "bucket with reserved prefix xn--": { env: { MIXPANEL_BUCKET: "xn--acme" }, setting: "MIXPANEL_BUCKET", prop: "bucketName", rule: 'reserved prefix "xn--"' },
  "bucket with reserved prefix sthree-": { env: { MIXPANEL_BUCKET: "sthree-acme" }, setting: "MIXPANEL_BUCKET", prop: "bucketName", rule: 'reserved prefix "sthree-"' },
  "bucket with reserved prefix amzn-s3-demo-": { env: { MIXPANEL_BUCKET: "amzn-s3-demo-acme" }, setting: "MIXPANEL_BUCKET", prop: "bucketName", rule: 'reserved prefix "amzn-s3-demo-"' },
  "bucket with reserved suffix -s3alias": { env: { MIXPANEL_BUCKET: "acme-s3alias" }, setting: "MIXPANEL_BUCKET", prop: "bucketName", rule: 'reserved suffix "-s3alias"' },
  "bucket with reserved suffix --ol-s3": { env: { MIXPANEL_BUCKET: "acme--ol-s3" }, setting: "MIXPANEL_BUCKET", prop: "bucketName", rule: 'reserved suffix "--ol-s3"' },
  "bucket with reserved suffix .mrap": { env: { MIXPANEL_BUCKET: "acme.mrap" }, setting: "MIXPANEL_BUCKET", prop: "bucketName", rule: 'reserved suffix ".mrap"' },
  "bucket with reserved suffix --x-s3": { env: { MIXPANEL_BUCKET: "acme--x-s3" }, setting: "MIXPANEL_BUCKET", prop: "bucketName", rule: 'reserved suffix "--x-s3"' },
  "bucket with reserved suffix --table-s3": { env: { MIXPANEL_BUCKET: "acme--table-s3" }, setting: "MIXPANEL_BUCKET", prop: "bucketName", rule: 'reserved suffix "--table-s3"' },
  "bucket set empty": { env: { MIXPANEL_BUCKET: "" }, setting: "MIXPANEL_BUCKET", prop: "bucketName", rule: "a bucket name is required" },
  "bucket prop missing": { props: { bucketName: undefined }, setting: "MIXPANEL_BUCKET", prop: "bucketName", rule: "a bucket name is required" },

  // --- Project tokens and IDs ---
  "token of one character": { env: { MIXPANEL_PROJECT_TOKEN: "a" }, setting: "MIXPANEL_PROJECT_TOKEN", prop: "projects[].token", rule: "2-1224 characters" },
  "token with a space": { env: { MIXPANEL_PROJECT_TOKEN: "0123 4567" }, setting: "MIXPANEL_PROJECT_TOKEN", prop: "projects[].token", rule: "STS external ID" },
  "token of 1225 characters": { env: { MIXPANEL_PROJECT_TOKEN: repeat("0123456789abcdef", 1225) }, setting: "MIXPANEL_PROJECT_TOKEN", prop: "projects[].token", rule: "2-1224 characters" },
  "token listed twice": { env: { MIXPANEL_PROJECT_TOKEN: `${TOKEN},${TOKEN}` }, setting: "MIXPANEL_PROJECT_TOKEN", prop: "projects[].token", rule: "listed once" },
  "no token at all": { env: { MIXPANEL_PROJECT_TOKEN: " , " }, setting: "MIXPANEL_PROJECT_TOKEN", prop: "projects[].token", rule: "at least one Mixpanel project token is required" },
  "project ID 0": { env: { MIXPANEL_PROJECT_ID: "0" }, setting: "MIXPANEL_PROJECT_ID", prop: "projects[].projectId", rule: "positive whole number" },
  "project ID not a number": { env: { MIXPANEL_PROJECT_ID: "proj-1" }, setting: "MIXPANEL_PROJECT_ID", prop: "projects[].projectId", rule: "positive whole number" },
  "more project IDs than tokens": { env: { MIXPANEL_PROJECT_ID: "1,2" }, setting: "MIXPANEL_PROJECT_ID", prop: "projects[].projectId", rule: "1 token(s), 2 ID(s)" },
  "project ID listed twice": { env: { MIXPANEL_PROJECT_TOKEN: `${TOKEN},${TOKEN_B}`, MIXPANEL_PROJECT_ID: "12,12" }, setting: "MIXPANEL_PROJECT_ID", prop: "projects[].projectId", rule: "each project ID may be listed once" },
  "project ID for only some tokens (props)": { props: { projects: [{ token: TOKEN, projectId: "1" }, { token: TOKEN_B }] }, setting: "MIXPANEL_PROJECT_ID", prop: "projects[].projectId", rule: "give a project ID for every token" },

  // --- Region ---
  "region without hyphens": { env: { AWS_REGION: "useast1" }, setting: "AWS_REGION", prop: "region", rule: "not a well-formed AWS region name" },
  "region in upper case": { env: { AWS_REGION: "US-EAST-1" }, setting: "AWS_REGION", prop: "region", rule: "not a well-formed AWS region name" },
  "availability zone for region": { env: { AWS_REGION: "us-east-1a" }, setting: "AWS_REGION", prop: "region", rule: "not a well-formed AWS region name" },
  "region cn-north-1 (aws-cn)": { env: { AWS_REGION: "cn-north-1" }, setting: "AWS_REGION", prop: "region", rule: "outside the aws partition" },
  "region cn-northwest-1 (aws-cn)": { env: { AWS_REGION: "cn-northwest-1" }, setting: "AWS_REGION", prop: "region", rule: "outside the aws partition" },
  "region us-gov-west-1 (aws-us-gov)": { env: { AWS_REGION: "us-gov-west-1" }, setting: "AWS_REGION", prop: "region", rule: "outside the aws partition" },
  "region us-iso-east-1 (aws-iso)": { env: { AWS_REGION: "us-iso-east-1" }, setting: "AWS_REGION", prop: "region", rule: "outside the aws partition" },
  "region us-isob-east-1 (aws-iso-b)": { env: { AWS_REGION: "us-isob-east-1" }, setting: "AWS_REGION", prop: "region", rule: "outside the aws partition" },
  "region prop empty": { props: { region: "" }, setting: "AWS_REGION", prop: "region", rule: "a region is required" },

  // --- Encryption and KMS ---
  "encryption FOO": { env: { MIXPANEL_ENCRYPTION: "FOO" }, setting: "MIXPANEL_ENCRYPTION", prop: "encryption", rule: "one of NONE, AES, KMS" },
  "encryption SSE-S3 (AWS's word, not Mixpanel's)": { env: { MIXPANEL_ENCRYPTION: "SSE-S3" }, setting: "MIXPANEL_ENCRYPTION", prop: "encryption", rule: "one of NONE, AES, KMS" },
  "encryption prop in lower case": { props: { encryption: "kms" as never }, setting: "MIXPANEL_ENCRYPTION", prop: "encryption", rule: "one of NONE, AES, KMS" },
  "key ARN with AES": { env: { MIXPANEL_ENCRYPTION: "AES", MIXPANEL_KMS_KEY_ARN: CUSTOMER_KEY_ARN }, setting: "MIXPANEL_KMS_KEY_ARN", prop: "kmsKeyArn", rule: "applies only with encryption KMS (encryption is AES)" },
  "create key without KMS": { env: { MIXPANEL_CREATE_KMS_KEY: "true" }, setting: "MIXPANEL_CREATE_KMS_KEY", prop: "createKmsKey", rule: "creating a KMS key applies only with encryption KMS" },
  "key ARN and create key": { env: { MIXPANEL_ENCRYPTION: "KMS", MIXPANEL_KMS_KEY_ARN: CUSTOMER_KEY_ARN, MIXPANEL_CREATE_KMS_KEY: "true" }, setting: "MIXPANEL_CREATE_KMS_KEY", prop: "createKmsKey", rule: "not both" },
  "alias ARN for key": { env: { MIXPANEL_ENCRYPTION: "KMS", MIXPANEL_KMS_KEY_ARN: "arn:aws:kms:us-east-1:111122223333:alias/mixpanel" }, setting: "MIXPANEL_KMS_KEY_ARN", prop: "kmsKeyArn", rule: "not an alias" },
  "alias name for key": { env: { MIXPANEL_ENCRYPTION: "KMS", MIXPANEL_KMS_KEY_ARN: "alias/mixpanel" }, setting: "MIXPANEL_KMS_KEY_ARN", prop: "kmsKeyArn", rule: "not an alias" },
  "bare key ID for key": { env: { MIXPANEL_ENCRYPTION: "KMS", MIXPANEL_KMS_KEY_ARN: KEY_ID }, setting: "MIXPANEL_KMS_KEY_ARN", prop: "kmsKeyArn", rule: "not a bare key ID" },
  "key ARN of another partition": { env: { MIXPANEL_ENCRYPTION: "KMS", MIXPANEL_KMS_KEY_ARN: `arn:aws-cn:kms:cn-north-1:111122223333:key/${KEY_ID}` }, setting: "MIXPANEL_KMS_KEY_ARN", prop: "kmsKeyArn", rule: "not another kind of ARN" },
  "key ARN with an 11-digit account": { env: { MIXPANEL_ENCRYPTION: "KMS", MIXPANEL_KMS_KEY_ARN: `arn:aws:kms:us-east-1:11112222333:key/${KEY_ID}` }, setting: "MIXPANEL_KMS_KEY_ARN", prop: "kmsKeyArn", rule: "must be a key ARN" },
  "key in another region than the bucket": { env: { MIXPANEL_ENCRYPTION: "KMS", MIXPANEL_KMS_KEY_ARN: keyArn("eu-west-1") }, setting: "MIXPANEL_KMS_KEY_ARN", prop: "kmsKeyArn", rule: "the key is in eu-west-1 but the bucket is in us-east-1" },

  // --- Roles ---
  "role name of 65 characters": { env: { MIXPANEL_ROLE_NAME: repeat("role", 65) }, setting: "MIXPANEL_ROLE_NAME", prop: "roleName", rule: "role names are 1-64 characters" },
  "role name with a space": { env: { MIXPANEL_ROLE_NAME: "mixpanel export" }, setting: "MIXPANEL_ROLE_NAME", prop: "roleName", rule: "role names are 1-64 characters of letters, digits" },
  "role path without slashes": { env: { MIXPANEL_ROLE_PATH: "vendors" }, setting: "MIXPANEL_ROLE_PATH", prop: "rolePath", rule: "a role path is / or starts and ends with /" },
  "role path without trailing slash": { env: { MIXPANEL_ROLE_PATH: "/vendors" }, setting: "MIXPANEL_ROLE_PATH", prop: "rolePath", rule: "a role path is / or starts and ends with /" },
  "role path of 513 characters": { env: { MIXPANEL_ROLE_PATH: `/${repeat("a", 511)}/` }, setting: "MIXPANEL_ROLE_PATH", prop: "rolePath", rule: "at most 512" },
  "permissions boundary that is a role ARN": { env: { MIXPANEL_PERMISSIONS_BOUNDARY_ARN: "arn:aws:iam::111122223333:role/boundary" }, setting: "MIXPANEL_PERMISSIONS_BOUNDARY_ARN", prop: "permissionsBoundaryArn", rule: "an IAM policy ARN" },
  "permissions boundary that is a name": { env: { MIXPANEL_PERMISSIONS_BOUNDARY_ARN: "vendor-boundary" }, setting: "MIXPANEL_PERMISSIONS_BOUNDARY_ARN", prop: "permissionsBoundaryArn", rule: "an IAM policy ARN" },
  "session of 3599 seconds": { env: { MIXPANEL_MAX_SESSION_DURATION: "3599" }, setting: "MIXPANEL_MAX_SESSION_DURATION", prop: "maxSessionDuration", rule: "from 3600 to 43200" },
  "session of 43201 seconds": { env: { MIXPANEL_MAX_SESSION_DURATION: "43201" }, setting: "MIXPANEL_MAX_SESSION_DURATION", prop: "maxSessionDuration", rule: "from 3600 to 43200" },
  "session written 1h": { env: { MIXPANEL_MAX_SESSION_DURATION: "1h" }, setting: "MIXPANEL_MAX_SESSION_DURATION", prop: "maxSessionDuration", rule: "must be a whole number" },
  "session prop not whole": { props: { maxSessionDuration: 3600.5 }, setting: "MIXPANEL_MAX_SESSION_DURATION", prop: "maxSessionDuration", rule: "whole number of seconds" },
  "name prefix with a dot": { env: { MIXPANEL_NAME_PREFIX: "analytics." }, setting: "MIXPANEL_NAME_PREFIX", prop: "namePrefix", rule: "only letters, digits, _ and -" },
  "name prefix making the role name 65 characters": { env: { MIXPANEL_NAME_PREFIX: repeat("p", 50) }, setting: "MIXPANEL_NAME_PREFIX", prop: "namePrefix", rule: "has 65 characters; IAM allows 64" },
  "name prefix making a policy name 129 characters": { env: { MIXPANEL_NAME_PREFIX: repeat("p", 102), MIXPANEL_ROLE_NAME: "mixpanel" }, setting: "MIXPANEL_NAME_PREFIX", prop: "namePrefix", rule: "has 129 characters; IAM allows 128" },
  "role name too long once the project ID is appended": { env: { MIXPANEL_PROJECT_TOKEN: `${TOKEN},${TOKEN_B}`, MIXPANEL_PROJECT_ID: "3141592,2718281", MIXPANEL_ROLE_PER_PROJECT: "true", MIXPANEL_ROLE_NAME: repeat("r", 60) }, setting: "MIXPANEL_ROLE_NAME", prop: "roleName", rule: "has 68 characters; IAM allows 64" },
  "per-project role named after a token with a colon": { env: { MIXPANEL_PROJECT_TOKEN: "team:one,team:two", MIXPANEL_ROLE_PER_PROJECT: "true" }, setting: "MIXPANEL_PROJECT_TOKEN", prop: "projects[].token", rule: "characters IAM does not allow in a role name" },
  "prefix scoping without per-project roles": { env: { MIXPANEL_PROJECT_ID: "3141592", MIXPANEL_SCOPE_TO_PROJECT_PREFIX: "true" }, setting: "MIXPANEL_SCOPE_TO_PROJECT_PREFIX", prop: "scopeToProjectPrefix", rule: "needs one role per project" },
  "prefix scoping without project IDs": { env: { MIXPANEL_PROJECT_TOKEN: `${TOKEN},${TOKEN_B}`, MIXPANEL_ROLE_PER_PROJECT: "true", MIXPANEL_SCOPE_TO_PROJECT_PREFIX: "true" }, setting: "MIXPANEL_SCOPE_TO_PROJECT_PREFIX", prop: "scopeToProjectPrefix", rule: "needs the project ID of every project" },

  // --- Tags ---
  "tags that are not JSON": { env: { MIXPANEL_TAGS: "team=data" }, setting: "MIXPANEL_TAGS", prop: "tags", rule: "must be a JSON object" },
  "tags that are a JSON array": { env: { MIXPANEL_TAGS: '["team","data"]' }, setting: "MIXPANEL_TAGS", prop: "tags", rule: "must be a JSON object" },
  "51 tags": { env: { MIXPANEL_TAGS: tagsJson(51) }, setting: "MIXPANEL_TAGS", prop: "tags", rule: "at most 50 tags" },
  "tag key of 129 characters": { env: { MIXPANEL_TAGS: JSON.stringify({ [repeat("k", 129)]: "v" }) }, setting: "MIXPANEL_TAGS", prop: "tags", rule: "a tag key is 1-128 characters" },
  "empty tag key": { env: { MIXPANEL_TAGS: '{"":"v"}' }, setting: "MIXPANEL_TAGS", prop: "tags", rule: "a tag key is 1-128 characters" },
  "tag key with the aws: prefix": { env: { MIXPANEL_TAGS: '{"aws:team":"data"}' }, setting: "MIXPANEL_TAGS", prop: "tags", rule: "reserved for AWS" },
  "tag key with the AWS: prefix": { props: { tags: { "AWS:team": "data" } }, setting: "MIXPANEL_TAGS", prop: "tags", rule: "reserved for AWS" },
  "tag value of 257 characters": { env: { MIXPANEL_TAGS: JSON.stringify({ team: repeat("v", 257) }) }, setting: "MIXPANEL_TAGS", prop: "tags", rule: "at most 256 characters (this one has 257)" },
  "tag value that is a number": { env: { MIXPANEL_TAGS: '{"cost-center":42}' }, setting: "MIXPANEL_TAGS", prop: "tags", rule: "tag values are strings" },
  "tag key with an asterisk": { env: { MIXPANEL_TAGS: '{"team*":"data"}' }, setting: "MIXPANEL_TAGS", prop: "tags", rule: "tag keys may contain letters" },

  // --- Booleans: true/false only ---
  "create bucket yes": { env: { MIXPANEL_CREATE_BUCKET: "yes" }, setting: "MIXPANEL_CREATE_BUCKET", prop: "createBucket", rule: "must be true or false" },
  "versioning TRUE": { env: { MIXPANEL_VERSIONING: "TRUE" }, setting: "MIXPANEL_VERSIONING", prop: "versioning", rule: "must be true or false" },
  "role per project 1": { env: { MIXPANEL_ROLE_PER_PROJECT: "1" }, setting: "MIXPANEL_ROLE_PER_PROJECT", prop: "rolePerProject", rule: "must be true or false" },
  "tls only as text in props": { props: { tlsOnly: "false" as never }, setting: "MIXPANEL_TLS_ONLY", prop: "tlsOnly", rule: "must be true or false" },

  // --- Storage over time and the existing bucket ---
  "transition to STANDARD_IA after 10 days": { env: { MIXPANEL_PROJECT_ID: "3141592", MIXPANEL_EVENTS_TRANSITION_DAYS: "10" }, setting: "MIXPANEL_EVENTS_TRANSITION_DAYS", prop: "eventsTransitionDays", rule: "only after at least 30 days" },
  "expiry before transition": { env: { MIXPANEL_PROJECT_ID: "3141592", MIXPANEL_EVENTS_TRANSITION_DAYS: "90", MIXPANEL_EVENTS_EXPIRATION_DAYS: "60" }, setting: "MIXPANEL_EVENTS_EXPIRATION_DAYS", prop: "eventsExpirationDays", rule: "must expire after they move" },
  "event expiry without project IDs": { env: { MIXPANEL_EVENTS_EXPIRATION_DAYS: "730" }, setting: "MIXPANEL_EVENTS_EXPIRATION_DAYS", prop: "eventsExpirationDays", rule: "every project ID is needed" },
  "unknown storage class": { env: { MIXPANEL_PROJECT_ID: "3141592", MIXPANEL_EVENTS_TRANSITION_DAYS: "90", MIXPANEL_EVENTS_STORAGE_CLASS: "GLACIER_DEEP" }, setting: "MIXPANEL_EVENTS_STORAGE_CLASS", prop: "eventsStorageClass", rule: "the storage class is one of" },
  "negative days for incomplete uploads": { env: { MIXPANEL_ABORT_INCOMPLETE_UPLOADS_DAYS: "-1" }, setting: "MIXPANEL_ABORT_INCOMPLETE_UPLOADS_DAYS", prop: "abortIncompleteUploadsDays", rule: "must be a whole number" },
  "access logs into the bucket itself": { env: { MIXPANEL_ACCESS_LOG_BUCKET: "example-mixpanel-export" }, setting: "MIXPANEL_ACCESS_LOG_BUCKET", prop: "accessLogBucket", rule: "must not log into itself" },
  "access log bucket with upper case": { env: { MIXPANEL_ACCESS_LOG_BUCKET: "Logs" }, setting: "MIXPANEL_ACCESS_LOG_BUCKET", prop: "accessLogBucket", rule: "only lowercase letters" },
  "unknown way to manage an existing bucket": { env: { MIXPANEL_CREATE_BUCKET: "false", MIXPANEL_MANAGE_EXISTING_BUCKET: "some" }, setting: "MIXPANEL_MANAGE_EXISTING_BUCKET", prop: "manageExistingBucket", rule: "one of none, encryption, all" },
  "Glue database with upper case": { env: { MIXPANEL_GLUE_DATABASE: "Mixpanel_Exports" }, setting: "MIXPANEL_GLUE_DATABASE", prop: "glueDatabase", rule: "Glue keeps database names in lower case" },
  "Glue database of 256 characters": { env: { MIXPANEL_GLUE_DATABASE: repeat("a", 256) }, setting: "MIXPANEL_GLUE_DATABASE", prop: "glueDatabase", rule: "1-255 characters long (this one has 256)" },
  "Glue database with a wildcard": { env: { MIXPANEL_GLUE_DATABASE: "mixpanel_*" }, setting: "MIXPANEL_GLUE_DATABASE", prop: "glueDatabase", rule: "without * ? or /" },
  "Glue database with a slash": { env: { MIXPANEL_GLUE_DATABASE: "mixpanel/exports" }, setting: "MIXPANEL_GLUE_DATABASE", prop: "glueDatabase", rule: "without * ? or /" },
  "Glue database on two lines": { props: { glueDatabase: "mixpanel\nexports" }, setting: "MIXPANEL_GLUE_DATABASE", prop: "glueDatabase", rule: "one line" },
  "existing Glue database without a name": { env: { MIXPANEL_CREATE_GLUE_DATABASE: "false" }, setting: "MIXPANEL_CREATE_GLUE_DATABASE", prop: "createGlueDatabase", rule: "applies only to the Glue catalog part" },
  "Glue scope without a database": { env: { MIXPANEL_GLUE_SCOPE_TO_DATABASE: "false" }, setting: "MIXPANEL_GLUE_SCOPE_TO_DATABASE", prop: "glueScopeToDatabase", rule: "applies only to the Glue catalog part" },
  "Redshift role without the Glue catalog": { env: { MIXPANEL_REDSHIFT_ROLE: "true" }, setting: "MIXPANEL_REDSHIFT_ROLE", prop: "redshiftRole", rule: "the Redshift role reads the tables" },
  "Redshift role as text in props": { props: { glueDatabase: "mixpanel_exports", redshiftRole: "yes" as unknown as boolean }, setting: "MIXPANEL_REDSHIFT_ROLE", prop: "redshiftRole", rule: "must be true or false" },
  "name prefix too long for the Redshift role": {
    env: { MIXPANEL_NAME_PREFIX: repeat("p", 48), MIXPANEL_GLUE_DATABASE: "mixpanel_exports", MIXPANEL_REDSHIFT_ROLE: "true" },
    setting: "MIXPANEL_NAME_PREFIX", prop: "namePrefix", rule: `the derived role name "${repeat("p", 48)}mixpanel-redshift" has 65 characters`,
  },
  // --- Adoption ---
  "adopting something that cannot be adopted": { env: { MIXPANEL_ADOPT: "bucket,policy" }, setting: "MIXPANEL_ADOPT", prop: "adopt", rule: "each item is one of bucket, role" },
  "adopting the bucket while not creating it": { env: { MIXPANEL_ADOPT: "bucket", MIXPANEL_CREATE_BUCKET: "false" }, setting: "MIXPANEL_ADOPT", prop: "adopt", rule: "createBucket false only refers to it by name" },
  "adopting the role without its name": { env: { MIXPANEL_ADOPT: "role" }, setting: "MIXPANEL_ADOPT", prop: "adopt", rule: "adopting the role needs its name" },
  "adopting the role with per-project roles": { env: { MIXPANEL_ADOPT: "role", MIXPANEL_ROLE_NAME: "mixpanel", MIXPANEL_ROLE_PER_PROJECT: "true", MIXPANEL_PROJECT_TOKEN: `${TOKEN},${TOKEN_B}` }, setting: "MIXPANEL_ADOPT", prop: "adopt", rule: "adopting per-project roles needs the name of every project's role" },
  "adopt prop that is not a list": { props: { adopt: "bucket" as never }, setting: "MIXPANEL_ADOPT", prop: "adopt", rule: "each item is one of bucket, role" },
};

describe("bad inputs fail, each naming its setting, prop and rule", () => {
  test.each(Object.entries(BAD))("%s", (_name, bad) => {
    expect(bad.env === undefined).not.toBe(bad.props === undefined);
    const problems = bad.env ? fromEnv(bad.env) : validateProps({ ...baseProps(), ...bad.props } as MixpanelS3ExportProps);
    const errors = errorsOf(problems);
    expect(errors.length).toBeGreaterThan(0);
    const lines = errors.map((problem) => formatProblem(problem, "settings"));
    const named = `${bad.setting} (cdktf.json context key ${bad.setting}; prop ${bad.prop})`;
    // One error line names the setting (env var and prop), the value (after " = ") and the rule, then the fix.
    const line = lines.find((text) => text.startsWith(`${named} = `) && text.includes(bad.rule));
    if (line === undefined) throw new Error(`no error names ${named} with rule "${bad.rule}"; got:\n${lines.join("\n")}`);
    expect(line).toMatch(/\. Fix: \S/);
    // ... and the error that main.ts prints carries it.
    expect(new MixpanelSettingsError(errors, "settings").message).toContain(line);
  });

  test(`at least 45 bad inputs (${Object.keys(BAD).length})`, () => {
    expect(Object.keys(BAD).length).toBeGreaterThanOrEqual(45);
  });
});

interface EdgeCase {
  readonly env?: Record<string, string>;
  readonly props?: Partial<MixpanelS3ExportProps>;
  /** A warning this input must give (prop and part of its rule); otherwise it must give no warning either. */
  readonly warns?: { readonly prop: string; readonly rule: string };
}

const EDGE: Record<string, EdgeCase> = {
  "bucket of 63 characters": { env: { MIXPANEL_BUCKET: repeat("abc-", 62) + "z" } },
  "adopting the bucket and the role": { env: { MIXPANEL_ADOPT: "bucket, role", MIXPANEL_ROLE_NAME: "mixpanel-export-handmade", MIXPANEL_ROLE_PATH: "/vendors/" } },
  "bucket of 3 characters": { env: { MIXPANEL_BUCKET: "abc" } },
  "bucket of digits only": { env: { MIXPANEL_BUCKET: "123" } },
  "bucket a.b-c (valid, dots warned)": { env: { MIXPANEL_BUCKET: "a.b-c" }, warns: { prop: "bucketName", rule: "dots in a bucket name break TLS" } },
  "bucket with a reserved word inside": { env: { MIXPANEL_BUCKET: "acme-xn--s3alias-export" } },
  "KMS key ARN with an mrk- ID": { env: { MIXPANEL_ENCRYPTION: "KMS", MIXPANEL_KMS_KEY_ARN: keyArn("us-east-1", "mrk-1234abcd12ab34cd56ef1234567890ab") } },
  "KMS key ARN in the bucket's region": { env: { AWS_REGION: "eu-west-1", MIXPANEL_ENCRYPTION: "KMS", MIXPANEL_KMS_KEY_ARN: keyArn("eu-west-1") } },
  "encryption in lower case": { env: { MIXPANEL_ENCRYPTION: "kms", MIXPANEL_CREATE_KMS_KEY: "true" } },
  "encryption AES": { env: { MIXPANEL_ENCRYPTION: "aes" } },
  "session of 3600 seconds": { env: { MIXPANEL_MAX_SESSION_DURATION: "3600" } },
  "session of 43200 seconds": { env: { MIXPANEL_MAX_SESSION_DURATION: "43200" } },
  "50 tags": { env: { MIXPANEL_TAGS: tagsJson(50) } },
  "tag key of 128 characters and value of 256": { env: { MIXPANEL_TAGS: JSON.stringify({ [repeat("k", 128)]: repeat("v", 256) }) } },
  "tags with every allowed character": { env: { MIXPANEL_TAGS: JSON.stringify({ "team name_1.x:y/z=+-@": "Données analytiques 2026" }) } },
  "empty tag value": { props: { tags: { team: "" } } },
  "role path /a/b/": { env: { MIXPANEL_ROLE_PATH: "/a/b/" } },
  "role path of 512 characters": { env: { MIXPANEL_ROLE_PATH: `/${repeat("a", 510)}/` } },
  "role name of 64 characters": { env: { MIXPANEL_ROLE_NAME: repeat("r", 64) } },
  "role name with every allowed character": { env: { MIXPANEL_ROLE_NAME: "Mixpanel_export+=,.@-1" } },
  "name prefix leaving a 64-character role name": { env: { MIXPANEL_NAME_PREFIX: repeat("p", 49) } },
  "name prefix leaving a 128-character policy name": { env: { MIXPANEL_NAME_PREFIX: repeat("p", 101), MIXPANEL_ROLE_NAME: "mixpanel" } },
  "permissions boundary with a path": { env: { MIXPANEL_PERMISSIONS_BOUNDARY_ARN: "arn:aws:iam::111122223333:policy/boundaries/vendor-boundary" } },
  "AWS managed policy as boundary": { env: { MIXPANEL_PERMISSIONS_BOUNDARY_ARN: "arn:aws:iam::aws:policy/PowerUserAccess" } },
  "token of 2 characters (warned: not a Mixpanel token)": { env: { MIXPANEL_PROJECT_TOKEN: "ab" }, warns: { prop: "projects[].token", rule: "32 hexadecimal characters" } },
  "token of 1224 characters (warned)": { env: { MIXPANEL_PROJECT_TOKEN: repeat("0123456789abcdef", 1224) }, warns: { prop: "projects[].token", rule: "32 hexadecimal characters" } },
  "three projects with IDs, per-project roles scoped to prefixes": {
    env: { MIXPANEL_PROJECT_TOKEN: `${TOKEN}, ${TOKEN_B} ,${TOKEN_C}`, MIXPANEL_PROJECT_ID: "1,2718281,3141592", MIXPANEL_ROLE_PER_PROJECT: "true", MIXPANEL_SCOPE_TO_PROJECT_PREFIX: "true" },
  },
  "per-project roles with one project (warned)": { env: { MIXPANEL_ROLE_PER_PROJECT: "true" }, warns: { prop: "rolePerProject", rule: "single project" } },
  "region Mixpanel does not list (warned)": { env: { AWS_REGION: "il-central-1" }, warns: { prop: "region", rule: "Mixpanel does not list this region" } },
  "event lifecycle at the limits": { env: { MIXPANEL_PROJECT_ID: "3141592", MIXPANEL_EVENTS_TRANSITION_DAYS: "30", MIXPANEL_EVENTS_EXPIRATION_DAYS: "31", MIXPANEL_ABORT_INCOMPLETE_UPLOADS_DAYS: "0" } },
  "transition to GLACIER_IR after 1 day": { env: { MIXPANEL_PROJECT_ID: "3141592", MIXPANEL_EVENTS_TRANSITION_DAYS: "1", MIXPANEL_EVENTS_STORAGE_CLASS: "glacier_ir" } },
  "booleans written true and false": { env: { MIXPANEL_VERSIONING: "true", MIXPANEL_TLS_ONLY: "false", MIXPANEL_PREVENT_DESTROY: "false" } },
  "existing bucket with managed encryption": { env: { MIXPANEL_CREATE_BUCKET: "false", MIXPANEL_MANAGE_EXISTING_BUCKET: "Encryption", MIXPANEL_ENCRYPTION: "AES" } },
  "Glue database of 255 characters": { env: { MIXPANEL_GLUE_DATABASE: repeat("a", 255) } },
  "Glue database with a hyphen (warned: Athena)": { env: { MIXPANEL_GLUE_DATABASE: "mixpanel-exports" }, warns: { prop: "glueDatabase", rule: "Athena accepts only lower case letters" } },
  "Glue with every option": {
    env: { MIXPANEL_GLUE_DATABASE: "mixpanel_exports", MIXPANEL_CREATE_GLUE_DATABASE: "false", MIXPANEL_GLUE_SCOPE_TO_DATABASE: "false", MIXPANEL_REDSHIFT_ROLE: "true" },
  },
  "name prefix leaving a 64-character Redshift role name": {
    env: { MIXPANEL_NAME_PREFIX: repeat("p", 47), MIXPANEL_GLUE_DATABASE: "mixpanel_exports", MIXPANEL_REDSHIFT_ROLE: "true" },
  },
};

describe("edge inputs that are valid pass", () => {
  test.each(Object.entries(EDGE))("%s", (_name, edge) => {
    const problems = edge.env ? fromEnv(edge.env) : validateProps({ ...baseProps(), ...edge.props } as MixpanelS3ExportProps);
    expect(errorsOf(problems).map((problem) => formatProblem(problem, "settings"))).toEqual([]);
    const warnings = warningsOf(problems);
    if (edge.warns) {
      const { prop, rule } = edge.warns;
      expect(warnings.some((w) => w.prop === prop && w.rule.includes(rule) && formatProblem(w, "settings").startsWith(describeSetting(prop)))).toBe(true);
    } else {
      expect(warnings.map((problem) => formatProblem(problem, "settings"))).toEqual([]);
    }
  });

  test.each(AWS_PARTITION_REGIONS)("Mixpanel's supported region %s", (region) => {
    expect(fromEnv({ AWS_REGION: region })).toEqual([]);
    expect(validateProps(baseProps({ region, encryption: "KMS", kmsKeyArn: keyArn(region) }))).toEqual([]);
  });

  test(`at least 18 edge inputs (${Object.keys(EDGE).length} + ${AWS_PARTITION_REGIONS.length} regions)`, () => {
    expect(Object.keys(EDGE).length).toBeGreaterThanOrEqual(18);
    expect(AWS_PARTITION_REGIONS).toHaveLength(18);
  });
});

describe("every problem at once", () => {
  const threeProblems = { MIXPANEL_BUCKET: "ab", MIXPANEL_ENCRYPTION: "FOO", MIXPANEL_MAX_SESSION_DURATION: "60" };

  test("one input with three problems reports all three in one MixpanelSettingsError", () => {
    const errors = errorsOf(fromEnv(threeProblems));
    expect(errors.map((e) => e.prop)).toEqual(["bucketName", "encryption", "maxSessionDuration"]);
    const message = new MixpanelSettingsError(errors, "settings").message;
    expect(message).toMatch(/^mixpanel-s3-export: 3 invalid settings; nothing was synthesized\./);
    expect(message).toContain('1. MIXPANEL_BUCKET (cdktf.json context key MIXPANEL_BUCKET; prop bucketName) = "ab": bucket names are 3-63 characters long');
    expect(message).toContain('2. MIXPANEL_ENCRYPTION (cdktf.json context key MIXPANEL_ENCRYPTION; prop encryption) = "FOO": encryption is one of NONE, AES, KMS');
    expect(message).toContain("3. MIXPANEL_MAX_SESSION_DURATION (cdktf.json context key MIXPANEL_MAX_SESSION_DURATION; prop maxSessionDuration) = 60: the maximum session duration is a whole number of seconds from 3600 to 43200");
  });

  test("constructing MixpanelS3Export with those props throws that error, listing all three in the props' words, once", () => {
    const stack = new TerraformStack(Testing.app(), "three-problems");
    const props = baseProps({ bucketName: "ab", encryption: "FOO" as never, maxSessionDuration: 60 });
    let thrown: unknown;
    try {
      new MixpanelS3Export(stack, "mixpanel", props);
    } catch (caught) {
      thrown = caught;
    }
    expect(thrown).toBeInstanceOf(MixpanelSettingsError);
    const error = thrown as MixpanelSettingsError;
    expect(error.problems.map((p) => p.prop)).toEqual(["bucketName", "encryption", "maxSessionDuration"]);
    expect(error.message).toBe([
      "mixpanel-s3-export: 3 invalid props; nothing was synthesized.",
      '  1. bucketName = "ab": bucket names are 3-63 characters long (this one has 2). Fix: use 3-63 lowercase letters, digits and hyphens, e.g. acme-mixpanel-export',
      '  2. encryption = "FOO": encryption is one of NONE, AES, KMS (Mixpanel\'s dropdown). Fix: ' + error.problems[1].fix,
      "  3. maxSessionDuration = 60: " + `${error.problems[2].rule}. Fix: ${error.problems[2].fix}`,
    ].join("\n"));
    expect(error.message).toBe(new MixpanelSettingsError(errorsOf(fromEnv(threeProblems))).message);
    // Node's report of an uncaught error lists an error's enumerable properties: the problems are not among them.
    expect(Object.keys(error)).not.toContain("problems");
  });

  test("a bad bucket name does not hide a name prefix that is too long", () => {
    const errors = errorsOf(fromEnv({ MIXPANEL_BUCKET: "Bad", MIXPANEL_NAME_PREFIX: repeat("p", 60) }));
    expect(errors.map((e) => e.prop)).toEqual(expect.arrayContaining(["bucketName", "namePrefix"]));
  });

  test("a setting that cannot be read is reported once, not again by the construct's rules", () => {
    const errors = errorsOf(loadSettings({ env: {}, context: { ...CONTEXT, MIXPANEL_BUCKET: 42 } }).problems);
    expect(errors.map((problem) => formatProblem(problem, "settings"))).toEqual([
      'MIXPANEL_BUCKET (cdktf.json context key MIXPANEL_BUCKET; prop bucketName) = 42: must be text. Fix: write it as a string, e.g. "acme-mixpanel-export"',
    ]);
  });
});

describe("warnings", () => {
  test("an unknown MIXPANEL_* variable warns (a likely typo), naming the nearest setting, and does not fail", () => {
    const problems = fromEnv({ MIXPANEL_BUKET: "acme" });
    expect(errorsOf(problems)).toEqual([]);
    const lines = warningsOf(problems).map((problem) => formatProblem(problem, "settings"));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('MIXPANEL_BUKET (no such setting) = "acme": is not a setting of mixpanel-s3-export');
    expect(lines[0]).toContain("did you mean MIXPANEL_BUCKET?");
  });

  test("an unknown MIXPANEL_* context key warns too, once even when also in the environment", () => {
    const problems = loadSettings({ env: { MIXPANEL_ENCRYPTON: "KMS" }, context: { ...CONTEXT, MIXPANEL_ENCRYPTON: "KMS" } }).problems;
    expect(warningsOf(problems).map((w) => w.prop)).toEqual(["MIXPANEL_ENCRYPTON"]);
  });

  test("settings that are ignored warn", () => {
    const problems = fromEnv({ MIXPANEL_EVENTS_STORAGE_CLASS: "GLACIER", MIXPANEL_NONCURRENT_VERSION_EXPIRATION_DAYS: "90", MIXPANEL_ACCESS_LOG_PREFIX: "logs/" });
    expect(errorsOf(problems)).toEqual([]);
    expect(warningsOf(problems).map((w) => w.prop)).toEqual(["eventsStorageClass", "noncurrentVersionExpirationDays", "accessLogPrefix"]);
  });

  test("printWarnings prints each warning once however often it is given", () => {
    const problems = fromEnv({ MIXPANEL_BUCKET: "printed.once-a" });
    const printed: string[] = [];
    printWarnings(problems, (line) => printed.push(line));
    printWarnings(problems, (line) => printed.push(line));
    printWarnings(fromEnv({ MIXPANEL_BUCKET: "printed.once-a" }), (line) => printed.push(line));
    expect(printed).toEqual([
      'mixpanel-s3-export warning: MIXPANEL_BUCKET (cdktf.json context key MIXPANEL_BUCKET; prop bucketName) = "printed.once-a": ' +
        "dots in a bucket name break TLS certificate checks for virtual-hosted-style requests. Fix: prefer hyphens unless the name is already fixed",
    ]);
  });

  test("settings print a warning once, in the settings' words; the construct annotates it once, in the prop's words, and prints nothing", () => {
    const warn = jest.spyOn(console, "warn").mockImplementation(() => undefined);
    try {
      const { props, problems } = loadSettings({ env: { MIXPANEL_BUCKET: "printed.once-b" }, context: CONTEXT });
      printWarnings(problems);
      printWarnings(problems);
      const stack = new TerraformStack(Testing.app(), "warned");
      const exported = new MixpanelS3Export(stack, "first", props);
      expect(Testing.synth(stack)).toContain("printed.once-b");
      const rule = "dots in a bucket name break TLS certificate checks for virtual-hosted-style requests. Fix: prefer hyphens unless the name is already fixed";
      expect(warn.mock.calls).toEqual([
        [`mixpanel-s3-export warning: MIXPANEL_BUCKET (cdktf.json context key MIXPANEL_BUCKET; prop bucketName) = "printed.once-b": ${rule}`],
      ]);
      expect(exported.node.metadata.map(({ type, data }) => ({ type, data }))).toEqual([
        { type: "@cdktf/warn", data: `mixpanel-s3-export: bucketName = "printed.once-b": ${rule}` },
      ]);
    } finally {
      warn.mockRestore();
    }
  });
});

describe("Terraform tokens are not checked at synth", () => {
  test("token values for every checked string, number and map prop give no problem", () => {
    const stack = new TerraformStack(Testing.app(), "tokens");
    const text = (name: string) => new TerraformVariable(stack, name, { type: "string" }).stringValue;
    const props: MixpanelS3ExportProps = {
      projects: [{ token: text("token"), projectId: text("project_id") }],
      bucketName: text("bucket"),
      region: text("region"),
      encryption: text("encryption") as never,
      kmsKeyArn: text("kms_key_arn"),
      roleName: text("role_name"),
      rolePath: text("role_path"),
      permissionsBoundaryArn: text("boundary"),
      maxSessionDuration: new TerraformVariable(stack, "session", { type: "number" }).numberValue,
      namePrefix: text("prefix"),
      tags: new TerraformVariable(stack, "tags", { type: "map(string)" }).value,
      eventsTransitionDays: new TerraformVariable(stack, "transition", { type: "number" }).numberValue,
      eventsExpirationDays: new TerraformVariable(stack, "expiration", { type: "number" }).numberValue,
      accessLogBucket: text("log_bucket"),
    };
    expect(validateProps(props)).toEqual([]);
  });

  test("token tag values and a token bucket name synthesize", () => {
    const stack = new TerraformStack(Testing.app(), "token-synth");
    const bucket = new TerraformVariable(stack, "bucket", { type: "string" }).stringValue;
    const team = new TerraformVariable(stack, "team", { type: "string" }).stringValue;
    expect(validateProps(baseProps({ bucketName: bucket, tags: { team } }))).toEqual([]);
    new MixpanelS3Export(stack, "mixpanel", baseProps({ bucketName: bucket, tags: { team } }));
    expect(Testing.synth(stack)).toContain("${var.bucket}");
  });

  test("rules that need no value still hold for a token: a key ARN and createKmsKey together", () => {
    const stack = new TerraformStack(Testing.app(), "token-combination");
    const kmsKeyArn = new TerraformVariable(stack, "kms_key_arn", { type: "string" }).stringValue;
    const errors = errorsOf(validateProps(baseProps({ encryption: "KMS", kmsKeyArn, createKmsKey: true })));
    expect(errors.map((e) => [e.prop, e.rule])).toEqual([["createKmsKey", "give either a KMS key ARN or createKmsKey, not both"]]);
  });
});

describe("a role name per project (construct only: the stack has no setting for it)", () => {
  const perProject = (projects: MixpanelS3ExportProps["projects"], overrides: Partial<MixpanelS3ExportProps> = {}) =>
    validateProps(baseProps({ projects, rolePerProject: true, ...overrides }));
  const errorLines = (problems: readonly Problem[]) => errorsOf(problems).map((problem) => formatProblem(problem, "settings"));

  test("names given for every project, even ones longer than a derived name may be, are fine", () => {
    expect(errorsOf(perProject([{ token: TOKEN, roleName: repeat("a", 64) }, { token: TOKEN_B, roleName: "mixpanel-b" }]))).toEqual([]);
  });

  test("every problem at once: the IAM role name rule on each, and a name given twice ignoring case", () => {
    expect(errorLines(perProject([{ token: TOKEN, roleName: "mixpanel export" }, { token: TOKEN_B, roleName: "Mixpanel-B" }, { token: TOKEN_C, roleName: "mixpanel-b" }]))).toEqual([
      'prop projects[].roleName = "mixpanel export": role names are 1-64 characters of letters, digits and + = , . @ - _. Fix: choose a shorter or plainer name',
      "prop projects[].roleName = \"mixpanel-b\": each project's roleName must differ from the others' (IAM role names are unique ignoring case). Fix: give each project's role its own name",
    ]);
  });

  test("only with per-project roles: with one shared role it is an error, not ignored", () => {
    expect(errorLines(validateProps(baseProps({ projects: [{ token: TOKEN, roleName: "mixpanel-a" }] })))).toEqual([
      "prop projects[].roleName = \"mixpanel-a\": a project's roleName names that project's own role, so it applies only with one role per project (rolePerProject). " +
        "Fix: set rolePerProject to true, or remove the projects' roleName and name the shared role with roleName",
    ]);
  });

  test("a name given for one project cannot clash unseen with another's derived name", () => {
    const errors = errorsOf(perProject([{ token: TOKEN, projectId: "1", roleName: "mixpanel-export-2" }, { token: TOKEN_B, projectId: "2" }]));
    expect(errors.map((e) => [e.id, e.value])).toEqual([["derivedRoleNameDuplicate", "mixpanel-export-2"]]);
  });

  test("adopting per-project roles needs every project's role name; with them, no roleName is needed", () => {
    const named = [{ token: TOKEN, roleName: "mixpanel-a" }, { token: TOKEN_B, roleName: "mixpanel-b" }];
    expect(errorsOf(perProject(named, { adopt: ["role"] }))).toEqual([]);
    expect(errorsOf(perProject([named[0], { token: TOKEN_B }], { adopt: ["role"] })).map((e) => e.id)).toEqual(["adoptRolePerProject"]);
  });
});

describe("cdktf.json's context, as the app finds it (appContext)", () => {
  const file = (text: string | undefined) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mixpanel-app-context-"));
    if (text !== undefined) fs.writeFileSync(path.join(dir, "cdktf.json"), text);
    return path.join(dir, "cdktf.json");
  };

  test("run by the cdktf CLI: the context it hands over in CDKTF_CONTEXT_JSON, not the file's", () => {
    const env = { CDKTF_CONTEXT_JSON: JSON.stringify({ MIXPANEL_BUCKET: "from-the-cli" }) };
    expect(appContext(env, file(JSON.stringify({ context: { MIXPANEL_BUCKET: "from-the-file" } })))).toEqual({ MIXPANEL_BUCKET: "from-the-cli" });
  });

  test("run by itself (npm run synth): the file's context, the one the CLI would hand over", () => {
    expect(appContext({}, path.join(__dirname, "..", "cdktf.json"))).toEqual(CONTEXT);
    expect(appContext({}, file(JSON.stringify({ app: "node main.js" })))).toEqual({});
  });

  test("a missing file gives no context; a file that is not JSON is an error naming it", () => {
    expect(appContext({}, file(undefined))).toEqual({});
    const broken = file('{ "context": { "MIXPANEL_BUCKET": "acme", } }');
    expect(() => appContext({}, broken)).toThrow(`${broken} is not valid JSON (`);
    expect(() => appContext({}, broken)).toThrow("fix it, or set the settings as environment variables");
  });
});
