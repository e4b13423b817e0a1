import { Condition, ParsedPolicy, conditionText, parsePolicy } from "./policy";
import {
  Json, JsonObject, REFERENCES, Resources, TerraformConfig, block, blocks, bool, isObject, num, parseReference, str, stringMap,
} from "./terraform-json";

/**
 * What a synthesized stack means for Mixpanel's access, read from its Terraform JSON: who may assume which
 * role, what each role may do, how the bucket and key are protected, and the values of Mixpanel's form.
 * References between resources are resolved to names (`${aws_iam_role.mixpanel_role_F1BE2B07.arn}` becomes
 * `<ARN of role mixpanel-export>`), so two synths compare by meaning, not by Terraform's address hashes.
 */
export interface StackModel {
  readonly name: string;
  readonly roles: readonly RoleModel[];
  readonly buckets: readonly BucketModel[];
  readonly kmsKeys: readonly KmsKeyModel[];
  readonly form: readonly FormField[];
  /** Resources of types the review does not model, compared as whole JSON. */
  readonly others: readonly OtherResource[];
  /** Every external ID any trust policy names (shortened wherever the report prints them). */
  readonly externalIds: readonly string[];
}

/** One (action, resource) pair an identity policy allows or denies. */
export interface Grant {
  readonly effect: "Allow" | "Deny";
  readonly action: string;
  readonly resource: string;
  /** Canonical condition texts, sorted. */
  readonly conditions: readonly string[];
  /** Name of the policy the grant comes from. */
  readonly policy: string;
}

/** Who may assume a role: one principal and action, with the external IDs it must present. */
export interface TrustEntry {
  readonly effect: "Allow" | "Deny";
  readonly principal: string;
  readonly action: string;
  /** The `sts:ExternalId` values accepted; null: no external ID is required. */
  readonly externalIds: readonly string[] | null;
  /** Every other condition, canonical and sorted. */
  readonly conditions: readonly string[];
}

export interface RoleModel {
  /** Matching key between two synths: `name:<role name>`, or `address:<address>` when the name is not literal. */
  readonly key: string;
  readonly name: string;
  readonly address?: string;
  /** False for a role only named by an attachment (created elsewhere). */
  readonly managedHere: boolean;
  readonly path: string;
  readonly maxSessionDuration: number;
  readonly permissionsBoundary?: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly trust: readonly TrustEntry[];
  /** The trust policy's text when it cannot be read as JSON. */
  readonly trustOpaque?: string;
  readonly grants: readonly Grant[];
  /** Attached policies whose contents are not in the stack (AWS-managed or created elsewhere), by ARN. */
  readonly opaquePolicies: readonly string[];
}

export interface Encryption {
  /** `AES256`, `aws:kms` or `aws:kms:dsse`. */
  readonly algorithm: string;
  /** The key, resolved; undefined: the AWS-managed aws/s3 key. */
  readonly kmsKey?: string;
  readonly bucketKey?: boolean;
}

export interface LifecycleRule {
  readonly id: string;
  readonly text: string;
}

/** What a plan does to a bucket or KMS key it manages (for a bucket, with its configuration resources). */
export type PlanStatus = "created" | "updated" | "unchanged" | "imported" | "replaced" | "forgotten";

export interface BucketModel {
  /** Matching key: the bucket name, or the address when the name is not literal. */
  readonly key: string;
  readonly name: string;
  /** Created by this stack (an `aws_s3_bucket`), not only configured. */
  readonly created: boolean;
  /** With `created`, in a plan: what the plan does to the bucket; undefined in a synth. */
  readonly planStatus?: PlanStatus;
  readonly forceDestroy?: boolean;
  /** undefined: not visible in this input (a plan does not show `lifecycle`). */
  readonly preventDestroy?: boolean;
  readonly tags: Readonly<Record<string, string>>;
  /** The four Block Public Access settings; undefined: no public access block in the stack. */
  readonly publicAccessBlock?: Readonly<Record<string, boolean>>;
  readonly objectOwnership?: string;
  readonly policy?: ParsedPolicy;
  readonly encryption?: Encryption;
  readonly versioning?: string;
  readonly lifecycle?: readonly LifecycleRule[];
  readonly logging?: { readonly bucket: string; readonly prefix: string };
}

