import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { MixpanelS3ExportProps } from "../../src/config/props";
import { buildModule } from "../../src/module/build-module";
import { ModuleValidation, PROVIDER_REGION, hclString, inModuleTerms, moduleValidations, variableName } from "../../src/module/validations";
import { moduleVariables } from "../../src/module/variables";
import { Problem } from "../../src/rules/problems";
import { validateProps } from "../../src/rules/rules";
import { RULES, ruleAndFix, withDetail } from "../../src/rules/texts";
import { OFFLINE_PROVIDER_SETTINGS, describeTerraform, terraform } from "../support/terraform";
import { RootPlan, planRoots } from "../support/terraform-test";

/**
 * The module's validation blocks, run by real Terraform (1.11, offline), against the synth-time rules:
 * (a) a parity table: every validation's condition, evaluated by terraform (one `terraform console` of a root whose locals hold them all) for each sample input,
 *     gives the verdict validateProps gives for the same input (that rule's error, or none);
 * (b) real `terraform plan`s of a root module calling the built module with one bad value each fail with the
 *     synth-time rule text.
 */

const T = "0123456789abcdef0123456789abcdef";
const T2 = "fedcba9876543210fedcba9876543210";
const KEY_ID = "1234abcd-12ab-34cd-56ef-1234567890ab";
const keyArn = (region: string, id = KEY_ID) => `arn:aws:kms:${region}:111122223333:key/${id}`;
const repeat = (text: string, length: number) => text.repeat(Math.ceil(length / text.length)).slice(0, length);
const manyTags = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, i) => [`key${i}`, `value${i}`]));

type Project = { token: string | null; project_id?: string | null; role_name?: string | null } | null;
type ModuleValues = Record<string, unknown>;

/** One input, in the module's terms: a variable's value, with other variables it is meant to combine with. */
interface Sample {
  readonly variable: string;
  readonly value: unknown;
  readonly context?: ModuleValues;
}

const ID = { projects: [{ token: T, project_id: "1001" }] };
const TWO_WITH_IDS = [{ token: T, project_id: "1001" }, { token: T2, project_id: "2002" }];
const KMS = { encryption: "KMS" };

