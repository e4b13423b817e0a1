import { Token } from "cdktf";
import { planExport, scopedDataPolicyName } from "../config/export-plan";
import {
  EVENT_STORAGE_CLASSES,
  EXISTING_BUCKET_MANAGEMENT,
  MixpanelS3ExportProps,
  withDefaults,
} from "../config/props";
import { ENCRYPTION_TYPES, MIXPANEL_EXPORT_PRINCIPAL_ARN, MIXPANEL_SUPPORTED_REGIONS } from "../mixpanel";
import { Problem, error, warning } from "./problems";

/**
 * Every rule on the construct's props that can be known before Terraform runs. The construct, the
 * deployable stack and the Terraform-module build all call {@link validateProps}. Values that are
 * Terraform tokens (unknown until plan) are skipped here; the module checks those with variable validation.
 */
export function validateProps(props: MixpanelS3ExportProps): Problem[] {
  const p = withDefaults(props);
  const problems: Problem[] = [
    ...typeProblems(props),
    ...bucketNameProblems("bucketName", p.bucketName),
    ...projectProblems(p.projects),
    ...regionProblems(p.region),
    ...encryptionProblems(p),
    ...roleProblems(props, p),
    ...tagProblems(p.tags),
    ...storageProblems(props, p),
    ...existingBucketProblems(p),
  ];
  // Derived names are built from the prefix, the role name and the projects: check them whenever those parts
  // are valid themselves, so a bad bucket name does not hide a name prefix that is too long.
  if (problems.some((x) => x.severity === "error" && DERIVED_NAME_PARTS.includes(x.prop))) return problems;
  return [...problems, ...derivedNameProblems(props)];
}

const known = (value: unknown): boolean => value !== undefined && !Token.isUnresolved(value);

/** True only for a known `true` (a token is neither true nor false at synth). */
const isTrue = (value: unknown): boolean => value === true;

// --- Types (JavaScript callers and hand-written props are not checked by tsc) ---

const BOOLEAN_PROPS = [
  "createBucket", "createKmsKey", "bucketKey", "rolePerProject", "scopeToProjectPrefix", "blockPublicAccess",
  "enforceBucketOwner", "tlsOnly", "preventDestroy", "versioning",
] as const;

function typeProblems(props: MixpanelS3ExportProps): Problem[] {
  const problems: Problem[] = [];
  for (const prop of BOOLEAN_PROPS) {
    const value: unknown = props[prop];
    if (known(value) && typeof value !== "boolean") {
      problems.push(error(prop, value, "must be true or false (a boolean, not text or a number)", "write true or false"));
    }
  }
  return problems;
}

// --- Bucket names: AWS's rules for general purpose buckets ---

const RESERVED_BUCKET_PREFIXES = ["xn--", "sthree-", "amzn-s3-demo-"];
const RESERVED_BUCKET_SUFFIXES = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"];

export function bucketNameProblems(prop: string, name: string | undefined): Problem[] {
  const fix = "use 3-63 lowercase letters, digits and hyphens, e.g. acme-mixpanel-export";
  if (name === undefined || name === "") return [error(prop, name, "a bucket name is required", fix)];
  if (!known(name)) return [];
  if (typeof name !== "string") return [error(prop, name, "a bucket name is text", fix)];
  const problems: Problem[] = [];
  const rule = (text: string) => problems.push(error(prop, name, text, fix));
  if (name.length < 3 || name.length > 63) rule(`bucket names are 3-63 characters long (this one has ${name.length})`);
  if (!/^[a-z0-9.-]*$/.test(name)) rule("bucket names may contain only lowercase letters, digits, dots and hyphens");
  if (!/^[a-z0-9].*[a-z0-9]$|^[a-z0-9]$/.test(name)) rule("bucket names start and end with a lowercase letter or digit");
  if (name.includes("..")) rule("bucket names may not contain two adjacent dots");
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) rule("bucket names may not be formatted as an IP address");
  for (const prefix of RESERVED_BUCKET_PREFIXES) {
    if (name.startsWith(prefix)) rule(`bucket names may not start with the reserved prefix "${prefix}"`);
  }
  for (const suffix of RESERVED_BUCKET_SUFFIXES) {
    if (name.endsWith(suffix)) rule(`bucket names may not end with the reserved suffix "${suffix}"`);
  }
  if (problems.length === 0 && name.includes(".")) {
    problems.push(warning(prop, name,
      "dots in a bucket name break TLS certificate checks for virtual-hosted-style requests",
      "prefer hyphens unless the name is already fixed"));
  }
  return problems;
}