export interface KmsKeyModel {
  readonly key: string;
  /** `alias/<name>` when an alias in the stack targets the key, else the address. */
  readonly label: string;
  readonly address: string;
  /** In a plan: what the plan does to the key; undefined in a synth. */
  readonly planStatus?: PlanStatus;
  readonly rotation: boolean;
  readonly deletionWindowDays?: number;
  /** undefined: not visible in this input (a plan does not show `lifecycle`). */
  readonly preventDestroy?: boolean;
  /** undefined: AWS's default key policy (delegates to the account's IAM). */
  readonly policy?: ParsedPolicy;
  readonly tags: Readonly<Record<string, string>>;
}

export interface FormField {
  readonly output: string;
  /** The field of Mixpanel's form (from the output's description), or the output's name. */
  readonly label: string;
  /** The value as one comparable text. */
  readonly value: string;
  /** The value's parts: one unnamed part for a string, one per key for a map (e.g. role ARN by token). */
  readonly parts: readonly { readonly key?: string; readonly text: string }[];
}

export interface OtherResource {
  readonly address: string;
  readonly type: string;
  readonly body: string;
}

export const ROLE_TYPES = ["aws_iam_role", "aws_iam_policy", "aws_iam_role_policy_attachment", "aws_iam_role_policy", "aws_iam_policy_attachment"];
export const BUCKET_TYPES = [
  "aws_s3_bucket", "aws_s3_bucket_public_access_block", "aws_s3_bucket_ownership_controls", "aws_s3_bucket_policy",
  "aws_s3_bucket_server_side_encryption_configuration", "aws_s3_bucket_versioning", "aws_s3_bucket_lifecycle_configuration",
  "aws_s3_bucket_logging",
];
export const KMS_TYPES = ["aws_kms_key", "aws_kms_alias"];
const MODELLED = new Set([...ROLE_TYPES, ...BUCKET_TYPES, ...KMS_TYPES]);

const FORM_PREFIX = "Mixpanel form: ";
/** The stack's outputs in the order of Mixpanel's form; other outputs follow by name. */
const FORM_ORDER = ["mixpanel_bucket", "mixpanel_region", "mixpanel_role_arn", "mixpanel_role_arns", "mixpanel_encryption", "mixpanel_kms_key_id"];
const DEFAULT_SESSION_SECONDS = 3600;

/** How a resource is named in the report: `type.name` in a synth; a plan passes each instance's full address. */
export type AddressOf = (type: string, name: string) => string;

const synthAddress: AddressOf = (type, name) => `${type}.${name}`;

/**
 * Options of {@link readStack} for input that is not a synth: a plan has instance addresses, and cannot show
 * `lifecycle` settings, which stay in the configuration.
 */
export interface ReadOptions {
  readonly addressOf?: AddressOf;
  /** False: `prevent_destroy` is not visible in this input (a plan); the model says so instead of "off". */
  readonly lifecycleVisible?: boolean;
}

export function readStack(name: string, config: TerraformConfig, options: ReadOptions = {}): StackModel {
  const resources: Resources = isObject(config.resource) ? (config.resource as Resources) : {};
  const context: Context = { resources, addressOf: options.addressOf ?? synthAddress, lifecycleVisible: options.lifecycleVisible ?? true, resolve: (t) => t };
  context.resolve = referenceResolver(context);
  const resolve = context.resolve;
  const roles = readRoles(context);
  return {
    name,
    roles,
    buckets: readBuckets(context),
    kmsKeys: readKmsKeys(context),
    form: readForm(config, resolve),
    others: readOthers(context),
    externalIds: [...new Set(roles.flatMap((role) => role.trust.flatMap((entry) => entry.externalIds ?? [])))].sort(),
  };
}

// --- references ---------------------------------------------------------------------------------------

type Resolve = (text: string) => string;

interface Context {
  readonly resources: Resources;
  readonly addressOf: AddressOf;
  readonly lifecycleVisible: boolean;
  resolve: Resolve;
}

/** `${var.token}` (a cdktf TerraformVariable, or a module's variable): shown by its name, `var.token`. */
const VARIABLE = /\$\{(var\.[A-Za-z0-9_-]+)\}/g;