const SAMPLES: Record<string, Sample> = {
  // --- bucket_name ---
  "bucket Bad_Bucket": { variable: "bucket_name", value: "Bad_Bucket" },
  "bucket of 2 characters": { variable: "bucket_name", value: "ab" },
  "bucket of 64 characters": { variable: "bucket_name", value: repeat("abc", 64) },
  "bucket starting with a hyphen": { variable: "bucket_name", value: "-acme-export" },
  "bucket ending with a dot": { variable: "bucket_name", value: "acme-export." },
  "bucket with two adjacent dots": { variable: "bucket_name", value: "acme..export" },
  "bucket shaped like an IP address": { variable: "bucket_name", value: "192.168.5.4" },
  "bucket with reserved prefix xn--": { variable: "bucket_name", value: "xn--acme" },
  "bucket with reserved prefix sthree-": { variable: "bucket_name", value: "sthree-acme" },
  "bucket with reserved prefix amzn-s3-demo-": { variable: "bucket_name", value: "amzn-s3-demo-acme" },
  "bucket with reserved suffix -s3alias": { variable: "bucket_name", value: "acme-s3alias" },
  "bucket with reserved suffix --ol-s3": { variable: "bucket_name", value: "acme--ol-s3" },
  "bucket with reserved suffix .mrap": { variable: "bucket_name", value: "acme.mrap" },
  "bucket with reserved suffix --x-s3": { variable: "bucket_name", value: "acme--x-s3" },
  "bucket with reserved suffix --table-s3": { variable: "bucket_name", value: "acme--table-s3" },
  "bucket empty": { variable: "bucket_name", value: "" },
  "bucket null": { variable: "bucket_name", value: null },
  "bucket with a newline (JavaScript's . stops at it)": { variable: "bucket_name", value: "a\nb" },
  "bucket with a carriage return": { variable: "bucket_name", value: "a\rb" },
  "bucket with a line separator U+2028": { variable: "bucket_name", value: "a\u2028b" },
  "bucket ÄÄ": { variable: "bucket_name", value: "ÄÄ" },
  "good: bucket of 63 characters": { variable: "bucket_name", value: repeat("abc-", 62) + "z" },
  "good: bucket abc": { variable: "bucket_name", value: "abc" },
  "good: bucket a.b-c": { variable: "bucket_name", value: "a.b-c" },
  "good: bucket with a reserved word inside": { variable: "bucket_name", value: "acme-xn--s3alias-export" },
  "good: bucket 123": { variable: "bucket_name", value: "123" },

  // --- projects ---
  "no projects": { variable: "projects", value: [] },
  "projects null": { variable: "projects", value: null },
  "a null project": { variable: "projects", value: [null, { token: T }] },
  "a project with a null token": { variable: "projects", value: [{ token: null }] },
  "token of one character": { variable: "projects", value: [{ token: "a" }] },
  "token with a space": { variable: "projects", value: [{ token: "0123 4567" }] },
  "token of 1225 characters": { variable: "projects", value: [{ token: repeat("0123456789abcdef", 1225) }] },
  "token listed twice": { variable: "projects", value: [{ token: T }, { token: T }] },
  "project ID 0": { variable: "projects", value: [{ token: T, project_id: "0" }] },
  "project ID not a number": { variable: "projects", value: [{ token: T, project_id: "proj-1" }] },
  "project ID for only some tokens": { variable: "projects", value: [{ token: T, project_id: "1" }, { token: T2 }] },
  "project ID empty for one token": { variable: "projects", value: [{ token: T, project_id: "1" }, { token: T2, project_id: "" }] },
  "project ID listed twice": { variable: "projects", value: [{ token: T, project_id: "12" }, { token: T2, project_id: "12" }] },
  "good: token of 1224 characters (RE2 cannot count to 1224)": { variable: "projects", value: [{ token: repeat("0123456789abcdef", 1224) }] },
  "good: token of 2 characters": { variable: "projects", value: [{ token: "ab" }] },
  "good: tokens with every allowed character": { variable: "projects", value: [{ token: "team:one/a_b+c=d,e.f@g-h" }, { token: T }] },
  "good: two projects with IDs": { variable: "projects", value: TWO_WITH_IDS },
  "a project's role name with a space": { variable: "projects", value: [{ token: T, role_name: "mixpanel export" }, { token: T2, role_name: "mixpanel-b" }], context: { role_per_project: true } },
  "a project's role name of 65 characters": { variable: "projects", value: [{ token: T, role_name: repeat("r", 65) }, { token: T2, role_name: "mixpanel-b" }], context: { role_per_project: true } },
  "a project's role name empty": { variable: "projects", value: [{ token: T, role_name: "" }, { token: T2, role_name: "mixpanel-b" }], context: { role_per_project: true } },
  "a project's role name with one shared role": { variable: "projects", value: [{ token: T, role_name: "mixpanel-a" }] },
  "projects' role names the same ignoring case": { variable: "projects", value: [{ token: T, role_name: "mixpanel-a" }, { token: T2, role_name: "Mixpanel-A" }], context: { role_per_project: true } },
  "good: a role name for each project, with per-project roles": { variable: "projects", value: [{ token: T, role_name: "Mixpanel_export+=,.@-1" }, { token: T2, role_name: repeat("r", 64) }], context: { role_per_project: true } },
  "good: a role name for one project only, with per-project roles": { variable: "projects", value: [{ token: T, project_id: "1001", role_name: "handmade" }, { token: T2, project_id: "2002" }], context: { role_per_project: true } },

  // --- region ---
  "region without hyphens": { variable: "region", value: "useast1" },
  "region in upper case": { variable: "region", value: "US-EAST-1" },
  "availability zone for region": { variable: "region", value: "us-east-1a" },
  "region cn-north-1": { variable: "region", value: "cn-north-1" },
  "region us-gov-west-1": { variable: "region", value: "us-gov-west-1" },
  "region us-isob-east-1": { variable: "region", value: "us-isob-east-1" },
  "region cn-x (malformed: only the format rule)": { variable: "region", value: "cn-x" },
  // rules.ts requires a region; the module takes the provider's (no validation of its own to disagree).
  "good: region empty (the provider's region)": { variable: "region", value: "" },
  "good: region null (the provider's region)": { variable: "region", value: null },
  "good: region il-central-1 (warned only)": { variable: "region", value: "il-central-1" },
  "good: region eu-west-1": { variable: "region", value: "eu-west-1" },

  // --- encryption and KMS ---
  "encryption FOO": { variable: "encryption", value: "FOO" },
  "encryption SSE-S3": { variable: "encryption", value: "SSE-S3" },
  "encryption empty": { variable: "encryption", value: "" },
  "good: encryption kms (the module takes any case)": { variable: "encryption", value: "kms" },
  "good: encryption aes": { variable: "encryption", value: "aes" },
  "key ARN with AES": { variable: "kms_key_arn", value: keyArn("us-east-1"), context: { encryption: "AES" } },
  "key ARN with NONE": { variable: "kms_key_arn", value: keyArn("us-east-1") },
  "alias ARN for key": { variable: "kms_key_arn", value: "arn:aws:kms:us-east-1:111122223333:alias/mixpanel", context: KMS },
  "alias name for key": { variable: "kms_key_arn", value: "alias/mixpanel", context: KMS },
  "bare key ID for key": { variable: "kms_key_arn", value: KEY_ID, context: KMS },
  "key ARN of another partition": { variable: "kms_key_arn", value: `arn:aws-cn:kms:cn-north-1:111122223333:key/${KEY_ID}`, context: KMS },
  "key ARN with an 11-digit account": { variable: "kms_key_arn", value: `arn:aws:kms:us-east-1:11112222333:key/${KEY_ID}`, context: KMS },
  "key in another region than the bucket": { variable: "kms_key_arn", value: keyArn("eu-west-1"), context: KMS },
  "key in another region, with AES": { variable: "kms_key_arn", value: keyArn("eu-west-1"), context: { encryption: "AES" } },
  "alias with an invalid encryption (hidden by it)": { variable: "kms_key_arn", value: "alias/mixpanel", context: { encryption: "FOO" } },
  "good: key ARN empty (unset)": { variable: "kms_key_arn", value: "", context: KMS },
  "good: key ARN in the bucket's region": { variable: "kms_key_arn", value: keyArn("eu-west-1"), context: { ...KMS, region: "eu-west-1" } },
  "good: key ARN with an mrk- ID": { variable: "kms_key_arn", value: keyArn("us-east-1", "mrk-1234abcd12ab34cd56ef1234567890ab"), context: KMS },
  "key object with AES": { variable: "kms_key", value: { arn: keyArn("us-east-1") }, context: { encryption: "AES" } },
  "key object with an alias": { variable: "kms_key", value: { arn: "alias/mixpanel" }, context: KMS },
  "key object with a bare key ID": { variable: "kms_key", value: { arn: KEY_ID }, context: KMS },
  "key object of another partition": { variable: "kms_key", value: { arn: `arn:aws-cn:kms:cn-north-1:111122223333:key/${KEY_ID}` }, context: KMS },
  "key object in another region than the bucket": { variable: "kms_key", value: { arn: keyArn("eu-west-1") }, context: KMS },
  "good: key object in the bucket's region": { variable: "kms_key", value: { arn: keyArn("eu-west-1") }, context: { ...KMS, region: "eu-west-1" } },
  "good: key object in the provider's region, region unset": { variable: "kms_key", value: { arn: keyArn("us-east-1") }, context: { ...KMS, region: null } },
  "key object and create key": { variable: "create_kms_key", value: true, context: { ...KMS, kms_key: { arn: keyArn("us-east-1") } } },
  "create key without KMS": { variable: "create_kms_key", value: true },
  "create key with AES": { variable: "create_kms_key", value: true, context: { encryption: "aes" } },
  "key ARN and create key": { variable: "create_kms_key", value: true, context: { ...KMS, kms_key_arn: keyArn("us-east-1") } },
  "good: create key with kms": { variable: "create_kms_key", value: true, context: { encryption: "kms" } },

  // --- roles ---
  "role name of 65 characters": { variable: "role_name", value: repeat("role", 65) },
  "role name with a space": { variable: "role_name", value: "mixpanel export" },
  "role name empty": { variable: "role_name", value: "" },
  "good: role name of 64 characters": { variable: "role_name", value: repeat("r", 64) },
  "good: role name with every allowed character": { variable: "role_name", value: "Mixpanel_export+=,.@-1" },
  "role path without slashes": { variable: "role_path", value: "vendors" },
  "role path without trailing slash": { variable: "role_path", value: "/vendors" },
  "role path of 513 characters": { variable: "role_path", value: `/${repeat("a", 511)}/` },
  "role path with a space": { variable: "role_path", value: "/a b/" },
  "good: role path /a/b/": { variable: "role_path", value: "/a/b/" },
  "good: role path of 512 characters": { variable: "role_path", value: `/${repeat("a", 510)}/` },
  "good: role path with punctuation": { variable: "role_path", value: "/a~!{}/" },
  "permissions boundary that is a role ARN": { variable: "permissions_boundary_arn", value: "arn:aws:iam::111122223333:role/boundary" },
  "permissions boundary that is a name": { variable: "permissions_boundary_arn", value: "vendor-boundary" },
  "permissions boundary empty": { variable: "permissions_boundary_arn", value: "" },
  "good: permissions boundary with a path": { variable: "permissions_boundary_arn", value: "arn:aws:iam::111122223333:policy/boundaries/vendor-boundary" },
  "good: AWS managed policy as boundary": { variable: "permissions_boundary_arn", value: "arn:aws:iam::aws:policy/PowerUserAccess" },
  "session of 3599 seconds": { variable: "max_session_duration", value: 3599 },
  "session of 43201 seconds": { variable: "max_session_duration", value: 43201 },
  "session of 3600.5 seconds": { variable: "max_session_duration", value: 3600.5 },
  "good: session of 3600 seconds": { variable: "max_session_duration", value: 3600 },
  "good: session of 43200 seconds": { variable: "max_session_duration", value: 43200 },
  "name prefix with a dot": { variable: "name_prefix", value: "analytics." },
  "good: name prefix analytics-": { variable: "name_prefix", value: "analytics-" },
  "prefix scoping without per-project roles": { variable: "scope_to_project_prefix", value: true, context: ID },
  "prefix scoping without project IDs": { variable: "scope_to_project_prefix", value: true, context: { projects: [{ token: T }, { token: T2 }], role_per_project: true } },
  "prefix scoping with an empty project ID": { variable: "scope_to_project_prefix", value: true, context: { projects: [{ token: T, project_id: "" }], role_per_project: true } },
  "good: prefix scoping with per-project roles and IDs": { variable: "scope_to_project_prefix", value: true, context: { projects: TWO_WITH_IDS, role_per_project: true } },

  // --- tags ---
  "51 tags": { variable: "tags", value: manyTags(51) },
  "tag key of 129 characters": { variable: "tags", value: { [repeat("k", 129)]: "v" } },
  "empty tag key": { variable: "tags", value: { "": "v" } },
  "tag key with the aws: prefix": { variable: "tags", value: { "aws:team": "data" } },
  "tag key with the AWS: prefix": { variable: "tags", value: { "AWS:team": "data" } },
  "tag value of 257 characters": { variable: "tags", value: { team: repeat("v", 257) } },
  "tag key with an asterisk": { variable: "tags", value: { "team*": "data" } },
  "tag value with a comma": { variable: "tags", value: { team: "a,b" } },
  "good: tag key awſ:team (RE2's (?i) would fold ſ onto s)": { variable: "tags", value: { "awſ:team": "data" } },
  "good: 50 tags": { variable: "tags", value: manyTags(50) },
  "good: tag key of 128 characters and value of 256": { variable: "tags", value: { [repeat("k", 128)]: repeat("v", 256) } },
  "good: tags with every allowed character": { variable: "tags", value: { "team name_1.x:y/z=+-@": "Données analytiques 2026" } },
  "good: empty tag value": { variable: "tags", value: { team: "" } },

  // --- storage over time ---
  "negative days for incomplete uploads": { variable: "abort_incomplete_uploads_days", value: -1 },
  "1.5 days for incomplete uploads": { variable: "abort_incomplete_uploads_days", value: 1.5 },
  "good: 0 days for incomplete uploads": { variable: "abort_incomplete_uploads_days", value: 0 },
  "transition to STANDARD_IA after 10 days": { variable: "events_transition_days", value: 10, context: ID },
  "transition to ONEZONE_IA after 29 days": { variable: "events_transition_days", value: 29, context: { ...ID, events_storage_class: "ONEZONE_IA" } },
  "transition after 0 days": { variable: "events_transition_days", value: 0, context: { ...ID, events_storage_class: "GLACIER" } },
  "transition without project IDs": { variable: "events_transition_days", value: 90 },
  "good: transition to GLACIER_IR after 1 day": { variable: "events_transition_days", value: 1, context: { ...ID, events_storage_class: "GLACIER_IR" } },
  "good: transition to STANDARD_IA after 30 days": { variable: "events_transition_days", value: 30, context: ID },
  "expiry before transition": { variable: "events_expiration_days", value: 60, context: { ...ID, events_transition_days: 90 } },
  "expiry on the transition day": { variable: "events_expiration_days", value: 90, context: { ...ID, events_transition_days: 90 } },
  "expiry without project IDs": { variable: "events_expiration_days", value: 730 },
  "expiry after 0 days": { variable: "events_expiration_days", value: 0, context: ID },
  "expiry and transition without project IDs": { variable: "events_expiration_days", value: 730, context: { events_transition_days: 90 } },
  "good: expiry the day after the transition": { variable: "events_expiration_days", value: 31, context: { ...ID, events_transition_days: 30 } },
  "unknown storage class": { variable: "events_storage_class", value: "GLACIER_DEEP" },
  "storage class in lower case": { variable: "events_storage_class", value: "glacier_ir" },
  "good: storage class GLACIER": { variable: "events_storage_class", value: "GLACIER" },
  "noncurrent versions expiring after 0 days": { variable: "noncurrent_version_expiration_days", value: 0 },
  "good: noncurrent versions expiring after 90 days": { variable: "noncurrent_version_expiration_days", value: 90 },
  "access logs into the bucket itself": { variable: "access_log_bucket", value: "acme-mixpanel-export" },
  "access log bucket Logs": { variable: "access_log_bucket", value: "Logs" },
  "access log bucket with reserved suffix": { variable: "access_log_bucket", value: "logs--x-s3" },
  "access log bucket of 2 characters": { variable: "access_log_bucket", value: "ab" },
  "access log bucket with two adjacent dots": { variable: "access_log_bucket", value: "acme..logs" },
  "access log bucket shaped like an IP address": { variable: "access_log_bucket", value: "10.0.0.1" },
  "good: access log bucket empty (unset)": { variable: "access_log_bucket", value: "" },
  "good: access log bucket acme-logs": { variable: "access_log_bucket", value: "acme-logs" },
  "unknown way to manage an existing bucket": { variable: "manage_existing_bucket", value: "some", context: { create_bucket: false } },
  "good: manage an existing bucket's Encryption": { variable: "manage_existing_bucket", value: "Encryption", context: { create_bucket: false, encryption: "AES" } },
  // --- Redshift Spectrum and the Glue catalog ---
  "Glue database Mixpanel_Exports": { variable: "glue_database", value: "Mixpanel_Exports" },
  "Glue database of 256 characters": { variable: "glue_database", value: repeat("a", 256) },
  "Glue database of 256 upper case characters (only the length is reported)": { variable: "glue_database", value: repeat("A", 256) },
  "Glue database with a wildcard": { variable: "glue_database", value: "mixpanel_*" },
  "Glue database with a slash": { variable: "glue_database", value: "mixpanel/exports" },
  "Glue database on two lines": { variable: "glue_database", value: "mixpanel\nexports" },
  "good: Glue database mixpanel_exports": { variable: "glue_database", value: "mixpanel_exports", context: { redshift_role: true } },
  "good: Glue database of 255 characters, with a hyphen and a tab": { variable: "glue_database", value: `${repeat("a", 250)}-\tbcd` },
  "good: Glue database empty (unset)": { variable: "glue_database", value: "" },
  "existing Glue database without a name": { variable: "create_glue_database", value: false },
  "good: an existing Glue database": { variable: "create_glue_database", value: false, context: { glue_database: "mixpanel_exports" } },
  "Glue page scope without a database": { variable: "glue_scope_to_database", value: false, context: { glue_database: "" } },
  "good: Glue page scope": { variable: "glue_scope_to_database", value: false, context: { glue_database: "mixpanel_exports" } },
  "Redshift role without a Glue database": { variable: "redshift_role", value: true },
};