// --- Projects: tokens (external IDs) and IDs ---

const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;
const MIXPANEL_TOKEN = /^[0-9a-f]{32}$/;
const PROJECT_ID = /^[1-9][0-9]*$/;

function projectProblems(projects: MixpanelS3ExportProps["projects"]): Problem[] {
  const tokenProp = "projects[].token";
  const idProp = "projects[].projectId";
  if (!Array.isArray(projects) || projects.length === 0) {
    return [error(tokenProp, undefined, "at least one Mixpanel project token is required",
      "copy the token from Mixpanel's Project Settings > Overview")];
  }
  const problems: Problem[] = [];
  const seenTokens = new Set<string>();
  for (const project of projects) {
    if (typeof project !== "object" || project === null) {
      problems.push(error(tokenProp, project, "each project is an object { token, projectId? }", 'write e.g. { token: "0123456789abcdef0123456789abcdef" }'));
      continue;
    }
    const { token } = project;
    if (!known(token)) {
      if (token === undefined) problems.push(error(tokenProp, token, "every project needs a token", "give each project its token"));
      continue;
    }
    if (typeof token !== "string" || !EXTERNAL_ID.test(token)) {
      problems.push(error(tokenProp, token,
        "a token is used as STS external ID: 2-1224 characters of letters, digits and + = , . @ : / - _",
        "copy the token from Mixpanel's Project Settings > Overview"));
    } else if (!MIXPANEL_TOKEN.test(token)) {
      problems.push(warning(tokenProp, token,
        "a Mixpanel project token is 32 hexadecimal characters; Mixpanel will present its real token, which must match exactly",
        "copy the token from Mixpanel's Project Settings > Overview"));
    }
    if (seenTokens.has(token)) {
      problems.push(error(tokenProp, token, "each project token may be listed once", "remove the duplicate"));
    }
    seenTokens.add(token);
  }
  const ids = projects.map((project) => (typeof project === "object" && project !== null ? project.projectId : undefined));
  if (ids.some((id) => id !== undefined)) {
    if (ids.some((id) => id === undefined || id === "")) {
      problems.push(error(idProp, ids.join(","),
        `give a project ID for every token (${projects.length} tokens, ${ids.filter((id) => id).length} IDs)`,
        "list the IDs in the same order as the tokens"));
    }
    const seenIds = new Set<string>();
    for (const id of ids) {
      if (!known(id) || id === "") continue;
      if (!PROJECT_ID.test(String(id))) {
        problems.push(error(idProp, id, "a Mixpanel project ID is a positive whole number", "copy it from Mixpanel's Project Settings > Overview"));
      }
      if (seenIds.has(String(id))) problems.push(error(idProp, id, "each project ID may be listed once", "remove the duplicate"));
      seenIds.add(String(id));
    }
  }
  return problems;
}

// --- Region ---

const REGION = /^[a-z]{2,4}(-[a-z]+)+-\d{1,2}$/;
const OTHER_PARTITION_REGION = /^(cn-|us-gov-|us-iso|eu-isoe-|eusc-)/;

function regionProblems(region: string): Problem[] {
  if (region === undefined || region === "") {
    return [error("region", region, "a region is required", "set the bucket's region, e.g. us-east-1")];
  }
  if (!known(region)) return [];
  if (!REGION.test(region)) {
    return [error("region", region, "not a well-formed AWS region name", "use a name like us-east-1 or eu-west-1")];
  }
  if (OTHER_PARTITION_REGION.test(region)) {
    return [error("region", region,
      `the region is outside the aws partition, so a role there cannot trust Mixpanel's principal (${MIXPANEL_EXPORT_PRINCIPAL_ARN})`,
      "use a bucket in a region of the aws partition that Mixpanel supports, e.g. us-east-1 or eu-west-1")];
  }
  if (!MIXPANEL_SUPPORTED_REGIONS.includes(region)) {
    return [warning("region", region, "Mixpanel does not list this region as supported for S3 exports",
      `check Mixpanel's docs, or use one of ${MIXPANEL_SUPPORTED_REGIONS.filter((r) => !r.startsWith("cn-")).join(", ")}`)];
  }
  return [];
}

// --- Encryption ---

const KMS_KEY_ARN = /^arn:aws:kms:([a-z0-9-]+):(\d{12}):key\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$/;

