import { Token } from "../cdk/core";
import { planExport, roleKey, scopedDataPolicyName } from "../config/export-plan";
import {
  ADOPTABLE_RESOURCES,
  AdoptedResource,
  EVENT_STORAGE_CLASSES,
  EXISTING_BUCKET_MANAGEMENT,
  MixpanelS3ExportProps,
  withDefaults,
} from "../config/props";
import { ENCRYPTION_TYPES, MIXPANEL_SUPPORTED_REGIONS } from "../mixpanel";
import { INFREQUENT_ACCESS_CLASSES, LIMITS, PATTERNS } from "./patterns";
import { bucketNameBreaks } from "./bucket-name";
import { Problem, ruleError, ruleErrorWith, warning } from "./problems";
import { RULES } from "./texts";

/**
 * Every rule on the construct's props that can be known before Terraform runs. The construct and the
 * deployable stack call {@link validateProps}; the Terraform module's validation blocks carry the same rules.
 * Values that are Terraform tokens (unknown until plan) are skipped here.
 *
 * Every error's words come from {@link RULES} (src/rules/texts.ts) and its patterns from {@link PATTERNS}, which
 * the module's validation blocks (src/module/validations.ts) use too. Warnings are synth-time only.
 */
export function validateProps(given: MixpanelS3ExportProps): Problem[] {
  // Props missing altogether (from JavaScript) are reported like empty props; a prop of the wrong type is
  // reported once, as such, and then checked no further (as if it were not given).
  const types = typeProblems(given ?? {});
  const props = withoutProps(given ?? {}, types.map((problem) => problem.prop));
  const p = withDefaults(props);
  const problems: Problem[] = [
    ...types,
    ...bucketNameProblems("bucketName", p.bucketName),
    ...projectProblems(p.projects),
    ...roleKeyProblems(p),
    ...regionProblems(p.region),
    ...encryptionProblems(p),
    ...roleProblems(props, p),
    ...tagProblems(p.tags),
    ...storageProblems(props, p),
    ...existingBucketProblems(p),
    ...glueProblems(p),
    ...adoptionProblems(props, p),
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
  "enforceBucketOwner", "tlsOnly", "preventDestroy", "versioning", "createGlueDatabase", "glueScopeToDatabase", "redshiftRole",
] as const;

/** Optional text props without a rule of their own for values that are not text. */
const TEXT_PROPS = ["roleName", "namePrefix", "accessLogPrefix", "glueDatabase"] as const;

function typeProblems(props: MixpanelS3ExportProps): Problem[] {
  const problems: Problem[] = [];
  for (const prop of BOOLEAN_PROPS) {
    const value: unknown = props[prop];
    if (known(value) && typeof value !== "boolean") {
      problems.push(ruleError("booleanType", prop, value));
    }
  }
  for (const prop of TEXT_PROPS) {
    const value: unknown = props[prop];
    if (known(value) && typeof value !== "string") problems.push(ruleError("textType", prop, value));
  }
  return problems;
}

function withoutProps(props: MixpanelS3ExportProps, names: readonly string[]): MixpanelS3ExportProps {
  return Object.fromEntries(Object.entries(props).filter(([name]) => !names.includes(name))) as unknown as MixpanelS3ExportProps;
}

// --- Bucket names: AWS's rules for general purpose buckets ---

export function bucketNameProblems(prop: string, name: string | undefined): Problem[] {
  if (name === undefined || name === "") return [ruleError("bucketRequired", prop, name)];
  if (!known(name)) return [];
  if (typeof name !== "string") return [ruleError("bucketText", prop, name)];
  const problems = bucketNameBreaks(name).map(({ id, detail }) => ruleError(id, prop, name, detail));
  if (problems.length === 0 && name.includes(".")) {
    problems.push(warning(prop, name,
      "dots in a bucket name break TLS certificate checks for virtual-hosted-style requests",
      "prefer hyphens unless the name is already fixed"));
  }
  return problems;
}

// --- Projects: tokens (external IDs) and IDs ---

const EXTERNAL_ID = PATTERNS.externalId.js;
const MIXPANEL_TOKEN = /^[0-9a-f]{32}$/;
const PROJECT_ID = PATTERNS.projectId.js;

function projectProblems(projects: MixpanelS3ExportProps["projects"]): Problem[] {
  const tokenProp = "projects[].token";
  const idProp = "projects[].projectId";
  if (!Array.isArray(projects) || projects.length === 0) {
    // A value of the wrong type is shown as given; a missing or empty list reads as not set.
    return [ruleError("tokenRequired", tokenProp, projects === undefined || Array.isArray(projects) ? undefined : projects)];
  }
  const problems: Problem[] = [];
  const seenTokens = new Set<string>();
  for (const project of projects) {
    if (typeof project !== "object" || project === null) {
      problems.push(ruleError("projectObject", tokenProp, project));
      continue;
    }
    const { token } = project;
    if (!known(token)) {
      if (token === undefined) problems.push(ruleError("tokenMissing", tokenProp, token));
      continue;
    }
    if (typeof token !== "string" || !EXTERNAL_ID.test(token)) {
      problems.push(ruleError("tokenExternalId", tokenProp, token));
    } else if (!MIXPANEL_TOKEN.test(token)) {
      problems.push(warning(tokenProp, token,
        "a Mixpanel project token is 32 hexadecimal characters; Mixpanel will present its real token, which must match exactly",
        "copy the token from Mixpanel's Project Settings > Overview"));
    }
    if (seenTokens.has(token)) {
      problems.push(ruleError("tokenDuplicate", tokenProp, token));
    }
    seenTokens.add(token);
  }
  const ids = projects.map((project) => (typeof project === "object" && project !== null ? project.projectId : undefined));
  if (ids.some((id) => id !== undefined)) {
    if (ids.some((id) => id === undefined || id === "")) {
      problems.push(ruleError("projectIdForEveryToken", idProp, ids.join(","), `(${projects.length} tokens, ${ids.filter((id) => id).length} IDs)`));
    }
    const seenIds = new Set<string>();
    for (const id of ids) {
      if (!known(id) || id === "") continue;
      if (!PROJECT_ID.test(String(id))) {
        problems.push(ruleError("projectIdFormat", idProp, id));
      }
      if (seenIds.has(String(id))) problems.push(ruleError("projectIdDuplicate", idProp, id));
      seenIds.add(String(id));
    }
  }
  return problems;
}

// --- Per-project role keys ---

const ROLE_KEY = /^[A-Za-z0-9_-]{1,64}$/;

function roleKeyProblems(p: ReturnType<typeof withDefaults>): Problem[] {
  if (!Array.isArray(p.projects)) return [];
  const problems: Problem[] = [];
  const seen = new Set<string>();
  const keys = p.projects.filter((project) => typeof project === "object" && project !== null && project.key !== undefined);
  if (keys.length > 0 && !isTrue(p.rolePerProject) && known(p.rolePerProject)) {
    problems.push(ruleError("roleKeyNeedsRolePerProject", "projects[].key", keys.map((project) => project.key)));
  }
  p.projects.forEach((project, index) => {
    if (typeof project !== "object" || project === null) return;
    if (project.key !== undefined && (typeof project.key !== "string" || Token.isUnresolved(project.key) || !ROLE_KEY.test(project.key))) {
      problems.push(ruleError("roleKeyFormat", "projects[].key", project.key));
      return;
    }
    if (!isTrue(p.rolePerProject)) return;
    const key = roleKey(project);
    if (key === undefined) {
      if (project.token !== undefined) problems.push(ruleError("roleKeyNeeded", "projects[].key", project.key, `(project ${index + 1} of ${p.projects.length})`));
      return;
    }
    if (seen.has(key)) problems.push(ruleError("roleKeyDuplicate", "projects[].key", key));
    seen.add(key);
  });
  return problems;
}

// --- Region ---

const REGION = PATTERNS.region.js;
const OTHER_PARTITION_REGION = PATTERNS.otherPartitionRegion.js;

function regionProblems(region: string): Problem[] {
  if (region === undefined || region === "") {
    return [ruleError("regionRequired", "region", region)];
  }
  if (!known(region)) return [];
  if (!REGION.test(region)) {
    return [ruleError("regionFormat", "region", region)];
  }
  if (OTHER_PARTITION_REGION.test(region)) {
    return [ruleError("regionPartition", "region", region)];
  }
  if (!MIXPANEL_SUPPORTED_REGIONS.includes(region)) {
    return [warning("region", region, "Mixpanel does not list this region as supported for S3 exports",
      `check Mixpanel's docs, or use one of ${MIXPANEL_SUPPORTED_REGIONS.filter((r) => !r.startsWith("cn-")).join(", ")}`)];
  }
  return [];
}

// --- Encryption ---

const KMS_KEY_ARN = PATTERNS.kmsKeyArn.js;

function encryptionProblems(p: ReturnType<typeof withDefaults>): Problem[] {
  const problems: Problem[] = [];
  if (known(p.encryption) && !ENCRYPTION_TYPES.includes(p.encryption)) {
    problems.push(ruleError("encryptionValues", "encryption", p.encryption));
    return problems;
  }
  // With a token for encryption the KMS-only rules cannot be known at synth.
  const encryptionKnown = known(p.encryption);
  const isKms = p.encryption === "KMS";
  const hasKeyArn = p.kmsKeyArn !== undefined && p.kmsKeyArn !== "";
  if (hasKeyArn && encryptionKnown && !isKms) {
    problems.push(ruleError("kmsKeyOnlyWithKms", "kmsKeyArn", p.kmsKeyArn, `(encryption is ${p.encryption})`));
  }
  if (hasKeyArn && isTrue(p.createKmsKey)) {
    problems.push(ruleError("kmsKeyAndCreateKey", "createKmsKey", true));
  }
  if (hasKeyArn && known(p.kmsKeyArn)) {
    const match = typeof p.kmsKeyArn === "string" ? KMS_KEY_ARN.exec(p.kmsKeyArn) : null;
    if (!match) {
      const text = String(p.kmsKeyArn);
      const id = text.includes(":alias/") || text.startsWith("alias/") ? "kmsKeyArnAlias"
        : /^arn:/.test(text) ? "kmsKeyArnNotKeyArn" : "kmsKeyArnBareId";
      problems.push(ruleError(id, "kmsKeyArn", p.kmsKeyArn));
    } else if (known(p.region) && match[1] !== p.region) {
      problems.push(ruleErrorWith("kmsKeyRegion", RULES.kmsKeyRegion(match[1], p.region), "kmsKeyArn", p.kmsKeyArn));
    }
  }
  if (isTrue(p.createKmsKey) && encryptionKnown && !isKms) {
    problems.push(ruleError("createKmsKeyOnlyWithKms", "createKmsKey", true, `(encryption is ${p.encryption})`));
  }
  if (p.bucketKey === false && encryptionKnown && !isKms) {
    problems.push(warning("bucketKey", false, `S3 Bucket Keys apply only with encryption KMS (encryption is ${p.encryption}); the setting is ignored`,
      "remove it, or set encryption to KMS"));
  }
  return problems;
}

// --- Roles ---

const ROLE_NAME = PATTERNS.roleName.js;
const ROLE_PATH = PATTERNS.rolePath.js;
const POLICY_ARN = PATTERNS.policyArn.js;
const NAME_PREFIX = PATTERNS.namePrefix.js;

function roleProblems(props: MixpanelS3ExportProps, p: ReturnType<typeof withDefaults>): Problem[] {
  const problems: Problem[] = [];
  // Only a role name given is checked here: the default one is derived from the name prefix and checked with the derived names.
  if (props.roleName !== undefined && known(props.roleName) && (typeof props.roleName !== "string" || !ROLE_NAME.test(props.roleName))) {
    problems.push(ruleError("roleName", "roleName", p.roleName));
  }
  if (known(p.rolePath) && (typeof p.rolePath !== "string" || !ROLE_PATH.test(p.rolePath) || p.rolePath.length > LIMITS.rolePath)) {
    problems.push(ruleError("rolePath", "rolePath", p.rolePath));
  }
  if (known(p.permissionsBoundaryArn) && (typeof p.permissionsBoundaryArn !== "string" || !POLICY_ARN.test(p.permissionsBoundaryArn))) {
    problems.push(ruleError("permissionsBoundaryArn", "permissionsBoundaryArn", p.permissionsBoundaryArn));
  }
  const session = LIMITS.maxSessionDuration;
  if (known(p.maxSessionDuration) && !(Number.isInteger(p.maxSessionDuration) && p.maxSessionDuration >= session.min && p.maxSessionDuration <= session.max)) {
    problems.push(ruleError("maxSessionDuration", "maxSessionDuration", p.maxSessionDuration));
  }
  if (known(p.namePrefix) && (typeof p.namePrefix !== "string" || !NAME_PREFIX.test(p.namePrefix))) {
    problems.push(ruleError("namePrefix", "namePrefix", p.namePrefix));
  }
  problems.push(...projectRoleNameProblems(p));
  if (isTrue(p.scopeToProjectPrefix) && p.rolePerProject === false) {
    problems.push(ruleError("scopeNeedsRolePerProject", "scopeToProjectPrefix", true));
  }
  if (isTrue(p.scopeToProjectPrefix) && Array.isArray(p.projects) && p.projects.some((x) => !x?.projectId)) {
    problems.push(ruleError("scopeNeedsProjectIds", "scopeToProjectPrefix", true));
  }
  if (isTrue(p.rolePerProject) && Array.isArray(p.projects) && p.projects.length === 1) {
    problems.push(warning("rolePerProject", true, "one role per project with a single project gives the same access as one shared role, under another name",
      "leave rolePerProject off until there are several projects"));
  }
  return problems;
}

/** The role names given per project: the IAM role name rule, per-project roles only, each name once. */
function projectRoleNameProblems(p: ReturnType<typeof withDefaults>): Problem[] {
  if (!Array.isArray(p.projects)) return [];
  const prop = "projects[].roleName";
  const names = p.projects.map((x) => (typeof x === "object" && x !== null ? x.roleName : undefined)).filter((name) => name !== undefined);
  const problems: Problem[] = [];
  for (const name of names.filter(known)) {
    if (typeof name !== "string" || !ROLE_NAME.test(name)) problems.push(ruleError("roleName", prop, name));
  }
  if (names.length > 0 && known(p.rolePerProject) && p.rolePerProject !== true) {
    problems.push(ruleError("projectRoleNameNeedsRolePerProject", prop, names.join(",")));
  }
  const seen = new Set<string>();
  for (const name of names.filter((x) => known(x) && typeof x === "string")) {
    if (seen.has(name.toLowerCase())) problems.push(ruleError("projectRoleNameDuplicate", prop, name));
    seen.add(name.toLowerCase());
  }
  return problems;
}

/** Every project names its own role (so with per-project roles no name is derived from roleName). */
function everyProjectNamesItsRole(p: ReturnType<typeof withDefaults>): boolean {
  return isTrue(p.rolePerProject) && Array.isArray(p.projects) && p.projects.length > 0 && p.projects.every((x) => x?.roleName !== undefined);
}

/** The props derived names are built from: while one of them is in error, derived names are not checked. */
const DERIVED_NAME_PARTS: readonly string[] = [
  "namePrefix", "roleName", "projects[].token", "projects[].projectId", "projects[].roleName", "rolePerProject", "scopeToProjectPrefix",
  "encryption", "createKmsKey", "kmsKeyArn", "redshiftRole",
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
    ...p.projects.map((x) => x.token), ...p.projects.map((x) => x.projectId), ...p.projects.map((x) => x.roleName)];
  if (!parts.every((v) => v === undefined || known(v))) return [];
  const plan = planExport(p);
  const problems: Problem[] = [];
  const source = props.roleName !== undefined ? "roleName" : "namePrefix";
  const sourceValue = props.roleName ?? p.namePrefix;
  const perProject = p.rolePerProject && p.projects.length > 0;
  const seen = new Set<string>();
  for (const role of plan.roles) {
    // A name given for the project is no derived name: the role name rule checked it.
    const derived = !(perProject && role.projects[0].roleName !== undefined);
    if (derived && role.name.length > ROLE_NAME_MAX) {
      problems.push(ruleErrorWith("derivedRoleNameLength", RULES.derivedRoleNameLength(role.name, ROLE_NAME_MAX, source, perProject), source, sourceValue));
    }
    if (derived && !ROLE_NAME.test(role.name.slice(0, ROLE_NAME_MAX))) {
      const fromToken = perProject && !p.projects.every((x) => x.projectId);
      problems.push(ruleErrorWith("derivedRoleNameCharacters", RULES.derivedRoleNameCharacters(role.name, source, fromToken),
        fromToken ? "projects[].token" : source, fromToken ? role.name : sourceValue));
    }
    const key = role.name.toLowerCase();
    if (seen.has(key)) {
      problems.push(ruleError("derivedRoleNameDuplicate", source, role.name));
    }
    seen.add(key);
  }
  const scoped = isTrue(p.scopeToProjectPrefix) && p.projects.every((x) => x.projectId);
  const policyNames = [plan.dataPolicyName, ...(plan.keyChoice === "none" || plan.keyChoice === "s3-managed" ? [] : [plan.kmsPolicyName]),
    ...(scoped ? plan.roles.map((role) => scopedDataPolicyName(plan, role)) : [])];
  for (const name of policyNames) {
    if (name.length > POLICY_NAME_MAX || !POLICY_NAME.test(name)) {
      problems.push(ruleErrorWith("derivedPolicyName", RULES.derivedPolicyName(name, POLICY_NAME_MAX), "namePrefix", p.namePrefix));
    }
  }
  if (plan.glue) {
    const { names } = plan.glue;
    const customerKey = plan.keyChoice === "customer" || plan.keyChoice === "created";
    for (const name of [names.glueRoleName, ...(plan.glue.redshiftRole ? [names.redshiftRoleName] : [])]) {
      if (name.length > ROLE_NAME_MAX) {
        problems.push(ruleErrorWith("derivedRoleNameLength", RULES.derivedRoleNameLength(name, ROLE_NAME_MAX, "namePrefix", false), "namePrefix", p.namePrefix));
      }
    }
    const gluePolicies = [names.gluePolicyName, ...(plan.glue.redshiftRole ? [names.redshiftPolicyName, ...(customerKey ? [names.redshiftKmsPolicyName] : [])] : [])];
    for (const name of gluePolicies) {
      if (name.length > POLICY_NAME_MAX) {
        problems.push(ruleErrorWith("derivedPolicyName", RULES.derivedPolicyName(name, POLICY_NAME_MAX), "namePrefix", p.namePrefix));
      }
    }
  }
  if (plan.keyChoice === "created" && plan.kmsAliasName.length > KMS_ALIAS_MAX) {
    problems.push(ruleErrorWith("derivedKmsAlias", RULES.derivedKmsAlias(plan.kmsAliasName, KMS_ALIAS_MAX), "namePrefix", p.namePrefix));
  }
  return problems;
}