function referenceResolver({ resources, addressOf }: Context): Resolve {
  const of = (type: string) => resources[type] ?? {};
  const literal = (value: Json | undefined) => (typeof value === "string" && !value.includes("${") ? value : undefined);
  const aliasOf = new Map<string, string>();
  for (const alias of Object.values(of("aws_kms_alias"))) {
    const target = parseReference(alias.target_key_id);
    const aliasName = literal(alias.name);
    if (target?.type === "aws_kms_key" && aliasName && !aliasOf.has(target.name)) aliasOf.set(target.name, aliasName);
  }
  return (text: string) => text.replace(VARIABLE, "$1").replace(REFERENCES, (whole, type: string, name: string, attribute: string) => {
    const resource = of(type)[name];
    if (!resource) return whole;
    switch (type) {
      case "aws_s3_bucket": {
        const bucket = literal(resource.bucket);
        if (!bucket) return whole;
        if (attribute === "bucket" || attribute === "id") return bucket;
        return attribute === "arn" ? `arn:aws:s3:::${bucket}` : whole;
      }
      case "aws_iam_role":
      case "aws_iam_policy": {
        const label = literal(resource.name) ?? addressOf(type, name);
        if (type === "aws_iam_role") {
          if (attribute === "name" || attribute === "id") return label;
          return `<${attribute === "arn" ? "ARN" : attribute} of role ${label}>`;
        }
        if (attribute === "name") return label;
        return `<${attribute === "arn" || attribute === "id" ? "ARN" : attribute} of policy ${label}>`;
      }
      case "aws_kms_key":
        return `<KMS key ${aliasOf.get(name) ?? addressOf(type, name)}${attribute === "arn" || attribute === "key_id" || attribute === "id" ? "" : ` ${attribute}`}>`;
      default:
        return whole;
    }
  });
}

// --- roles --------------------------------------------------------------------------------------------

interface MutableRole {
  key: string;
  name: string;
  address?: string;
  managedHere: boolean;
  path: string;
  maxSessionDuration: number;
  permissionsBoundary?: string;
  tags: Record<string, string>;
  trust: TrustEntry[];
  trustOpaque?: string;
  grants: Grant[];
  opaquePolicies: string[];
}

function readRoles(context: Context): RoleModel[] {
  const { resources, resolve } = context;
  const byAddress = new Map<string, MutableRole>();
  const byName = new Map<string, MutableRole>();
  for (const [tfName, raw] of Object.entries(resources.aws_iam_role ?? {})) {
    const address = context.addressOf("aws_iam_role", tfName);
    const literalName = typeof raw.name === "string" && !raw.name.includes("${") ? raw.name : undefined;
    const name = literalName ?? (typeof raw.name_prefix === "string" ? `${resolve(raw.name_prefix)}*` : address);
    const trust = parsePolicy(raw.assume_role_policy, resolve);
    const role: MutableRole = {
      key: literalName ? `name:${literalName}` : `address:${address}`,
      name,
      address,
      managedHere: true,
      path: str(raw.path) ?? "/",
      maxSessionDuration: num(raw.max_session_duration) ?? DEFAULT_SESSION_SECONDS,
      permissionsBoundary: str(raw.permissions_boundary) !== undefined ? resolve(str(raw.permissions_boundary)!) : undefined,
      tags: stringMap(raw.tags),
      trust: "statements" in trust ? trustEntries(trust.statements) : [],
      trustOpaque: "opaque" in trust ? trust.opaque : undefined,
      grants: [],
      opaquePolicies: [],
    };
    byAddress.set(tfName, role);
    byName.set(role.name, role);
    for (const arn of Array.isArray(raw.managed_policy_arns) ? raw.managed_policy_arns : []) {
      attachPolicy(role, arn, resources, resolve);
    }
    for (const inline of blocks(raw.inline_policy)) {
      addGrants(role, parsePolicy(inline.policy, resolve), `inline policy ${str(inline.name) ?? ""}`.trim());
    }
  }

  const roleFor = (value: Json | undefined): MutableRole => {
    const reference = parseReference(value);
    const found = reference?.type === "aws_iam_role" ? byAddress.get(reference.name) : byName.get(resolve(String(value)));
    if (found) return found;
    const name = resolve(String(value));
    const external: MutableRole = {
      key: `name:${name}`, name, managedHere: false, path: "/", maxSessionDuration: DEFAULT_SESSION_SECONDS, tags: {},
      trust: [], grants: [], opaquePolicies: [],
    };
    byName.set(name, external);
    return external;
  };
  for (const attachment of Object.values(resources.aws_iam_role_policy_attachment ?? {})) {
    attachPolicy(roleFor(attachment.role), attachment.policy_arn, resources, resolve);
  }
  // The older exclusive attachment: one policy to a list of roles (and users and groups, not modelled).
  for (const attachment of Object.values(resources.aws_iam_policy_attachment ?? {})) {
    for (const role of Array.isArray(attachment.roles) ? attachment.roles : []) attachPolicy(roleFor(role), attachment.policy_arn, resources, resolve);
  }
  for (const inline of Object.values(resources.aws_iam_role_policy ?? {})) {
    addGrants(roleFor(inline.role), parsePolicy(inline.policy, resolve), `inline policy ${str(inline.name) ?? ""}`.trim());
  }
  const all = new Set<MutableRole>([...byAddress.values(), ...byName.values()]);
  return [...all].sort((a, b) => a.name.localeCompare(b.name));
}