/**
 * Inputs where Terraform and JavaScript count characters differently: Terraform's length() counts grapheme
 * clusters, JavaScript's .length UTF-16 code units. Identical for ASCII and precomposed text; an emoji is 1
 * for Terraform and 2 for JavaScript, e acute written as e + U+0301 is 1 and 2. Each is listed with the
 * verdict of each side, so a change on either side shows up here.
 */
const KNOWN_DIFFERENCES: Record<string, Sample & { readonly id: string; readonly terraformBad: boolean; readonly javascriptBad: boolean }> = {
  "tag value of 200 emoji": { variable: "tags", value: { team: "😀".repeat(200) }, id: "tagValueLength", terraformBad: false, javascriptBad: true },
  "tag key of 100 decomposed é": { variable: "tags", value: { ["e\u0301".repeat(100)]: "v" }, id: "tagKeyLength", terraformBad: false, javascriptBad: true },
};

const VARIABLES = moduleVariables();
const PROP_OF = new Map(VARIABLES.map((v) => [v.name, v.prop]));

/** Every variable's value for a sample: the module's defaults, the smallest valid required inputs, then the sample. */
function assignment(sample: Sample): ModuleValues {
  const values: ModuleValues = Object.fromEntries(VARIABLES.map((v) => [v.name, v.default === undefined ? null : v.default]));
  return { ...values, bucket_name: "acme-mixpanel-export", region: "us-east-1", projects: [{ token: T }], ...sample.context, [sample.variable]: sample.value };
}

