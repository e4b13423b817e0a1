import { EVENT_STORAGE_CLASSES, EXISTING_BUCKET_MANAGEMENT } from "../config/props";
import { ENCRYPTION_TYPES } from "../mixpanel";
import { INFREQUENT_ACCESS_CLASSES, LIMITS, PATTERNS, RESERVED_BUCKET_PREFIXES, RESERVED_BUCKET_SUFFIXES } from "../rules/patterns";
import { FixedRuleId, PLAN_RULES, PlanRuleId, RULES, RuleId, RuleText, TERRAFORM_ERROR_RULES, ruleAndFix, withDetail } from "../rules/texts";
import { SETTINGS } from "../settings/catalog";

/**
 * The synth-time rules of src/rules/rules.ts as Terraform `validation` blocks on the module's variables, with
 * the same words (both take them from src/rules/texts.ts) and the same patterns (src/rules/patterns.ts).
 *
 * - Each condition is true when the value is fine, and reports exactly what rules.ts reports for the same
 *   inputs: the same early exits (an invalid encryption hides the KMS rules, a malformed region hides the
 *   partition rule, an empty bucket name is only "required"), and "" treated as unset where rules.ts does.
 * - Optional variables are null when unset (and any variable is null when a caller passes null). HCL's `&&`
 *   and `||` evaluate both sides, so nulls are guarded with `x == null ? true : (...)`: a conditional
 *   evaluates only the branch it takes.
 * - Conditions may refer to other variables (Terraform >= 1.9, the module's required_version).
 * - Warnings stay synth-time only: Terraform has no warnings for variables.
 * - Rules the module does not check, and why, are listed in {@link RULES_NOT_IN_MODULE}.
 * - Rules only Terraform can check (the provider's region, sensitive tokens, the key object) are
 *   {@link planTimeValidations}, in the words of PLAN_RULES; they sit in the same variables' validation blocks.
 *
 * Terraform 1.11 asks nothing of a validation's error_message but that it is not empty (the "full sentence
 * starting with an uppercase letter" rule went away in Terraform 1.2); the messages still end with a period,
 * in the style of Terraform's own diagnostics.
 */
export interface ModuleValidation {
  /** The module variable the block is on. */
  readonly variable: string;
  /** The rule, as rules.ts reports it (`Problem.id`). */
  readonly id: RuleId;
  /** The construct prop the synth-time error names for the same input. */
  readonly prop: string;
  /** What the message names, when not the prop's variable: `kms_key` (whose ARN is the construct's kmsKeyArn). */
  readonly subject?: string;
  /** What rules.ts appends to the rule for this variant, e.g. `"xn--"` for a reserved prefix. */
  readonly detail?: string;
  /** The condition in HCL native syntax, on one line; true when the value is fine. */
  readonly condition: string;
  /** The message: a Terraform string template (literal text, or `${...}` naming values as rules.ts does). */
  readonly error_message: string;
}

/**
 * A validation with no synth-time counterpart ({@link PLAN_RULES}): it needs the AWS provider's region, the
 * sensitivity of a value, or an input only the module has. Proven by plans of real root modules
 * (__tests__/terraform/module-consumers.tf.test.ts), not by the parity table with rules.ts.
 */
export interface PlanTimeValidation {
  readonly variable: string;
  readonly id: PlanRuleId;
  readonly condition: string;
  readonly error_message: string;
}

/**
 * The AWS provider's region, as the module's locals read it (a `data "aws_region"`). Conditions may name it:
 * Terraform >= 1.9 lets a validation refer to other objects of the module.
 */
export const PROVIDER_REGION = "local.provider_region";
/** The bucket's region: the `region` given, else the provider's ("" is unset, as in rules.ts). */
export const BUCKET_REGION = `(var.region == null ? ${PROVIDER_REGION} : (var.region == "" ? ${PROVIDER_REGION} : var.region))`;

/**
 * Error rules of rules.ts that have no validation block, and why. Every other rule id in src/rules/texts.ts
 * has at least one (a test checks both lists).
 */