function attachPolicy(role: MutableRole, policyArn: Json | undefined, resources: Resources, resolve: Resolve): void {
  const reference = parseReference(policyArn);
  const policy = reference?.type === "aws_iam_policy" ? resources.aws_iam_policy?.[reference.name] : undefined;
  if (!policy) {
    // A plan may name the same policy twice: in the role's `managed_policy_arns` and in an attachment.
    const arn = resolve(String(policyArn));
    if (!role.opaquePolicies.includes(arn)) role.opaquePolicies.push(arn);
    return;
  }
  const name = typeof policy.name === "string" ? resolve(policy.name) : `aws_iam_policy.${reference!.name}`;
  addGrants(role, parsePolicy(policy.policy, resolve), name);
}

function addGrants(role: MutableRole, policy: ParsedPolicy, policyName: string): void {
  if ("opaque" in policy) {
    // `<...>`: a plan's value known only after apply, not unreadable text.
    role.opaquePolicies.push(policy.opaque.startsWith("<") ? `${policyName} (${policy.opaque}, known after apply)` : `${policyName} (unreadable: ${policy.opaque})`);
    return;
  }
  for (const statement of policy.statements) {
    const conditions = statement.conditions.map(conditionText).sort();
    for (const action of statement.actions) {
      for (const resource of statement.resources) {
        role.grants.push({ effect: statement.effect, action, resource, conditions, policy: policyName });
      }
    }
  }
}

function isExternalIdCondition(condition: Condition): boolean {
  return condition.key.toLowerCase() === "sts:externalid" && /^(ForAnyValue:)?String(Equals|Like)$/.test(condition.operator);
}

/** Trust statements, one entry per principal and action; statements for the same pair are merged. */
function trustEntries(statements: readonly { effect: "Allow" | "Deny"; principals: readonly string[]; actions: readonly string[]; conditions: readonly Condition[] }[]): TrustEntry[] {
  const merged = new Map<string, { effect: "Allow" | "Deny"; principal: string; action: string; externalIds: Set<string> | null; conditions: Set<string> }>();
  for (const statement of statements) {
    const externalIdConditions = statement.conditions.filter(isExternalIdCondition);
    const ids = externalIdConditions.length > 0 ? externalIdConditions.flatMap((c) => c.values) : null;
    const others = statement.conditions.filter((c) => !isExternalIdCondition(c)).map(conditionText);
    for (const principal of statement.principals.length > 0 ? statement.principals : ["(none)"]) {
      for (const action of statement.actions) {
        const key = `${statement.effect}|${principal}|${action}`;
        const entry = merged.get(key);
        if (!entry) {
          merged.set(key, { effect: statement.effect, principal, action, externalIds: ids && new Set(ids), conditions: new Set(others) });
          continue;
        }
        entry.externalIds = entry.externalIds === null || ids === null ? null : new Set([...entry.externalIds, ...ids]);
        others.forEach((c) => entry.conditions.add(c));
      }
    }
  }
  return [...merged.values()].map((entry) => ({
    effect: entry.effect,
    principal: entry.principal,
    action: entry.action,
    externalIds: entry.externalIds && [...entry.externalIds].sort(),
    conditions: [...entry.conditions].sort(),
  }));
}