/** The construct props that mean what the module does with these values (null is unset; encryption and manage_existing_bucket take any case there). */
function propsOf(values: ModuleValues): MixpanelS3ExportProps {
  const props: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(values)) {
    if (value === null) continue;
    const prop = PROP_OF.get(name)!;
    if (name === "projects") {
      props.projects = (value as Project[]).map((p) => (p === null ? null : {
        ...(p.token === null ? {} : { token: p.token }),
        ...(p.project_id === undefined || p.project_id === null ? {} : { projectId: p.project_id }),
        ...(p.role_name === undefined || p.role_name === null ? {} : { roleName: p.role_name }),
      }));
    } else if (name === "kms_key") {
      // The key object's ARN is what the construct's kmsKeyArn is.
      props.kmsKeyArn = (value as { arn: string }).arn;
    } else if (name === "encryption") {
      props[prop] = (value as string).toUpperCase();
    } else if (name === "manage_existing_bucket") {
      props[prop] = (value as string).toLowerCase();
    } else {
      props[prop] = value;
    }
  }
  return props as unknown as MixpanelS3ExportProps;
}

/** A value as an HCL expression of the variable's type (a typed null where a string attribute is null). */
function hcl(value: unknown, name: string): string {
  if (value === null) return "null";
  if (typeof value === "string") return hclString(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (name === "projects") {
    const text = (field: string | null | undefined) => (field === undefined || field === null ? "tostring(null)" : hclString(field));
    const items = (value as Project[]).map((p) => (p === null ? "null" : `{ token = ${text(p.token)}, project_id = ${text(p.project_id)}, role_name = ${text(p.role_name)} }`));
    // tolist() cannot unify a null with objects; a tuple iterates the same.
    return (value as Project[]).includes(null) ? `[${items.join(", ")}]` : `tolist([${items.join(", ")}])`;
  }
  if (name === "kms_key") return `{ arn = ${hclString((value as { arn: string }).arn)} }`;
  if (name === "tags") {
    return `tomap({ ${Object.entries(value as Record<string, string>).map(([k, v]) => `${hclString(k)} = ${hclString(v)}`).join(", ")} })`;
  }
  throw new Error(`no HCL for ${name} = ${JSON.stringify(value)}`);
}

/** The sample's attribute that holds the provider's region (no variable has its name). */
const PROVIDER_REGION_ATTRIBUTE = "provider_region_given";

/**
 * A sample as an HCL object: each variable's value as an expression of its type, and the provider's region
 * (the provider is configured for the bucket's region; else us-east-1, as the construct would be).
 */
function sampleObject(values: ModuleValues): string {
  const providerRegion = typeof values.region === "string" && values.region !== "" ? values.region : "us-east-1";
  return `{ ${Object.entries(values).map(([name, value]) => `${name} = ${hcl(value, name)}`).join(", ")}, ${PROVIDER_REGION_ATTRIBUTE} = ${hclString(providerRegion)} }`;
}

/** The name each condition gives the sample it is evaluated on (no condition uses it for anything else). */
const SAMPLE = "sample_under_test";

/** The condition on the sample: each `var.x` is `sample_under_test.x`, the provider's region `sample_under_test.provider_region_given`. */
function onSample(condition: string, variables: readonly string[]): string {
  if (condition.includes(SAMPLE)) throw new Error(`a condition names ${SAMPLE}: ${condition}`);
  return condition.split(PROVIDER_REGION).join(`${SAMPLE}.${PROVIDER_REGION_ATTRIBUTE}`).replace(/\bvar\.([a-z_]+)\b/g, (_, name: string) => {
    // A missing attribute would fail inside try() and read as "ERROR": refuse it here.
    if (!variables.includes(name)) throw new Error(`no value for var.${name}`);
    return `${SAMPLE}.${name}`;
  });
}

/** Whether validateProps reports this validation's rule for the props (the same rule id, prop and variant). */
function javascriptBad(v: ModuleValidation, problems: readonly Problem[]): boolean {
  const entry = RULES[v.id];
  return problems.some((p) => p.severity === "error" && p.id === v.id && p.prop === v.prop &&
    (v.detail === undefined || (typeof entry !== "function" && p.rule === withDetail(entry.rule, v.detail))));
}

/** Both key variables give the construct's kmsKeyArn: a kmsKeyArn error is the verdict of the one that was given. */
function keyGivenHere(v: ModuleValidation, values: ModuleValues): boolean {
  if (v.variable !== "kms_key" && v.variable !== "kms_key_arn") return true;
  return values[v.variable] !== null && values[v.variable] !== "";
}

/**
 * Evaluates every condition for every sample with terraform, all at once: one root whose locals hold the
 * samples (HCL objects, a tuple) and each condition's verdicts, `[for sample_under_test in local.samples :
 * try(<condition on it>, "ERROR")]`, read by one `terraform console` (`jsonencode(local.verdicts)`: no resources, no provider,
 * each condition written once and evaluated once per sample). An expression that fails to evaluate (which
 * would fail `terraform plan` too) comes back as "ERROR". Returns each condition's verdicts, by sample.
 */
async function evaluate(conditions: readonly string[], samples: readonly ModuleValues[], dir: string): Promise<unknown[][]> {
  // The variables every sample gives a value.
  const variables = Object.keys(samples[0]).filter((name) => samples.every((values) => name in values));
  if (variables.includes(PROVIDER_REGION_ATTRIBUTE)) throw new Error(`a variable is named ${PROVIDER_REGION_ATTRIBUTE}`);
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, "main.tf"), `locals {
  samples = [
${samples.map((values) => `    ${sampleObject(values)},\n`).join("")}  ]
  verdicts = [
${conditions.map((condition) => `    [for ${SAMPLE} in local.samples : try(${onSample(condition, variables)}, "ERROR")],\n`).join("")}  ]
}
`);
  const { stdout } = await terraform(dir, ["console"], { input: "jsonencode(local.verdicts)\n" });
  // The console prints the JSON text as an HCL string literal, whose escapes (\" and \\) are JSON's.
  const verdicts = JSON.parse(JSON.parse(stdout.trim()) as string) as unknown[][];
  if (verdicts.length !== conditions.length || verdicts.some((v) => v.length !== samples.length)) {
    throw new Error(`terraform gave ${verdicts.map((v) => v.length).join("/")} verdicts for ${conditions.length} conditions x ${samples.length} samples`);
  }
  return verdicts;
}

