import { withDefaults } from "../config/props";
import { TERRAFORM_ERROR_RULES } from "../rules/texts";
import { SETTINGS, SettingSpec } from "../settings/catalog";
import { validationBlocks, variableName } from "./validations";

/**
 * The Terraform module's input variables: one per construct prop, named in snake_case, typed, described
 * and defaulted from the same settings catalog that documents the stack (one source of truth).
 */
export interface ModuleVariable {
  readonly name: string;
  readonly type: string;
  readonly description: string;
  /** `undefined`: required. `null`: optional, meaning "not set" (AWS's or the module's own default). */
  readonly default?: unknown;
  /** The construct prop this variable sets. */
  readonly prop: string;
  /** Terraform `validation` blocks: the synth-time rules, as conditions (see validations.ts), in JSON syntax. */
  readonly validation?: readonly { readonly condition: string; readonly error_message: string }[];
}

const upperFirst = (text: string) => `${text.charAt(0).toUpperCase()}${text.slice(1)}`;

/** `bucketName` -> `bucket_name`. */
export function snakeCase(prop: string): string {
  return variableName(prop);
}

const TYPES: Record<SettingSpec["kind"], string> = {
  string: "string",
  list: "list(string)",
  boolean: "bool",
  integer: "number",
  tags: "map(string)",
  enum: "string",
};

/**
 * A variable's default is the construct's own default; `null` where the construct derives the default from
 * other props (the module derives it the same way) or where "not set" is the default.
 */
const CONSTRUCT_DEFAULTS: Readonly<Record<string, unknown>> = withDefaults({ projects: [], bucketName: "", region: "" });
const DERIVED_DEFAULTS = new Set(["roleName", "accessLogPrefix", "region"]);

function moduleDefault(prop: string): unknown {
  if (DERIVED_DEFAULTS.has(prop)) return null;
  return CONSTRUCT_DEFAULTS[prop] ?? null;
}

/** Required inputs: no default. The region is optional: the module takes the AWS provider's. */
const REQUIRED = new Set(["bucketName"]);

/**
 * Where the settings catalog speaks of the deployable stack (environment variables, cdktf.json, JSON text), the
 * module's own words: what a module user sets, and what must be known at plan.
 */
const MODULE_WORDS: Readonly<Record<string, { description?: string; defaultText?: string }>> = {
  region: {
    description: "AWS region of the bucket, reported to Mixpanel as Region. The bucket is made where the AWS provider given to the module is; leave this unset to report the provider's region. When set, it must be the provider's region (checked at plan).",
    defaultText: "the AWS provider's region",
  },
  kmsKeyArn: {
    // What must be known at plan first: where it is not, Terraform's own error stands (TERRAFORM_ERROR_RULES.kmsKeyArnKnownAtPlan).
    description: `${upperFirst(TERRAFORM_ERROR_RULES.kmsKeyArnKnownAtPlan.rule)}: ${TERRAFORM_ERROR_RULES.kmsKeyArnKnownAtPlan.fix}. ` +
      "With KMS: ARN of an existing customer managed key in the bucket's region. Without a key, and without creating one, the AWS-managed aws/s3 key is used.",
  },
  tags: {
    description: "Tags for every taggable resource, as a map of strings; merged with the provider's default_tags (these win on the same key).",
  },
};

/**
 * Settings that are not module variables, and why: Terraform forbids variables in `lifecycle`, so the
 * module always protects the bucket and a created key with prevent_destroy.
 */
export const NOT_MODULE_VARIABLES: Readonly<Record<string, string>> = {
  preventDestroy: "Terraform does not allow variables in lifecycle blocks, so the module always sets prevent_destroy on the bucket, a created KMS key and a created Glue database.",
  adopt: "Before Terraform 1.16, import blocks may stand only in the root module: `npx mixpanel-s3-export adopt --module <address> ...` prints the import blocks for the module call, to paste into the root.",
};

/** The variables with their validation blocks (the synth-time rules; warnings are synth-time only). */
export function moduleVariables(): ModuleVariable[] {
  return variablesWithoutValidation().map((variable) => {
    const validation = validationBlocks(variable.name);
    return validation.length > 0 ? { ...variable, validation } : variable;
  });
}

function variablesWithoutValidation(): ModuleVariable[] {
  const projects: ModuleVariable = {
    name: "projects",
    prop: "projects",
    type: "list(object({ token = string, project_id = optional(string), role_name = optional(string) }))",
    description: "The Mixpanel projects exporting into the bucket: each project's token (the external ID Mixpanel presents) and, optionally, its project ID (needed for prefix scoping and event lifecycle rules). How many there are must be known at plan. Tokens may be sensitive or known only after apply with one shared role; with role_per_project they key the roles' addresses, so they must be known at plan and not sensitive (checked). With role_per_project, role_name names that project's role (default: <role_name>-<project_id, or token>), e.g. a role made by hand that is adopted.",
  };
  // A key object: whether a customer key is used is known at plan from the object, even while its ARN is not.
  const kmsKey: ModuleVariable = {
    name: "kms_key",
    prop: "kmsKeyArn",
    type: "object({ arn = string })",
    description: "With KMS: an existing customer managed key in the bucket's region, as { arn = aws_kms_key.<name>.arn }. Its ARN may be known only after apply (a key created in the same configuration). Give the key either here or as kms_key_arn.",
    default: null,
  };
  const fromCatalog = SETTINGS
    .filter((spec) => !spec.prop.startsWith("projects") && !(spec.prop in NOT_MODULE_VARIABLES))
    .map((spec): ModuleVariable => {
      const words = MODULE_WORDS[spec.prop] ?? {};
      const defaultText = words.defaultText ?? spec.defaultText;
      return {
        name: snakeCase(spec.prop),
        prop: spec.prop,
        type: TYPES[spec.kind],
        description: `${words.description ?? spec.description}${spec.values ? ` One of: ${spec.values.join(", ")}.` : ""}${REQUIRED.has(spec.prop) ? "" : ` Default: ${defaultText}.`}`,
        ...(REQUIRED.has(spec.prop) ? {} : { default: moduleDefault(spec.prop) }),
      };
    });
  const keyArnAt = fromCatalog.findIndex((v) => v.prop === "kmsKeyArn") + 1;
  return [projects, ...fromCatalog.slice(0, keyArnAt), kmsKey, ...fromCatalog.slice(keyArnAt)];
}