export const RULES_NOT_IN_MODULE: Readonly<Partial<Record<RuleId, string>>> = {
  roleKeyFormat: "The construct's projects[].key names a per-project role's construct ID; the module keys its per-project roles by token (for_each keys, which Terraform requires to be known at plan), so it has no key input.",
  roleKeyNeedsRolePerProject: "The construct's projects[].key (see roleKeyFormat); the module has no key input.",
  roleKeyDuplicate: "The construct's projects[].key (see roleKeyFormat); the module's for_each keys are the tokens, whose duplicates the rule tokenDuplicate refuses.",
  roleKeyNeeded: "The construct's addresses of per-project roles with Terraform-value tokens (see roleKeyFormat); the module's for_each keys are the tokens themselves, known at plan, so no order of creation is involved.",
  regionRequired: "The module takes the AWS provider's region when region is unset (null or \"\"), and refuses a given region that differs from the provider's (the plan-time rule regionProvider).",
  booleanType: "Terraform's bool type: a value that is not true or false (or the strings \"true\"/\"false\") fails type conversion before any validation runs.",
  textType: "Terraform's string type: numbers and bools become strings, anything else fails type conversion before any validation runs.",
  bucketText: "Terraform's string type: numbers and bools become strings, anything else fails type conversion.",
  tagsObject: "Terraform's map(string) type: anything but a map or object of strings fails type conversion.",
  tagValueString: "Terraform's map(string) type converts numbers and bools to strings, as Terraform does everywhere (the module accepts 42 as \"42\"); other values fail type conversion.",
  derivedRoleNameLength: "Derived names: the message names the derived role name and its length, and rules.ts checks derived names only when all ten props they are made of are valid; the AWS provider checks IAM role names (1-64 of [\\w+=,.@-]) at plan time.",
  derivedRoleNameCharacters: "Derived names (see derivedRoleNameLength); the AWS provider checks IAM role name characters at plan time.",
  derivedRoleNameDuplicate: "Derived names (see derivedRoleNameLength): two project IDs differing only in case cannot both pass the project ID rule (digits only), and names given per project are checked against each other (projectRoleNameDuplicate); a name given for one project that equals another's derived name is refused by IAM at apply.",
  derivedPolicyName: "Derived names (see derivedRoleNameLength); the AWS provider checks IAM policy names (1-128) at plan time.",
  glueDatabaseRegion: "Implied in the module by the plan-time rule regionProvider: a given region must be the AWS provider's, and an unset one is the provider's, where a created Glue database goes.",
  adoptValues: "Not a module variable (see NOT_MODULE_VARIABLES.adopt): the adopt command takes --bucket and --role flags and refuses anything else.",
  adoptBucketNotCreated: "Not a module variable (see NOT_MODULE_VARIABLES.adopt): the adopt command prints no bucket import when the module call does not create the bucket.",
  adoptRoleNeedsName: "Not a module variable (see NOT_MODULE_VARIABLES.adopt): the adopt command's --role flag takes the role's name.",
  adoptRolePerProject: "Not a module variable (see NOT_MODULE_VARIABLES.adopt): the adopt command takes --role <token>=<name> for per-project roles, and its usage tells to set role_name on each project to that name.",
  derivedKmsAlias: "Derived names (see derivedRoleNameLength): the alias is alias/<name prefix>mixpanel-export, and the name prefix long enough to exceed 256 characters already makes the derived role name too long.",
};

// --- HCL building blocks ---

/** An HCL quoted string: JSON escapes are HCL's, and `${` / `%{` would start a template sequence. */
export function hclString(text: string): string {
  return escapeTemplate(JSON.stringify(text));
}

