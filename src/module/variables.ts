import { withDefaults } from "../config/props";
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
const DERIVED_DEFAULTS = new Set(["roleName", "accessLogPrefix"]);

function moduleDefault(prop: string): unknown {
  if (DERIVED_DEFAULTS.has(prop)) return null;
  return CONSTRUCT_DEFAULTS[prop] ?? null;
}

/** Required inputs: no default. */
const REQUIRED = new Set(["bucketName", "region"]);

/**
 * Settings that are not module variables, and why: Terraform forbids variables in `lifecycle`, so the
 * module always protects the bucket and a created key with prevent_destroy.
 */
export const NOT_MODULE_VARIABLES: Readonly<Record<string, string>> = {
  preventDestroy: "Terraform does not allow variables in lifecycle blocks, so the module always sets prevent_destroy on the bucket and a created KMS key.",
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
    type: "list(object({ token = string, project_id = optional(string) }))",
    description: "The Mixpanel projects exporting into the bucket: each project's token (the external ID Mixpanel presents) and, optionally, its project ID (needed for prefix scoping and event lifecycle rules).",
  };
  const fromCatalog = SETTINGS
    .filter((spec) => !spec.prop.startsWith("projects") && !(spec.prop in NOT_MODULE_VARIABLES))
    .map((spec): ModuleVariable => ({
      name: snakeCase(spec.prop),
      prop: spec.prop,
      type: TYPES[spec.kind],
      description: `${spec.description}${spec.values ? ` One of: ${spec.values.join(", ")}.` : ""}${REQUIRED.has(spec.prop) ? "" : ` Default: ${spec.defaultText}.`}`,
      ...(REQUIRED.has(spec.prop) ? {} : { default: moduleDefault(spec.prop) }),
    }));
  return [projects, ...fromCatalog];
}