function encryptionProblems(p: ReturnType<typeof withDefaults>): Problem[] {
  const problems: Problem[] = [];
  if (known(p.encryption) && !ENCRYPTION_TYPES.includes(p.encryption)) {
    problems.push(error("encryption", p.encryption, "encryption is one of NONE, AES, KMS (Mixpanel's dropdown)",
      "pick NONE, AES or KMS (in props exactly so; the environment variable also takes lower case)"));
    return problems;
  }
  // With a token for encryption the KMS-only rules cannot be known at synth.
  const encryptionKnown = known(p.encryption);
  const isKms = p.encryption === "KMS";
  const hasKeyArn = p.kmsKeyArn !== undefined && p.kmsKeyArn !== "";
  if (hasKeyArn && encryptionKnown && !isKms) {
    problems.push(error("kmsKeyArn", p.kmsKeyArn, `a KMS key applies only with encryption KMS (encryption is ${p.encryption})`,
      "set encryption to KMS, or remove the key ARN"));
  }
  if (hasKeyArn && isTrue(p.createKmsKey)) {
    problems.push(error("createKmsKey", true, "give either a KMS key ARN or createKmsKey, not both",
      "remove the key ARN to create a key, or set createKmsKey to false to use yours"));
  }
  if (hasKeyArn && known(p.kmsKeyArn)) {
    const match = typeof p.kmsKeyArn === "string" ? KMS_KEY_ARN.exec(p.kmsKeyArn) : null;
    if (!match) {
      const text = String(p.kmsKeyArn);
      const what = text.includes(":alias/") || text.startsWith("alias/") ? "an alias"
        : /^arn:/.test(text) ? "not a KMS key ARN" : "a bare key ID";
      problems.push(error("kmsKeyArn", p.kmsKeyArn,
        `must be a key ARN (arn:aws:kms:<region>:<12-digit account>:key/<key id>), not ${what}; an IAM policy must name the key ARN`,
        "copy the key's ARN from the KMS console (Customer managed keys > the key > ARN)"));
    } else if (known(p.region) && match[1] !== p.region) {
      problems.push(error("kmsKeyArn", p.kmsKeyArn,
        `the key is in ${match[1]} but the bucket is in ${p.region}; SSE-KMS needs a key in the bucket's region`,
        "use a key in the bucket's region, or create one with createKmsKey"));
    }
  }
  if (isTrue(p.createKmsKey) && encryptionKnown && !isKms) {
    problems.push(error("createKmsKey", true, `creating a KMS key applies only with encryption KMS (encryption is ${p.encryption})`,
      "set encryption to KMS, or createKmsKey to false"));
  }
  if (p.bucketKey === false && encryptionKnown && !isKms) {
    problems.push(warning("bucketKey", false, `S3 Bucket Keys apply only with encryption KMS (encryption is ${p.encryption}); the setting is ignored`,
      "remove it, or set encryption to KMS"));
  }
  return problems;
}

// --- Roles ---

const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
const ROLE_PATH = /^\/$|^\/[\u0021-\u007e]+\/$/;
const POLICY_ARN = /^arn:aws:iam::(\d{12}|aws):policy\/[\w+=,.@/-]+$/;
const NAME_PREFIX = /^[A-Za-z0-9_-]*$/;