// --- buckets ------------------------------------------------------------------------------------------

type MutableBucket = { -readonly [K in keyof BucketModel]: BucketModel[K] };

function readBuckets(context: Context): BucketModel[] {
  const { resources, resolve } = context;
  const buckets = new Map<string, MutableBucket>();
  const bucketFor = (value: Json | undefined, address: string): MutableBucket => {
    const name = typeof value === "string" ? resolve(value) : address;
    const key = name.includes("${") ? address : name;
    let bucket = buckets.get(key);
    if (!bucket) {
      bucket = { key, name, created: false, preventDestroy: false, tags: {} };
      buckets.set(key, bucket);
    }
    return bucket;
  };
  for (const [tfName, raw] of Object.entries(resources.aws_s3_bucket ?? {})) {
    const bucket = bucketFor(raw.bucket ?? raw.bucket_prefix, context.addressOf("aws_s3_bucket", tfName));
    bucket.created = true;
    bucket.forceDestroy = bool(raw.force_destroy) ?? false;
    bucket.preventDestroy = context.lifecycleVisible ? bool(block(raw.lifecycle)?.prevent_destroy) ?? false : undefined;
    bucket.tags = stringMap(raw.tags);
  }
  const each = (type: string, read: (bucket: MutableBucket, raw: JsonObject) => void) => {
    for (const [tfName, raw] of Object.entries(resources[type] ?? {})) read(bucketFor(raw.bucket, context.addressOf(type, tfName)), raw);
  };
  each("aws_s3_bucket_public_access_block", (bucket, raw) => {
    bucket.publicAccessBlock = Object.fromEntries(PUBLIC_ACCESS_SETTINGS.map((setting) => [setting, bool(raw[setting]) ?? false]));
  });
  each("aws_s3_bucket_ownership_controls", (bucket, raw) => {
    bucket.objectOwnership = str(block(raw.rule)?.object_ownership) ?? "(unset)";
  });
  each("aws_s3_bucket_policy", (bucket, raw) => {
    bucket.policy = parsePolicy(raw.policy, resolve);
  });
  each("aws_s3_bucket_server_side_encryption_configuration", (bucket, raw) => {
    const rule = blocks(raw.rule)[0];
    const byDefault = block(rule?.apply_server_side_encryption_by_default);
    const key = str(byDefault?.kms_master_key_id);
    bucket.encryption = {
      algorithm: str(byDefault?.sse_algorithm) ?? "(unset)",
      kmsKey: key ? resolve(key) : undefined,
      bucketKey: bool(rule?.bucket_key_enabled),
    };
  });
  each("aws_s3_bucket_versioning", (bucket, raw) => {
    bucket.versioning = str(block(raw.versioning_configuration)?.status) ?? "(unset)";
  });
  each("aws_s3_bucket_lifecycle_configuration", (bucket, raw) => {
    bucket.lifecycle = blocks(raw.rule).map((rule, i) => ({ id: str(rule.id) ?? `rule ${i + 1}`, text: lifecycleText(rule) }));
  });
  each("aws_s3_bucket_logging", (bucket, raw) => {
    bucket.logging = { bucket: resolve(str(raw.target_bucket) ?? ""), prefix: resolve(str(raw.target_prefix) ?? "") };
  });
  return [...buckets.values()].sort((a, b) => a.name.localeCompare(b.name));
}

export const PUBLIC_ACCESS_SETTINGS = ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"];

