import { EncryptionType, ENCRYPTION_TYPES } from "../mixpanel";
import { moduleAddressProblem } from "../rules/module-address";
import { bucketNameBreaks } from "../rules/bucket-name";
import { LIMITS, PATTERNS } from "../rules/patterns";
import { RULES } from "../rules/texts";
import { hclString, moduleErrorMessage } from "./validations";

/**
 * Import blocks that adopt a set-up made by hand into a call of the registry module. Before Terraform 1.16
 * import blocks may stand only in the root module, so `mixpanel-s3-export adopt` prints them for the user's
 * root; their targets are the module's own addresses (src/module/module-json.ts), instance keys included.
 */

/** The module's resources an adoption imports, at their addresses inside the module (a test checks them against the module). */
export const MODULE_ADOPTION_TARGETS = {
  bucket: "aws_s3_bucket.this[0]",
  encryption: "aws_s3_bucket_server_side_encryption_configuration.this[0]",
  publicAccessBlock: "aws_s3_bucket_public_access_block.this[0]",
  ownership: "aws_s3_bucket_ownership_controls.this[0]",
  /** Keyed by the module's role key: `shared`, or the project's token with per-project roles. */
  role: (key: string) => `aws_iam_role.this[${JSON.stringify(key)}]`,
} as const;

/** The module's key of its one shared role. */
export const SHARED_ROLE_KEY = "shared";

export interface ModuleAdoption {
  /** Address of the module call in the root, e.g. `module.mixpanel` or `module.mixpanel["prod"]`. */
  readonly moduleAddress: string;
  /** The bucket made by hand, adopted with the configuration S3 keeps for every bucket. */
  readonly bucket?: {
    readonly name: string;
    /** The module call's `encryption`: with NONE the module manages no default encryption, so none is imported. */
    readonly encryption: EncryptionType;
    /** The module call's `block_public_access` (the module's default: true). */
    readonly blockPublicAccess: boolean;
    /** The module call's `enforce_bucket_owner` (the module's default: true). */
    readonly enforceBucketOwner: boolean;
  };
  /** The roles made by hand: the shared role (no token), or per-project roles, each by its project's token. */
  readonly roles: readonly { readonly token?: string; readonly name: string }[];
}

export interface ImportBlock {
  readonly to: string;
  readonly id: string;
}

/**
 * Every problem with a request, each naming the flag, the value and the rule (empty when it is fine). The
 * bucket, role names and tokens are checked by the module's own rules, in the words of its validation
 * messages ({@link moduleErrorMessage}), with the flag and value where the module names its variable.
 */
export function adoptionProblems(adoption: ModuleAdoption): string[] {
  const problems: string[] = [];
  const address = adoption.moduleAddress === ""
    ? "--module <address> is required: the address of the module call in your root, e.g. module.mixpanel"
    : moduleAddressProblem("--module", adoption.moduleAddress);
  if (address !== undefined) problems.push(address);
  if (adoption.bucket === undefined && adoption.roles.length === 0) {
    problems.push("nothing to adopt: give --bucket <name>, --role <name> (or --role <token>=<name> per project), or both");
  }
  const bucket = adoption.bucket;
  if (bucket && !ENCRYPTION_TYPES.includes(bucket.encryption)) {
    problems.push(`--encryption ${bucket.encryption}: one of ${ENCRYPTION_TYPES.join(", ")}, as the module call's encryption`);
  }
  if (bucket && bucket.name !== "") {
    for (const { id, detail } of bucketNameBreaks(bucket.name)) problems.push(moduleErrorMessage("bucketName", RULES[id], detail, `--bucket ${bucket.name}`));
  }
  const shared = adoption.roles.filter((role) => role.token === undefined);
  if (shared.length > 1) {
    problems.push(`--role ${shared.map((role) => role.name).join(", ")}: a module call has one shared role, so --role <name> is given once; with role_per_project give --role <token>=<name> for each project`);
  } else if (shared.length === 1 && adoption.roles.length > 1) {
    problems.push("--role: either one shared role (--role <name>) or per-project roles (--role <token>=<name> for each), not both");
  }
  const tokens = adoption.roles.flatMap((role) => (role.token === undefined ? [] : [role.token]));
  for (const token of new Set(tokens)) {
    if (!(token.length >= LIMITS.externalId.min && token.length <= LIMITS.externalId.max && PATTERNS.externalId.js.test(token))) {
      problems.push(moduleErrorMessage("projects[].token", RULES.tokenExternalId, undefined, `--role ${token}=...`));
    }
  }
  for (const token of new Set(tokens.filter((token, i) => tokens.indexOf(token) !== i))) {
    problems.push(moduleErrorMessage("projects[].token", RULES.tokenDuplicate, undefined, `--role ${token}=...`));
  }
  for (const role of adoption.roles) {
    if (role.name !== "" && !PATTERNS.roleName.js.test(role.name)) {
      problems.push(moduleErrorMessage("roleName", RULES.roleName, undefined, `--role ${role.token === undefined ? "" : `${role.token}=`}${role.name}`));
    }
  }
  return problems;
}