function roleProblems(props: MixpanelS3ExportProps, p: ReturnType<typeof withDefaults>): Problem[] {
  const problems: Problem[] = [];
  // Only a role name given is checked here: the default one is derived from the name prefix and checked with the derived names.
  if (props.roleName !== undefined && known(props.roleName) && (typeof props.roleName !== "string" || !ROLE_NAME.test(props.roleName))) {
    problems.push(error("roleName", p.roleName, "role names are 1-64 characters of letters, digits and + = , . @ - _",
      "choose a shorter or plainer name"));
  }
  if (known(p.rolePath) && (typeof p.rolePath !== "string" || !ROLE_PATH.test(p.rolePath) || p.rolePath.length > 512)) {
    problems.push(error("rolePath", p.rolePath, "a role path is / or starts and ends with / (at most 512 printable ASCII characters)",
      "use a path like /vendors/"));
  }
  if (known(p.permissionsBoundaryArn) && (typeof p.permissionsBoundaryArn !== "string" || !POLICY_ARN.test(p.permissionsBoundaryArn))) {
    problems.push(error("permissionsBoundaryArn", p.permissionsBoundaryArn,
      "a permissions boundary is an IAM policy ARN (arn:aws:iam::<12-digit account or aws>:policy/<name>)",
      "copy the ARN of the boundary policy from the IAM console"));
  }
  if (known(p.maxSessionDuration) && !(Number.isInteger(p.maxSessionDuration) && p.maxSessionDuration >= 3600 && p.maxSessionDuration <= 43200)) {
    problems.push(error("maxSessionDuration", p.maxSessionDuration, "the maximum session duration is a whole number of seconds from 3600 to 43200",
      "use 3600 (one hour) unless you need longer"));
  }
  if (known(p.namePrefix) && (typeof p.namePrefix !== "string" || !NAME_PREFIX.test(p.namePrefix))) {
    problems.push(error("namePrefix", p.namePrefix, "a name prefix may contain only letters, digits, _ and - (it goes into role, policy and KMS alias names)",
      "use a prefix like analytics-"));
  }
  if (isTrue(p.scopeToProjectPrefix) && p.rolePerProject === false) {
    problems.push(error("scopeToProjectPrefix", true, "prefix scoping needs one role per project (rolePerProject)",
      "set rolePerProject to true, or scopeToProjectPrefix to false"));
  }
  if (isTrue(p.scopeToProjectPrefix) && Array.isArray(p.projects) && p.projects.some((x) => !x?.projectId)) {
    problems.push(error("scopeToProjectPrefix", true, "prefix scoping needs the project ID of every project (the first folder Mixpanel writes to)",
      "give the project IDs in the same order as the tokens"));
  }
  if (isTrue(p.rolePerProject) && Array.isArray(p.projects) && p.projects.length === 1) {
    problems.push(warning("rolePerProject", true, "one role per project with a single project gives the same access as one shared role, under another name",
      "leave rolePerProject off until there are several projects"));
  }
  return problems;
}

/** The props derived names are built from: while one of them is in error, derived names are not checked. */
const DERIVED_NAME_PARTS: readonly string[] = [
  "namePrefix", "roleName", "projects[].token", "projects[].projectId", "rolePerProject", "scopeToProjectPrefix",
  "encryption", "createKmsKey", "kmsKeyArn",
];

/** IAM's limits on the names the construct derives, and KMS's on the alias. */
const ROLE_NAME_MAX = 64;
const POLICY_NAME_MAX = 128;
const POLICY_NAME = /^[\w+=,.@-]+$/;
const KMS_ALIAS_MAX = 256;

/**
 * Names derived from the prefix, role name and project IDs (or tokens) must fit AWS's limits: role names
 * (64, `[\w+=,.@-]`, unique ignoring case), policy names (128) and the KMS alias (256). Runs when the parts are valid.
 */
function derivedNameProblems(props: MixpanelS3ExportProps): Problem[] {
  const p = withDefaults(props);
  if (!Array.isArray(p.projects)) return [];
  const parts = [p.namePrefix, p.roleName, p.rolePerProject, p.scopeToProjectPrefix, p.createKmsKey, p.encryption,
    ...p.projects.map((x) => x.token), ...p.projects.map((x) => x.projectId)];
  if (!parts.every((v) => v === undefined || known(v))) return [];
  const plan = planExport(p);
  const problems: Problem[] = [];
  const source = props.roleName !== undefined ? "roleName" : "namePrefix";
  const sourceValue = props.roleName ?? p.namePrefix;
  const perProject = p.rolePerProject && p.projects.length > 0;
  const roleFix = perProject
    ? `shorten the ${source === "roleName" ? "role name" : "name prefix"}; each role is named <role name>-<project ID, or token when no ID is given>, so giving project IDs also helps`
    : `shorten the ${source === "roleName" ? "role name" : "name prefix"}`;
  const seen = new Set<string>();
  for (const role of plan.roles) {
    if (role.name.length > ROLE_NAME_MAX) {
      problems.push(error(source, sourceValue,
        `the derived role name "${role.name}" has ${role.name.length} characters; IAM allows ${ROLE_NAME_MAX}`, roleFix));
    }
    if (!ROLE_NAME.test(role.name.slice(0, ROLE_NAME_MAX))) {
      const fromToken = perProject && !p.projects.every((x) => x.projectId);
      problems.push(error(fromToken ? "projects[].token" : source, fromToken ? role.name : sourceValue,
        `the derived role name "${role.name}" has characters IAM does not allow in a role name (only letters, digits and + = , . @ - _)`,
        fromToken ? "give project IDs, so each per-project role is named after its ID rather than its token" : `fix the ${source === "roleName" ? "role name" : "name prefix"}`));
    }
    const key = role.name.toLowerCase();
    if (seen.has(key)) {
      problems.push(error(source, role.name, "two roles would get the same name (IAM role names are unique ignoring case)",
        "give each project a distinct project ID"));
    }
    seen.add(key);
  }
  const scoped = isTrue(p.scopeToProjectPrefix) && p.projects.every((x) => x.projectId);
  const policyNames = [plan.dataPolicyName, ...(plan.keyChoice === "none" || plan.keyChoice === "s3-managed" ? [] : [plan.kmsPolicyName]),
    ...(scoped ? plan.roles.map((role) => scopedDataPolicyName(plan, role)) : [])];
  for (const name of policyNames) {
    if (name.length > POLICY_NAME_MAX || !POLICY_NAME.test(name)) {
      problems.push(error("namePrefix", p.namePrefix,
        `the derived policy name "${name}" has ${name.length} characters; IAM allows ${POLICY_NAME_MAX} of letters, digits and + = , . @ - _`,
        "shorten the name prefix"));
    }
  }
  if (plan.keyChoice === "created" && plan.kmsAliasName.length > KMS_ALIAS_MAX) {
    problems.push(error("namePrefix", p.namePrefix,
      `the derived KMS alias "${plan.kmsAliasName}" has ${plan.kmsAliasName.length} characters; KMS allows ${KMS_ALIAS_MAX}`,
      "shorten the name prefix"));
  }
  return problems;
}