function lifecycleText(rule: JsonObject): string {
  const filter = block(rule.filter);
  const prefix = str(filter?.prefix) ?? str(block(filter?.and)?.prefix) ?? str(rule.prefix) ?? "";
  const parts: string[] = [];
  const days = (value: Json | undefined, field: string) => num(block(value)?.[field]);
  const abort = days(rule.abort_incomplete_multipart_upload, "days_after_initiation");
  if (abort !== undefined) parts.push(`abort incomplete multipart uploads after ${abort} days`);
  for (const transition of blocks(rule.transition)) {
    parts.push(`move to \`${str(transition.storage_class) ?? "?"}\` after ${num(transition.days) ?? str(transition.date) ?? "?"} days`);
  }
  const expiration = days(rule.expiration, "days");
  if (expiration !== undefined) parts.push(`delete after ${expiration} days`);
  if (bool(block(rule.expiration)?.expired_object_delete_marker)) parts.push("remove expired delete markers");
  for (const transition of blocks(rule.noncurrent_version_transition)) {
    parts.push(`move noncurrent versions to \`${str(transition.storage_class) ?? "?"}\` after ${num(transition.noncurrent_days) ?? "?"} days`);
  }
  const noncurrent = days(rule.noncurrent_version_expiration, "noncurrent_days");
  if (noncurrent !== undefined) parts.push(`delete noncurrent versions after ${noncurrent} days`);
  const where = prefix === "" ? "every key" : `keys under \`${prefix}\``;
  const status = str(rule.status) === "Disabled" ? " (disabled)" : "";
  return `${where}: ${parts.length > 0 ? parts.join("; ") : "no action"}${status}`;
}

// --- KMS keys -----------------------------------------------------------------------------------------

function readKmsKeys(context: Context): KmsKeyModel[] {
  const { resources, resolve } = context;
  return Object.entries(resources.aws_kms_key ?? {}).map(([tfName, raw]) => {
    const address = context.addressOf("aws_kms_key", tfName);
    const label = resolve(`\${aws_kms_key.${tfName}.arn}`).replace(/^<KMS key (.*)>$/, "$1");
    return {
      key: label,
      label,
      address,
      rotation: bool(raw.enable_key_rotation) ?? false,
      deletionWindowDays: num(raw.deletion_window_in_days),
      preventDestroy: context.lifecycleVisible ? bool(block(raw.lifecycle)?.prevent_destroy) ?? false : undefined,
      policy: raw.policy !== undefined ? parsePolicy(raw.policy, resolve) : undefined,
      tags: stringMap(raw.tags),
    };
  }).sort((a, b) => a.label.localeCompare(b.label));
}

// --- Mixpanel's form, and everything else -------------------------------------------------------------

function readForm(config: TerraformConfig, resolve: Resolve): FormField[] {
  const outputs = isObject(config.output) ? Object.entries(config.output) : [];
  const described = outputs.filter(([, output]) => output.description?.startsWith(FORM_PREFIX));
  const order = (name: string) => (FORM_ORDER.indexOf(name) + FORM_ORDER.length + 1) % (FORM_ORDER.length + 1);
  const chosen = (described.length > 0 ? described : outputs).sort(([a], [b]) => order(a) - order(b) || a.localeCompare(b));
  return chosen.map(([name, output]) => {
    const parts: { key?: string; text: string }[] = isObject(output.value)
      ? Object.entries(output.value).map(([key, item]) => ({ key: resolve(key), text: scalarText(item, resolve) }))
      : [{ text: scalarText(output.value, resolve) }];
    return {
      output: name,
      label: output.description?.startsWith(FORM_PREFIX) ? output.description.slice(FORM_PREFIX.length) : name,
      value: parts.map((part) => (part.key === undefined ? part.text : `${part.key}: ${part.text}`)).join("; "),
      parts,
    };
  });
}

function scalarText(value: Json | undefined, resolve: Resolve): string {
  return typeof value === "string" ? resolve(value) : resolve(JSON.stringify(value ?? null));
}

function readOthers({ resources, resolve, addressOf }: Context): OtherResource[] {
  return Object.entries(resources).filter(([type]) => !MODELLED.has(type)).flatMap(([type, byName]) =>
    Object.entries(byName).map(([tfName, raw]) => {
      const { ["//"]: _metadata, ...body } = raw;
      return { address: addressOf(type, tfName), type, body: resolve(JSON.stringify(body)) };
    })).sort((a, b) => a.address.localeCompare(b.address));
}