const whitespace = (text: string) => text.replace(/\s+/g, " ");

describeTerraform("module validation blocks, run by terraform, against the synth-time rules", () => {
  const validations = moduleValidations();
  let work: string;

  beforeAll(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), "mixpanel-module-validation-"));
  });
  afterAll(() => {
    if (process.env.KEEP_TF_DIRS === "1") process.stderr.write(`terraform tier: kept ${work} (KEEP_TF_DIRS=1)\n`);
    else fs.rmSync(work, { recursive: true, force: true });
  });

  describe("(a) parity: each condition's verdict equals validateProps' for the same input", () => {
    interface Row { sample: string; key: string; terraform: unknown; javascript: boolean }
    let rows: Row[] = [];

    beforeAll(async () => {
      const samples = [...Object.entries(SAMPLES), ...Object.entries(KNOWN_DIFFERENCES)].map(([name, sample]) => ({ name, values: assignment(sample) }));
      const verdicts = await evaluate(validations.map((v) => v.condition), samples.map((sample) => sample.values), path.join(work, "parity"));
      // Every validation for every sample, not only the sample variable's: none may fire where rules.ts reports nothing.
      rows = samples.flatMap(({ name, values }, i) => {
        const problems = validateProps(propsOf(values));
        return validations.map((v, j) => ({
          sample: name,
          key: `${v.variable}/${v.id}${v.detail ? `/${v.detail}` : ""}`,
          terraform: verdicts[j][i],
          javascript: javascriptBad(v, problems) && keyGivenHere(v, values),
        }));
      });
      process.stderr.write(`module validation parity: ${Object.keys(SAMPLES).length} samples (+ ${Object.keys(KNOWN_DIFFERENCES).length} known differences) ` +
        `x ${validations.length} validations = ${rows.length} conditions, evaluated by one terraform console\n`);
    });

    test(`at least 40 samples, bad and good (${Object.keys(SAMPLES).length})`, () => {
      const good = Object.keys(SAMPLES).filter((name) => name.startsWith("good: "));
      expect(Object.keys(SAMPLES).length).toBeGreaterThanOrEqual(40);
      expect(good.length).toBeGreaterThanOrEqual(15);
      expect(Object.keys(SAMPLES).length - good.length).toBeGreaterThanOrEqual(25);
    });

    test.each(Object.keys(SAMPLES))("%s", (name) => {
      const mine = rows.filter((row) => row.sample === name);
      expect(mine).toHaveLength(validations.length);
      // Report as [validation, terraform says bad, javascript says bad] for the ones that disagree.
      const disagreements = mine
        .filter((row) => row.terraform !== !row.javascript)
        .map((row) => [row.key, row.terraform === "ERROR" ? "ERROR" : row.terraform === false, row.javascript]);
      expect(disagreements).toEqual([]);
      const failing = mine.filter((row) => row.terraform === false).map((row) => row.key);
      if (name.startsWith("good: ")) expect(failing).toEqual([]);
      else expect(failing.length).toBeGreaterThan(0);
    });

    test.each(Object.entries(KNOWN_DIFFERENCES))("known difference, character counting: %s", (name, known) => {
      const row = rows.find((r) => r.sample === name && r.key === `${known.variable}/${known.id}`)!;
      expect([row.terraform === false, row.javascript]).toEqual([known.terraformBad, known.javascriptBad]);
    });

    test("every validation fails for some sample and passes for others", () => {
      for (const v of validations) {
        const key = `${v.variable}/${v.id}${v.detail ? `/${v.detail}` : ""}`;
        const verdicts = rows.filter((row) => row.key === key && row.sample in SAMPLES).map((row) => row.terraform);
        expect([key, verdicts.includes(true)]).toEqual([key, true]);
        // The reserved prefixes and suffixes of the access log bucket share one sample; the other variants are
        // proven on bucket_name with the very same conditions.
        if (!(v.variable === "access_log_bucket" && v.detail !== undefined && v.detail !== '"--x-s3"')) {
          expect([key, verdicts.includes(false)]).toEqual([key, true]);
        }
      }
    });
  });

  describe("(b) terraform plan of a root module with a bad value fails with the synth-time message", () => {
    interface PlanCase {
      readonly inputs: ModuleValues;
      /** The variable the failing validation is on. */
      readonly variable: string;
    }
    const BASE_INPUTS: ModuleValues = { bucket_name: "acme-mixpanel-export", region: "us-east-1", projects: [{ token: T }] };
    const CASES: Record<string, PlanCase> = {
      "bucket_name Bad_Bucket": { inputs: { bucket_name: "Bad_Bucket" }, variable: "bucket_name" },
      "region cn-north-1": { inputs: { region: "cn-north-1" }, variable: "region" },
      "an alias ARN as kms_key_arn": { inputs: { encryption: "KMS", kms_key_arn: "arn:aws:kms:us-east-1:111122223333:alias/mixpanel" }, variable: "kms_key_arn" },
      "a key in another region": { inputs: { encryption: "KMS", kms_key_arn: keyArn("eu-west-1") }, variable: "kms_key_arn" },
      "prefix scoping without per-project roles": { inputs: { projects: [{ token: T, project_id: "1001" }], scope_to_project_prefix: true }, variable: "scope_to_project_prefix" },
      "a Glue database with upper case": { inputs: { glue_database: "Mixpanel_Exports" }, variable: "glue_database" },
      "a Redshift role without a Glue database": { inputs: { redshift_role: true }, variable: "redshift_role" },
    };
    let outcomes: Map<string, RootPlan>;

    beforeAll(async () => {
      const moduleDir = path.join(work, "terraform-aws-mixpanel-s3-export");
      buildModule(moduleDir);
      // Every case a root of its own, all planned in one terraform test.
      outcomes = await planRoots(Object.entries(CASES).map(([name, c]) => ({
        name,
        files: {
          "main.tf.json": JSON.stringify({
            // The provider is where the region says: these cases are about the synth-time rules, not regionProvider.
            provider: { aws: { region: (c.inputs.region as string | undefined) ?? "us-east-1", ...OFFLINE_PROVIDER_SETTINGS } },
            module: { export: { source: moduleDir, ...BASE_INPUTS, ...c.inputs } },
          }, null, 2),
        },
      })), "module-validation");
    });

    test.each(Object.keys(CASES))("%s", (name) => {
      const c = CASES[name];
      const outcome = outcomes.get(name)!;
      expect(outcome.ok).toBe(false);
      const values = { ...assignment({ variable: "bucket_name", value: "acme-mixpanel-export" }), ...c.inputs };
      const errors = validateProps(propsOf(values)).filter((p) => p.severity === "error");
      expect(errors.length).toBeGreaterThan(0);
      const stderr = whitespace(outcome.ok ? "" : outcome.error);
      for (const problem of errors) {
        // The synth-time rule, word for word (the regions of a key in another region included; a construct
        // prop named in it reads as its variable) ...
        if (inModuleTerms(problem.rule) === problem.rule) expect(stderr).toContain(whitespace(problem.rule));
        // ... in the module's message: `<variable>: <rule>. Fix: <fix>.`
        expect(stderr).toContain(whitespace(`${variableName(problem.prop)}: ${ruleAndFix(inModuleTerms(problem.rule), inModuleTerms(problem.fix))}.`));
      }
      // As many validations failed as the synth-time rules report errors, on the expected variable.
      expect(stderr.match(/Error: Invalid value for variable/g)).toHaveLength(errors.length);
      expect(stderr).toContain(`var.${c.variable} is `);
    });
  });
});