// --- Tags ---

const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

function tagProblems(tags: Readonly<Record<string, string>>): Problem[] {
  if (!known(tags)) return [];
  if (typeof tags !== "object" || tags === null || Array.isArray(tags)) {
    return [error("tags", tags, "tags are an object of string keys to string values", 'use e.g. {"team":"data"}')];
  }
  const problems: Problem[] = [];
  const entries = Object.entries(tags);
  if (entries.length > 50) problems.push(error("tags", `${entries.length} tags`, "a resource takes at most 50 tags", "drop some tags"));
  for (const [key, value] of entries) {
    if (!known(key)) continue;
    if (key.length < 1 || key.length > 128) problems.push(error("tags", key, "a tag key is 1-128 characters", "shorten the key"));
    if (/^aws:/i.test(key)) problems.push(error("tags", key, "tag keys starting with aws: are reserved for AWS", "rename the key"));
    if (!TAG_TEXT.test(key)) problems.push(error("tags", key, "tag keys may contain letters, digits, spaces and _ . : / = + - @", "remove other characters"));
    if (typeof value !== "string") {
      problems.push(error("tags", { [key]: value }, "tag values are strings", `quote the value, e.g. "${String(value)}"`));
      continue;
    }
    if (!known(value)) continue;
    if (value.length > 256) problems.push(error("tags", { [key]: `${value.slice(0, 20)}...` }, `a tag value is at most 256 characters (this one has ${value.length})`, "shorten the value"));
    if (!TAG_TEXT.test(value)) problems.push(error("tags", { [key]: value }, "tag values may contain letters, digits, spaces and _ . : / = + - @", "remove other characters"));
  }
  return problems;
}

// --- Storage over time ---