// --- Tags ---

const TAG_TEXT = PATTERNS.tagText.js;

function tagProblems(tags: Readonly<Record<string, string>>): Problem[] {
  if (!known(tags)) return [];
  if (typeof tags !== "object" || tags === null || Array.isArray(tags)) {
    return [ruleError("tagsObject", "tags", tags)];
  }
  const problems: Problem[] = [];
  const entries = Object.entries(tags);
  if (entries.length > LIMITS.tags) problems.push(ruleError("tagCount", "tags", `${entries.length} tags`));
  for (const [key, value] of entries) {
    if (!known(key)) continue;
    if (key.length < LIMITS.tagKey.min || key.length > LIMITS.tagKey.max) problems.push(ruleError("tagKeyLength", "tags", key));
    if (PATTERNS.reservedTagKey.js.test(key)) problems.push(ruleError("tagKeyReserved", "tags", key));
    if (!TAG_TEXT.test(key)) problems.push(ruleError("tagKeyCharacters", "tags", key));
    if (typeof value !== "string") {
      problems.push(ruleErrorWith("tagValueString", RULES.tagValueString(String(value)), "tags", { [key]: value }));
      continue;
    }
    if (!known(value)) continue;
    if (value.length > LIMITS.tagValue) problems.push(ruleError("tagValueLength", "tags", { [key]: `${value.slice(0, 20)}...` }, `(this one has ${value.length})`));
    if (!TAG_TEXT.test(value)) problems.push(ruleError("tagValueCharacters", "tags", { [key]: value }));
  }
  return problems;
}