/** The import blocks for an adoption (call {@link adoptionProblems} first). */
export function moduleImportBlocks(adoption: ModuleAdoption): ImportBlock[] {
  const at = (address: string) => `${adoption.moduleAddress}.${address}`;
  const blocks: ImportBlock[] = [];
  const bucket = adoption.bucket;
  if (bucket) {
    blocks.push({ to: at(MODULE_ADOPTION_TARGETS.bucket), id: bucket.name });
    if (bucket.encryption !== "NONE") blocks.push({ to: at(MODULE_ADOPTION_TARGETS.encryption), id: bucket.name });
    if (bucket.blockPublicAccess) blocks.push({ to: at(MODULE_ADOPTION_TARGETS.publicAccessBlock), id: bucket.name });
    if (bucket.enforceBucketOwner) blocks.push({ to: at(MODULE_ADOPTION_TARGETS.ownership), id: bucket.name });
  }
  for (const role of adoption.roles) blocks.push({ to: at(MODULE_ADOPTION_TARGETS.role(role.token ?? SHARED_ROLE_KEY)), id: role.name });
  return blocks;
}

/**
 * The blocks as HCL, for a root module's `.tf` file. The id is an HCL string, its `${` and `%{` escaped; the
 * address is Terraform's own, whose keys Terraform writes escaped already ({@link moduleAddressProblem}).
 */
export function renderImportBlocks(blocks: readonly ImportBlock[]): string {
  return blocks.map((block) => `import {\n  to = ${block.to}\n  id = ${hclString(block.id)}\n}\n`).join("\n");
}

/** One step of a module call's address: `module.<name>`, with its instance key as written (`0`, `"prod"`) or none. */
interface CallStep {
  readonly name: string;
  readonly key?: string;
}

/** The steps of a module call's address (one that {@link moduleAddressProblem} accepts). */
function callSteps(address: string): CallStep[] {
  return [...address.matchAll(/module\.([A-Za-z_][\w-]*)(?:\[(\d+|"[^"\\]*")\])?/g)].map(([, name, key]) => ({ name, key }));
}

const stepsAddress = (steps: readonly CallStep[]) => steps.map((step) => `module.${step.name}${step.key === undefined ? "" : `[${step.key}]`}`).join(".");

/** The calls of `address` written without an instance key (e.g. `module.mixpanel`), which adopt cannot check without a plan. */
export function callsWithoutKey(address: string): string[] {
  const steps = callSteps(address);
  return steps.flatMap((step, i) => (step.key === undefined ? [stepsAddress(steps.slice(0, i + 1))] : []));
}

/**
 * What is wrong with `address` as a call in a plan's root (`adopt --plan`): a call the configuration lacks, a
 * call with count or for_each written without its instance key (naming the plan's instances to choose from),
 * or a key on a call without either. `moduleAddresses` are the plan's module instances, e.g. `module.m["a"]`.
 */
export function moduleCallProblems(address: string, plan: { configuration?: unknown }, moduleAddresses: readonly string[], file: string): string[] {
  type Call = { count_expression?: unknown; for_each_expression?: unknown; module?: { module_calls?: Record<string, Call> } };
  const configuration = plan.configuration as { root_module?: { module_calls?: Record<string, Call> } } | undefined;
  let calls = configuration?.root_module?.module_calls ?? {};
  const steps = callSteps(address);
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i];
    const at = stepsAddress([...steps.slice(0, i), { name: step.name }]);
    const call = Object.hasOwn(calls, step.name) ? calls[step.name] : undefined;
    if (call === undefined) {
      const known = Object.keys(calls).sort();
      return [`--module ${address}: ${file} has no module call ${at}; ${known.length > 0 ? `its calls there are ${known.map((name) => stepsAddress([...steps.slice(0, i), { name }])).join(", ")}` : "it calls no module there"}`];
    }
    // The instances of this call the plan has, under the instances given before it.
    const instances = moduleAddresses.map(callSteps).filter((theirs) => theirs.length === i + 1
      && theirs.every((s, j) => s.name === steps[j].name && (j === i || steps[j].key === undefined || s.key === steps[j].key)))
      .map((theirs) => ({ address: stepsAddress(theirs), key: theirs[i].key }));
    // The configuration names count and for_each only when their expression has references or a constant
    // value (`toset([...])` has neither): the keys of the plan's instances tell the rest.
    const key = instances.find((instance) => instance.key !== undefined)?.key;
    const kind = "for_each_expression" in call ? "for_each" : "count_expression" in call ? "count"
      : key === undefined ? undefined : /^\d+$/.test(key) ? "count" : "for_each";
    if (step.key === undefined && kind !== undefined) {
      const addresses = [...new Set(instances.map((instance) => instance.address))].sort();
      const choose = addresses.length > 0 ? `choose one of ${addresses.join(", ")}` : `${file} plans no instance of it`;
      return [`--module ${address}: ${at} has ${kind}, so an import names one of its instances (e.g. ${at}[${kind === "count" ? "0" : '"<key>"'}]); ${choose}`];
    }
    if (step.key !== undefined && kind === undefined) {
      return [`--module ${address}: ${at} has neither count nor for_each, so it has no instance key; write ${stepsAddress([...steps.slice(0, i), { name: step.name }, ...steps.slice(i + 1)])}`];
    }
    if (step.key !== undefined && (kind === "count") !== /^\d+$/.test(step.key)) {
      return [`--module ${address}: ${at} has ${kind}, whose instance keys are ${kind === "count" ? "numbers, e.g. [0]" : 'strings, e.g. ["prod"]'}`];
    }
    calls = call.module?.module_calls ?? {};
  }
  return [];
}