function storageProblems(props: MixpanelS3ExportProps, p: ReturnType<typeof withDefaults>): Problem[] {
  const problems: Problem[] = [];
  const days = (prop: keyof typeof p, value: number | undefined, min: number) => {
    if (value === undefined || !known(value)) return;
    if (!Number.isInteger(value) || value < min) {
      problems.push(error(prop, value, `a number of days is a whole number of at least ${min}`, min === 0 ? "use 0 to turn the rule off" : "use a positive number of days"));
    }
  };
  days("abortIncompleteUploadsDays", p.abortIncompleteUploadsDays, 0);
  days("eventsTransitionDays", p.eventsTransitionDays, 1);
  days("eventsExpirationDays", p.eventsExpirationDays, 1);
  days("noncurrentVersionExpirationDays", p.noncurrentVersionExpirationDays, 1);
  if (known(p.eventsStorageClass) && !(EVENT_STORAGE_CLASSES as readonly string[]).includes(p.eventsStorageClass)) {
    problems.push(error("eventsStorageClass", p.eventsStorageClass, `the storage class is one of ${EVENT_STORAGE_CLASSES.join(", ")}`, "pick one of those"));
  }
  const transition = p.eventsTransitionDays;
  const transitionKnown = known(transition);
  if (transitionKnown && known(p.eventsStorageClass) && ["STANDARD_IA", "ONEZONE_IA"].includes(p.eventsStorageClass) && transition! < 30) {
    problems.push(error("eventsTransitionDays", transition, `S3 moves objects to ${p.eventsStorageClass} only after at least 30 days`, "use 30 or more, or another storage class"));
  }
  if (transitionKnown && known(p.eventsExpirationDays) && p.eventsExpirationDays! <= transition!) {
    problems.push(error("eventsExpirationDays", p.eventsExpirationDays, `event files must expire after they move (transition at ${transition} days)`, "use more days than eventsTransitionDays"));
  }
  if ((transition !== undefined || p.eventsExpirationDays !== undefined) && Array.isArray(p.projects) && p.projects.some((x) => !x?.projectId)) {
    problems.push(error(transition !== undefined ? "eventsTransitionDays" : "eventsExpirationDays", transition ?? p.eventsExpirationDays,
      "event lifecycle rules apply only under <project id>/mp_master_event/, so every project ID is needed",
      "give the project IDs in the same order as the tokens"));
  }
  if (props.eventsStorageClass !== undefined && transition === undefined) {
    problems.push(warning("eventsStorageClass", props.eventsStorageClass, "applies only with eventsTransitionDays; the setting is ignored",
      "set eventsTransitionDays too, or remove it"));
  }
  if (props.noncurrentVersionExpirationDays !== undefined && p.versioning === false) {
    problems.push(warning("noncurrentVersionExpirationDays", props.noncurrentVersionExpirationDays,
      "applies only with versioning; the setting is ignored", "set versioning to true, or remove it"));
  }
  if (props.accessLogPrefix !== undefined && (p.accessLogBucket === undefined || p.accessLogBucket === "")) {
    problems.push(warning("accessLogPrefix", props.accessLogPrefix, "applies only with accessLogBucket; the setting is ignored",
      "set accessLogBucket too, or remove it"));
  }
  if (p.accessLogBucket !== undefined && p.accessLogBucket !== "") {
    problems.push(...bucketNameProblems("accessLogBucket", p.accessLogBucket).filter((x) => x.severity === "error"));
    if (p.accessLogBucket === p.bucketName) {
      problems.push(error("accessLogBucket", p.accessLogBucket, "a bucket must not log into itself (each log write would be logged again)", "use a separate log bucket"));
    }
  }
  return problems;
}

// --- Existing bucket ---

const BUCKET_CONFIG_PROPS = [
  "blockPublicAccess", "enforceBucketOwner", "tlsOnly", "abortIncompleteUploadsDays", "eventsTransitionDays",
  "eventsExpirationDays", "versioning", "accessLogBucket",
] as const;

function existingBucketProblems(p: ReturnType<typeof withDefaults>): Problem[] {
  if (known(p.manageExistingBucket) && !EXISTING_BUCKET_MANAGEMENT.includes(p.manageExistingBucket)) {
    return [error("manageExistingBucket", p.manageExistingBucket, `one of ${EXISTING_BUCKET_MANAGEMENT.join(", ")}`, "pick none, encryption or all")];
  }
  if (!known(p.createBucket)) return [];
  if (p.createBucket && p.manageExistingBucket !== "none") {
    return [warning("manageExistingBucket", p.manageExistingBucket, "applies only with createBucket false; the created bucket is managed in full", "remove it")];
  }
  if (p.createBucket || p.manageExistingBucket === "all") return [];
  const problems: Problem[] = [];
  const defaults = withDefaults({ projects: [], bucketName: "", region: "" });
  for (const prop of BUCKET_CONFIG_PROPS) {
    if (p[prop] !== defaults[prop]) {
      problems.push(warning(prop, p[prop], "is ignored for an existing bucket unless manageExistingBucket is all",
        "set manageExistingBucket to all to manage the bucket's configuration, or remove this setting"));
    }
  }
  if (p.manageExistingBucket === "none" && p.encryption !== "NONE") {
    problems.push(warning("encryption", p.encryption,
      "the existing bucket's default encryption is left as it is; this value is reported to Mixpanel and must match the bucket",
      "set manageExistingBucket to encryption to manage it"));
  }
  return problems;
}