// --- Storage over time ---

function storageProblems(props: MixpanelS3ExportProps, p: ReturnType<typeof withDefaults>): Problem[] {
  const problems: Problem[] = [];
  const days = (prop: keyof typeof p, value: number | undefined, min: 0 | 1) => {
    if (value === undefined || !known(value)) return;
    if (!Number.isInteger(value) || value < min) {
      problems.push(ruleError(min === 0 ? "daysFromZero" : "daysFromOne", prop, value));
    }
  };
  days("abortIncompleteUploadsDays", p.abortIncompleteUploadsDays, 0);
  days("eventsTransitionDays", p.eventsTransitionDays, 1);
  days("eventsExpirationDays", p.eventsExpirationDays, 1);
  days("noncurrentVersionExpirationDays", p.noncurrentVersionExpirationDays, 1);
  if (known(p.eventsStorageClass) && !(EVENT_STORAGE_CLASSES as readonly string[]).includes(p.eventsStorageClass)) {
    problems.push(ruleError("storageClass", "eventsStorageClass", p.eventsStorageClass));
  }
  const transition = p.eventsTransitionDays;
  const transitionKnown = known(transition);
  if (transitionKnown && known(p.eventsStorageClass) && (INFREQUENT_ACCESS_CLASSES as readonly string[]).includes(p.eventsStorageClass) && transition! < LIMITS.infrequentAccessDays) {
    problems.push(ruleError(p.eventsStorageClass === "STANDARD_IA" ? "transitionStandardIa" : "transitionOnezoneIa", "eventsTransitionDays", transition));
  }
  if (transitionKnown && known(p.eventsExpirationDays) && p.eventsExpirationDays! <= transition!) {
    problems.push(ruleError("expirationAfterTransition", "eventsExpirationDays", p.eventsExpirationDays, `(transition at ${transition} days)`));
  }
  if ((transition !== undefined || p.eventsExpirationDays !== undefined) && Array.isArray(p.projects) && p.projects.some((x) => !x?.projectId)) {
    problems.push(ruleError("eventRulesNeedProjectIds", transition !== undefined ? "eventsTransitionDays" : "eventsExpirationDays", transition ?? p.eventsExpirationDays));
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
      problems.push(ruleError("accessLogSelf", "accessLogBucket", p.accessLogBucket));
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
    return [ruleError("manageExistingBucket", "manageExistingBucket", p.manageExistingBucket)];
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

// --- Redshift Spectrum and the Glue catalog ---

/** Names Athena and Redshift Spectrum take without quoting. */
const QUERYABLE_GLUE_NAME = /^[a-z0-9_]+$/;

function glueProblems(p: ReturnType<typeof withDefaults>): Problem[] {
  const problems: Problem[] = [];
  const database = p.glueDatabase;
  if (database === undefined || database === "") {
    // The settings that only mean something with a database, when set away from their defaults.
    if (p.createGlueDatabase === false) problems.push(ruleError("glueSettingNeedsDatabase", "createGlueDatabase", false));
    if (p.glueScopeToDatabase === false) problems.push(ruleError("glueSettingNeedsDatabase", "glueScopeToDatabase", false));
    if (isTrue(p.redshiftRole)) problems.push(ruleError("redshiftNeedsGlueDatabase", "redshiftRole", true));
    return problems;
  }
  if (!known(database)) return problems;
  const { min, max } = LIMITS.glueDatabase;
  if (typeof database !== "string" || database.length < min || database.length > max) {
    problems.push(ruleError("glueDatabaseLength", "glueDatabase", database, `(this one has ${String(database).length})`));
    return problems;
  }
  if (PATTERNS.glueDatabaseUpperCase.js.test(database)) problems.push(ruleError("glueDatabaseUpperCase", "glueDatabase", database));
  if (!PATTERNS.glueDatabaseCharacters.js.test(database)) problems.push(ruleError("glueDatabaseCharacters", "glueDatabase", database));
  if (problems.length === 0 && !QUERYABLE_GLUE_NAME.test(database)) {
    problems.push(warning("glueDatabase", database,
      "Athena accepts only lower case letters, digits and _ in database names, and Redshift Spectrum's external schema needs the name quoted otherwise",
      "prefer a name like mixpanel_exports"));
  }
  return problems;
}

/**
 * The Glue database is created by the AWS provider in the provider's region, while Mixpanel is told (and the
 * Glue role's policy names) the bucket's `region`: the two must agree. `providerRegion` is the provider's region
 * when it is known at synth (the construct reads it from the stack's default AWS provider).
 */
export function glueRegionProblems(props: MixpanelS3ExportProps, providerRegion: string | undefined): Problem[] {
  const p = withDefaults(props);
  if (!p.glueDatabase || !p.createGlueDatabase || !known(providerRegion) || !known(p.region) || providerRegion === p.region) return [];
  return [ruleErrorWith("glueDatabaseRegion", RULES.glueDatabaseRegion(providerRegion!, p.region), "region", p.region)];
}

// --- Adopting a set-up made by hand ---

function adoptionProblems(props: MixpanelS3ExportProps, p: ReturnType<typeof withDefaults>): Problem[] {
  if (!known(p.adopt)) return [];
  if (!Array.isArray(p.adopt)) return [ruleError("adoptValues", "adopt", p.adopt)];
  const problems: Problem[] = [];
  for (const item of p.adopt as unknown[]) {
    if (!ADOPTABLE_RESOURCES.includes(item as AdoptedResource)) problems.push(ruleError("adoptValues", "adopt", item));
  }
  const adopts = (what: AdoptedResource) => p.adopt.includes(what);
  if (adopts("bucket") && p.createBucket === false) problems.push(ruleError("adoptBucketNotCreated", "adopt", p.adopt.join(",")));
  // Per-project roles adopted by the names given for each project need no roleName.
  const named = everyProjectNamesItsRole(p);
  if (adopts("role") && props.roleName === undefined && !named && !isTrue(p.rolePerProject)) {
    problems.push(ruleError("adoptRoleNeedsName", "adopt", p.adopt.join(",")));
  }
  if (adopts("role") && isTrue(p.rolePerProject) && !named) problems.push(ruleError("adoptRolePerProject", "adopt", p.adopt.join(",")));
  return problems;
}