/** Literal text inside a Terraform string template. */
export function escapeTemplate(text: string): string {
  // A function, not a replacement string: in one, "$$" stands for a single "$".
  return text.replace(/\$\{/g, () => "$${").replace(/%\{/g, "%%{");
}

const matches = (pattern: { re2: string }, value: string) => `can(regex(${hclString(pattern.re2)}, ${value}))`;
const list = (items: readonly string[]) => `[${items.map(hclString).join(", ")}]`;
/** True when `value` is null (unset), else `condition`. */
const unlessNull = (value: string, condition: string) => `${value} == null ? true : (${condition})`;
/** True when `value` is null or "" (both unset for rules.ts), else `condition`. */
const unlessBlank = (value: string, condition: string) => `${value} == null ? true : (${value} == "" ? true : (${condition}))`;
const wholeNumber = (value: string) => `floor(${value}) == ${value}`;

const ENCRYPTION = 'upper(var.encryption == null ? "NONE" : var.encryption)';
/** rules.ts skips every KMS rule while the encryption itself is invalid. */
const ENCRYPTION_VALID = `contains(${list(ENCRYPTION_TYPES)}, ${ENCRYPTION})`;
const IS_KMS = `${ENCRYPTION} == "KMS"`;
/** The two ways to give a key: a literal ARN, or a key object whose presence is known even while its ARN is not. */
const KEY_ARN = "var.kms_key_arn";
const KEY_ARN_GIVEN = `(${KEY_ARN} == null ? false : ${KEY_ARN} != "")`;
const KEY_OBJECT_GIVEN = "var.kms_key != null";
const KEY_GIVEN = `(${KEY_ARN_GIVEN} || ${KEY_OBJECT_GIVEN})`;
const keyIsAlias = (key: string) => `(strcontains(${key}, ":alias/") || startswith(${key}, "alias/"))`;
const CREATE_KEY = "var.create_kms_key == true";

/** A project has an ID ("" is none, as in rules.ts). */
const hasProjectId = (p: string) => `(${p} == null ? false : (${p}.project_id == null ? false : ${p}.project_id != ""))`;
/** Every project has an ID (true for no projects). */
const EVERY_PROJECT_ID = `(var.projects == null ? true : alltrue([for p in var.projects : ${hasProjectId("p")}]))`;
/** For each listed project (null entries skipped), `condition` on `p`. */
const forEachProject = (condition: string) => unlessNull("var.projects", `alltrue([for p in var.projects : p == null ? true : (${condition})])`);

// --- Messages ---

/** Construct props named in rule texts, by variable name: `set createKmsKey to false` reads `set create_kms_key to false`. */
const PROP_NAMES = [...SETTINGS.map((s) => s.prop.replace(/^projects\[\]\./, "")), "projectId"].filter((prop) => /[A-Z]/.test(prop));

export function inModuleTerms(text: string): string {
  return PROP_NAMES.reduce((result, prop) => result.replace(new RegExp(`\\b${prop}\\b`, "g"), variableName(prop)), text);
}

/** `bucketName` -> `bucket_name`; `projects[].projectId` -> `projects[].project_id`. */
export function variableName(prop: string): string {
  return prop.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

/**
 * The message of a validation: `<setting>: <rule>. Fix: <fix>.` The `<rule>. Fix: <fix>` part is what the
 * synth-time message has after the setting and value ({@link ruleAndFix}, shared with formatProblem), with
 * construct prop names in it given as variable names. Terraform prints the value itself, above the message.
 * Returns plain text; {@link escapeTemplate} it for a template.
 */
export function moduleErrorMessage(prop: string, text: RuleText, detail?: string, subject = variableName(prop)): string {
  const message = `${subject}: ${ruleAndFix(withDetail(inModuleTerms(text.rule), detail), inModuleTerms(text.fix))}`;
  return /[.?!]$/.test(message) ? message : `${message}.`;
}

/** A rule with fixed words: the message as a template (its literal text escaped). */
function fixedMessage(id: FixedRuleId, prop: string, detail?: string, subject?: string): string {
  return escapeTemplate(moduleErrorMessage(prop, RULES[id], detail, subject));
}

/**
 * A message naming values: `render` gets one placeholder per value and returns the plain text; the literal text
 * is escaped and each placeholder becomes the `${expression}` given for it.
 */
function spliced(expressions: readonly string[], render: (...placeholders: string[]) => string): string {
  const placeholders = expressions.map((_, i) => `\u0000${i}\u0000`);
  let message = escapeTemplate(render(...placeholders));
  expressions.forEach((expression, i) => { message = message.split(placeholders[i]).join(`\${${expression}}`); });
  return message;
}

/** A rule whose words name values (see {@link spliced}). */
function templateMessage(prop: string, expressions: readonly string[], build: (...placeholders: string[]) => RuleText, subject?: string): string {
  return spliced(expressions, (...placeholders) => moduleErrorMessage(prop, build(...placeholders), undefined, subject));
}

// --- The validations ---

type Rule = { id: FixedRuleId; prop: string; detail?: string; subject?: string; condition: string };

function fixed(variable: string, rules: readonly Rule[]): ModuleValidation[] {
  return rules.map((rule) => ({ variable, ...rule, error_message: fixedMessage(rule.id, rule.prop, rule.detail, rule.subject) }));
}

/**
 * The key ARN rules, on either way of giving a key: `key` is the ARN (checked when given), `given` whether a key
 * was given, `guard` wraps each condition (the key object's ARN exists only when the object does).
 */
function kmsKeyRules(variable: string, key: string, given: string, guard: (condition: string) => string, subject?: string): ModuleValidation[] {
  const keyRegion = `try(regex(${hclString(PATTERNS.kmsKeyArn.re2)}, ${key})[0], ${BUCKET_REGION})`;
  const prop = "kmsKeyArn";
  return [
    ...fixed(variable, [
      { id: "kmsKeyOnlyWithKms", prop, subject, condition: `${given} && ${ENCRYPTION_VALID} ? ${IS_KMS} : true` },
      { id: "kmsKeyArnAlias", prop, subject, condition: guard(unlessBlank(key, `!${ENCRYPTION_VALID} || ${matches(PATTERNS.kmsKeyArn, key)} || !${keyIsAlias(key)}`)) },
      {
        id: "kmsKeyArnNotKeyArn", prop, subject,
        condition: guard(unlessBlank(key, `!${ENCRYPTION_VALID} || ${matches(PATTERNS.kmsKeyArn, key)} || ${keyIsAlias(key)} || !startswith(${key}, "arn:")`)),
      },
      {
        id: "kmsKeyArnBareId", prop, subject,
        condition: guard(unlessBlank(key, `!${ENCRYPTION_VALID} || ${matches(PATTERNS.kmsKeyArn, key)} || ${keyIsAlias(key)} || startswith(${key}, "arn:")`)),
      },
    ]),
    {
      variable, id: "kmsKeyRegion", prop, subject,
      condition: guard(unlessBlank(key, `!${ENCRYPTION_VALID} || ${keyRegion} == ${BUCKET_REGION}`)),
      // When the condition fails the ARN is a key ARN, whose fourth field is the region. Terraform evaluates the
      // message whether or not the condition holds (and warns when that fails), hence the try().
      error_message: templateMessage(prop, [`try(split(":", ${key})[3], "")`, BUCKET_REGION], RULES.kmsKeyRegion, subject),
    },
  ];
}

/** AWS's rules for general purpose bucket names, on a variable where null and "" are handled by the caller's guard. */
function bucketNameRules(prop: string, guard: (condition: string) => string, name: string): Rule[] {
  const rule = (id: FixedRuleId, condition: string, detail?: string): Rule => ({ id, prop, detail, condition: guard(condition) });
  const { min, max } = LIMITS.bucketName;
  return [
    rule("bucketLength", `length(${name}) >= ${min} && length(${name}) <= ${max}`),
    rule("bucketCharacters", matches(PATTERNS.bucketCharacters, name)),
    rule("bucketStartEnd", matches(PATTERNS.bucketStartEnd, name)),
    rule("bucketAdjacentDots", `!strcontains(${name}, "..")`),
    rule("bucketIpAddress", `!${matches(PATTERNS.ipAddress, name)}`),
    ...RESERVED_BUCKET_PREFIXES.map((prefix) => rule("bucketReservedPrefix", `!startswith(${name}, ${hclString(prefix)})`, `"${prefix}"`)),
    ...RESERVED_BUCKET_SUFFIXES.map((suffix) => rule("bucketReservedSuffix", `!endswith(${name}, ${hclString(suffix)})`, `"${suffix}"`)),
  ];
}

function buildValidations(): ModuleValidation[] {
  const token = "projects[].token";
  const projectId = "projects[].projectId";
  const tokens = "[for p in var.projects : p.token if (p == null ? false : p.token != null)]";
  const ids = `[for p in var.projects : p.project_id if ${hasProjectId("p")}]`;
  const projectRoleName = "projects[].roleName";
  // IAM role names are unique ignoring case.
  const roleNames = "[for p in var.projects : lower(p.role_name) if (p == null ? false : p.role_name != null)]";
  const externalId = LIMITS.externalId;
  const session = LIMITS.maxSessionDuration;
  const days = (variable: string, prop: string, id: "daysFromZero" | "daysFromOne") =>
    ({ id, prop, condition: unlessNull(variable, `${wholeNumber(variable)} && ${variable} >= ${id === "daysFromZero" ? 0 : 1}`) });
  const transitionToIa = (storageClass: (typeof INFREQUENT_ACCESS_CLASSES)[number]): Rule => ({
    id: storageClass === "STANDARD_IA" ? "transitionStandardIa" : "transitionOnezoneIa",
    prop: "eventsTransitionDays",
    condition: unlessNull("var.events_transition_days",
      `var.events_storage_class == ${hclString(storageClass)} ? var.events_transition_days >= ${LIMITS.infrequentAccessDays} : true`),
  });

  return [
    ...fixed("projects", [
      { id: "tokenRequired", prop: token, condition: "var.projects == null ? false : length(var.projects) > 0" },
      { id: "projectObject", prop: token, condition: unlessNull("var.projects", "alltrue([for p in var.projects : p != null])") },
      { id: "tokenMissing", prop: token, condition: forEachProject("p.token != null") },
      {
        id: "tokenExternalId", prop: token,
        condition: forEachProject(unlessNull("p.token",
          `length(p.token) >= ${externalId.min} && length(p.token) <= ${externalId.max} && ${matches(PATTERNS.externalId, "p.token")}`)),
      },
      { id: "tokenDuplicate", prop: token, condition: unlessNull("var.projects", `length(distinct(${tokens})) == length(${tokens})`) },
      {
        id: "projectIdForEveryToken", prop: projectId,
        condition: unlessNull("var.projects",
          `anytrue([for p in var.projects : p == null ? false : p.project_id != null]) ? alltrue([for p in var.projects : ${hasProjectId("p")}]) : true`),
      },
      { id: "projectIdFormat", prop: projectId, condition: forEachProject(unlessBlank("p.project_id", matches(PATTERNS.projectId, "p.project_id"))) },
      { id: "projectIdDuplicate", prop: projectId, condition: unlessNull("var.projects", `length(distinct(${ids})) == length(${ids})`) },
      { id: "roleName", prop: projectRoleName, condition: forEachProject(unlessNull("p.role_name", matches(PATTERNS.roleName, "p.role_name"))) },
      { id: "projectRoleNameNeedsRolePerProject", prop: projectRoleName, condition: `var.role_per_project == true ? true : (${forEachProject("p.role_name == null")})` },
      { id: "projectRoleNameDuplicate", prop: projectRoleName, condition: unlessNull("var.projects", `length(distinct(${roleNames})) == length(${roleNames})`) },
    ]),

    ...fixed("bucket_name", [
      { id: "bucketRequired", prop: "bucketName", condition: 'var.bucket_name == null ? false : var.bucket_name != ""' },
      ...bucketNameRules("bucketName", (condition) => unlessBlank("var.bucket_name", condition), "var.bucket_name"),
    ]),

    ...fixed("region", [
      { id: "regionFormat", prop: "region", condition: unlessBlank("var.region", matches(PATTERNS.region, "var.region")) },
      {
        id: "regionPartition", prop: "region",
        condition: unlessBlank("var.region", `!${matches(PATTERNS.region, "var.region")} || !${matches(PATTERNS.otherPartitionRegion, "var.region")}`),
      },
    ]),

    ...fixed("manage_existing_bucket", [{
      id: "manageExistingBucket", prop: "manageExistingBucket",
      condition: unlessNull("var.manage_existing_bucket", `contains(${list(EXISTING_BUCKET_MANAGEMENT)}, lower(var.manage_existing_bucket))`),
    }]),

    ...fixed("encryption", [{
      id: "encryptionValues", prop: "encryption",
      condition: unlessNull("var.encryption", `contains(${list(ENCRYPTION_TYPES)}, upper(var.encryption))`),
    }]),

    ...kmsKeyRules("kms_key_arn", KEY_ARN, KEY_ARN_GIVEN, (condition) => condition),
    ...kmsKeyRules("kms_key", "var.kms_key.arn", KEY_OBJECT_GIVEN, (condition) => unlessNull("var.kms_key", condition), "kms_key"),

    ...fixed("create_kms_key", [
      { id: "kmsKeyAndCreateKey", prop: "createKmsKey", condition: `!(${CREATE_KEY} && ${KEY_GIVEN} && ${ENCRYPTION_VALID})` },
      { id: "createKmsKeyOnlyWithKms", prop: "createKmsKey", condition: `!(${CREATE_KEY} && ${ENCRYPTION_VALID} && !(${IS_KMS}))` },
    ]),

    ...fixed("scope_to_project_prefix", [
      { id: "scopeNeedsRolePerProject", prop: "scopeToProjectPrefix", condition: "!(var.scope_to_project_prefix == true && var.role_per_project != true)" },
      { id: "scopeNeedsProjectIds", prop: "scopeToProjectPrefix", condition: `var.scope_to_project_prefix == true ? ${EVERY_PROJECT_ID} : true` },
    ]),
    ...fixed("role_name", [{ id: "roleName", prop: "roleName", condition: unlessNull("var.role_name", matches(PATTERNS.roleName, "var.role_name")) }]),
    ...fixed("role_path", [{
      id: "rolePath", prop: "rolePath",
      condition: unlessNull("var.role_path", `${matches(PATTERNS.rolePath, "var.role_path")} && length(var.role_path) <= ${LIMITS.rolePath}`),
    }]),
    ...fixed("permissions_boundary_arn", [{
      id: "permissionsBoundaryArn", prop: "permissionsBoundaryArn",
      condition: unlessNull("var.permissions_boundary_arn", matches(PATTERNS.policyArn, "var.permissions_boundary_arn")),
    }]),
    ...fixed("max_session_duration", [{
      id: "maxSessionDuration", prop: "maxSessionDuration",
      condition: unlessNull("var.max_session_duration",
        `${wholeNumber("var.max_session_duration")} && var.max_session_duration >= ${session.min} && var.max_session_duration <= ${session.max}`),
    }]),
    ...fixed("name_prefix", [{ id: "namePrefix", prop: "namePrefix", condition: unlessNull("var.name_prefix", matches(PATTERNS.namePrefix, "var.name_prefix")) }]),

    ...fixed("tags", [
      { id: "tagCount", prop: "tags", condition: unlessNull("var.tags", `length(var.tags) <= ${LIMITS.tags}`) },
      {
        id: "tagKeyLength", prop: "tags",
        condition: unlessNull("var.tags", `alltrue([for k in keys(var.tags) : length(k) >= ${LIMITS.tagKey.min} && length(k) <= ${LIMITS.tagKey.max}])`),
      },
      { id: "tagKeyReserved", prop: "tags", condition: unlessNull("var.tags", `alltrue([for k in keys(var.tags) : !${matches(PATTERNS.reservedTagKey, "k")}])`) },
      { id: "tagKeyCharacters", prop: "tags", condition: unlessNull("var.tags", `alltrue([for k in keys(var.tags) : ${matches(PATTERNS.tagText, "k")}])`) },
      { id: "tagValueLength", prop: "tags", condition: unlessNull("var.tags", `alltrue([for v in values(var.tags) : v == null ? true : length(v) <= ${LIMITS.tagValue}])`) },
      { id: "tagValueCharacters", prop: "tags", condition: unlessNull("var.tags", `alltrue([for v in values(var.tags) : v == null ? true : ${matches(PATTERNS.tagText, "v")}])`) },
    ]),

    ...fixed("abort_incomplete_uploads_days", [days("var.abort_incomplete_uploads_days", "abortIncompleteUploadsDays", "daysFromZero")]),
    ...fixed("events_transition_days", [
      days("var.events_transition_days", "eventsTransitionDays", "daysFromOne"),
      ...INFREQUENT_ACCESS_CLASSES.map(transitionToIa),
      { id: "eventRulesNeedProjectIds", prop: "eventsTransitionDays", condition: unlessNull("var.events_transition_days", EVERY_PROJECT_ID) },
    ]),
    ...fixed("events_storage_class", [{
      id: "storageClass", prop: "eventsStorageClass",
      condition: unlessNull("var.events_storage_class", `contains(${list(EVENT_STORAGE_CLASSES)}, var.events_storage_class)`),
    }]),
    ...fixed("events_expiration_days", [
      days("var.events_expiration_days", "eventsExpirationDays", "daysFromOne"),
      {
        id: "expirationAfterTransition", prop: "eventsExpirationDays",
        condition: unlessNull("var.events_expiration_days", unlessNull("var.events_transition_days", "var.events_expiration_days > var.events_transition_days")),
      },
      // Reported on the transition days instead when both are set, as rules.ts does.
      {
        id: "eventRulesNeedProjectIds", prop: "eventsExpirationDays",
        condition: unlessNull("var.events_expiration_days", `var.events_transition_days != null ? true : ${EVERY_PROJECT_ID}`),
      },
    ]),
    ...fixed("noncurrent_version_expiration_days", [days("var.noncurrent_version_expiration_days", "noncurrentVersionExpirationDays", "daysFromOne")]),

    ...fixed("access_log_bucket", [
      ...bucketNameRules("accessLogBucket", (condition) => unlessBlank("var.access_log_bucket", condition), "var.access_log_bucket"),
      { id: "accessLogSelf", prop: "accessLogBucket", condition: unlessBlank("var.access_log_bucket", "var.access_log_bucket != var.bucket_name") },
    ]),

    ...glueValidations(),
  ];
}

// --- Redshift Spectrum and the Glue catalog ---

const GLUE_DATABASE = "var.glue_database";
/** The Glue part is on ("" is unset, as in rules.ts). */
export const GLUE_ON = `(${GLUE_DATABASE} == null ? false : ${GLUE_DATABASE} != "")`;

function glueValidations(): ModuleValidation[] {
  const { max } = LIMITS.glueDatabase;
  /** rules.ts checks the characters only of a name of a valid length. */
  const ofValidLength = (condition: string) => unlessBlank(GLUE_DATABASE, `length(${GLUE_DATABASE}) > ${max} ? true : (${condition})`);
  return [
    ...fixed("glue_database", [
      { id: "glueDatabaseLength", prop: "glueDatabase", condition: unlessBlank(GLUE_DATABASE, `length(${GLUE_DATABASE}) <= ${max}`) },
      { id: "glueDatabaseUpperCase", prop: "glueDatabase", condition: ofValidLength(`!${matches(PATTERNS.glueDatabaseUpperCase, GLUE_DATABASE)}`) },
      { id: "glueDatabaseCharacters", prop: "glueDatabase", condition: ofValidLength(matches(PATTERNS.glueDatabaseCharacters, GLUE_DATABASE)) },
    ]),
    ...fixed("create_glue_database", [
      { id: "glueSettingNeedsDatabase", prop: "createGlueDatabase", condition: `var.create_glue_database == false ? ${GLUE_ON} : true` },
    ]),
    ...fixed("glue_scope_to_database", [
      { id: "glueSettingNeedsDatabase", prop: "glueScopeToDatabase", condition: `var.glue_scope_to_database == false ? ${GLUE_ON} : true` },
    ]),
    ...fixed("redshift_role", [
      { id: "redshiftNeedsGlueDatabase", prop: "redshiftRole", condition: `var.redshift_role == true ? ${GLUE_ON} : true` },
    ]),
  ];
}

let built: readonly ModuleValidation[] | undefined;

/** Every validation of the module, in variable order of appearance above. */
export function moduleValidations(): readonly ModuleValidation[] {
  built ??= buildValidations();
  return built;
}

/** `<subject>: <rule>. Fix: <fix>.` for a plan-time rule (plain text). */
function planMessage(subject: string, text: RuleText): string {
  return `${subject}: ${ruleAndFix(text.rule, text.fix)}.`;
}

/**
 * Whether the module uses a customer managed key (`local.has_customer_key`), for the `count` and `for_each` that
 * depend on it, with the rule kmsKeyArnKnownAtPlan as a comment in front. A kms_key_arn unknown at plan makes it
 * unknown, and nothing of the module can fail first with its own message (see TERRAFORM_ERROR_RULES.kmsKeyArnKnownAtPlan):
 * Terraform's "Invalid count argument" error prints the line of the count, and so this comment.
 */
export const HAS_CUSTOMER_KEY = `/* ${planMessage("kms_key_arn", TERRAFORM_ERROR_RULES.kmsKeyArnKnownAtPlan)} */ local.has_customer_key`;

function buildPlanTimeValidations(): PlanTimeValidation[] {
  const tokens = "[for p in var.projects : p == null ? null : p.token]";
  return [
    {
      variable: "region", id: "regionProvider",
      condition: unlessBlank("var.region", `var.region == ${PROVIDER_REGION}`),
      // Terraform evaluates the message whether or not the condition holds (and warns when that fails): no null in it.
      error_message: spliced(['var.region == null ? "" : var.region', PROVIDER_REGION],
        (given, provider) => planMessage("region", PLAN_RULES.regionProvider(given, provider))),
    },
    {
      variable: "region", id: "providerRegionPartition",
      condition: `var.region == null ? !${matches(PATTERNS.otherPartitionRegion, PROVIDER_REGION)} : (var.region != "" ? true : !${matches(PATTERNS.otherPartitionRegion, PROVIDER_REGION)})`,
      error_message: escapeTemplate(planMessage("region", PLAN_RULES.providerRegionPartition)),
    },
    {
      variable: "kms_key", id: "kmsKeyObjectArn",
      condition: unlessNull("var.kms_key", 'var.kms_key.arn == null ? false : var.kms_key.arn != ""'),
      error_message: escapeTemplate(planMessage("kms_key", PLAN_RULES.kmsKeyObjectArn)),
    },
    {
      variable: "kms_key", id: "kmsKeyGivenTwice",
      condition: unlessNull("var.kms_key", `!${KEY_ARN_GIVEN}`),
      error_message: escapeTemplate(planMessage("kms_key", PLAN_RULES.kmsKeyGivenTwice)),
    },
    {
      // jsonencode() carries the marks of every token into one value, which issensitive() can then see (a list
      // holding a sensitive token is not itself sensitive). Unknown tokens leave the check to apply time.
      variable: "projects", id: "tokenSensitiveKey",
      condition: `var.role_per_project != true ? true : (var.projects == null ? true : !issensitive(jsonencode(${tokens})))`,
      error_message: escapeTemplate(planMessage("projects[].token", PLAN_RULES.tokenSensitiveKey)),
    },
  ];
}

let builtPlanTime: readonly PlanTimeValidation[] | undefined;

/** The validations only Terraform can check at plan (see {@link PlanTimeValidation}). */
export function planTimeValidations(): readonly PlanTimeValidation[] {
  builtPlanTime ??= buildPlanTimeValidations();
  return builtPlanTime;
}

/**
 * The validation blocks of one variable, as Terraform JSON syntax writes them (the condition as `${...}`): the
 * synth-time rules, then the plan-time ones.
 */
export function validationBlocks(variable: string): { condition: string; error_message: string }[] {
  return [...moduleValidations(), ...planTimeValidations()]
    .filter((v) => v.variable === variable)
    .map((v) => ({ condition: `\${${v.condition}}`, error_message: v.error_message }));
}
