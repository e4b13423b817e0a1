/**
 * A saved plan, as `terraform show -json plan.bin` prints it, read into the review's models: one for the
 * state before the plan (each change's `before`) and one for after it (`after`, with `after_unknown`), so
 * the diff of a plan and the report of what it leaves in place use the same rules as for two synths.
 *
 * Nothing here knows this project's addresses: resources are found at any module address and instance key
 * by their type and values, and linked (an attachment to its role and policy, a bucket to its key) through
 * the references of the plan's `configuration`. A value known only after apply becomes the text of where it
 * comes from: `<ARN of role mixpanel-export>`, `<KMS key alias/mixpanel-export>`, `<local.key_arn in module.x>`.
 */
import { MIXPANEL_AWS_ACCOUNT_ID } from "../mixpanel";
import { Change, ROLE_REMOVED, diffStacks } from "./diff";
import { BucketModel, FormField, Grant, KmsKeyModel, PlanStatus, RoleModel, StackModel, readStack } from "./model";
import { roleKind } from "./glue";
import { covers } from "./policy";
import { Json, JsonObject, Resources, isObject } from "./terraform-json";
import { code, inMixpanelAccount } from "./text";

/** The `format_version` majors of `terraform show -json` this reader knows (Terraform 1.x writes 1.x). */
export const PLAN_FORMAT_MAJOR = "1";

/** One resource instance of the plan. */
interface Instance {
  readonly address: string;
  /** `module.a["x"].module.b[0]`, or "" in the root module. */
  readonly moduleAddress: string;
  readonly type: string;
  readonly name: string;
  readonly index?: string | number;
  readonly actions: readonly string[];
  readonly before: Json;
  readonly after: Json;
  readonly afterUnknown: Json;
  readonly beforeSensitive: Json;
  readonly afterSensitive: Json;
  readonly importing?: JsonObject;
  /** Its name in the models' resource maps: `r<n>`, which a `${type.r<n>.attribute}` reference resolves. */
  readonly key: string;
}

/** What the review reads from one plan. */
export interface PlanModels {
  readonly before: StackModel;
  readonly after: StackModel;
  /**
   * Replacements and deletions of a bucket, key or role, then imports and objects Terraform forgets, then
   * what an import leaves or overwrites unseen (policies attached outside the plan, a bucket's own policy and
   * lifecycle rules): listed before the diff.
   */
  readonly notices: readonly Change[];
  /** Roles of the plan that Mixpanel's account cannot assume, left out of the models. */
  readonly otherRoles: number;
  /** Buckets and KMS keys of the plan that those roles do not use, left out of the models. */
  readonly otherBuckets: number;
  readonly otherKmsKeys: number;
}

/** Types the models turn a reference into a name for (`<ARN of role x>`): a link is made only to these. */
const NAMED_TYPES = new Set(["aws_s3_bucket", "aws_iam_role", "aws_iam_policy", "aws_kms_key"]);
/** Attributes holding a policy document: read even when marked sensitive (the review needs them; IDs are shortened). */
const POLICY_ATTRIBUTES = new Set(["policy", "assume_role_policy"]);
/**
 * Attributes that link one resource to another, always taken from the configuration's references when they
 * name a resource of the plan: their values alone can be ambiguous (a mocked provider gives every policy
 * the same ARN) or unknown.
 */
const LINKS: Record<string, Record<string, string>> = {
  aws_iam_role_policy_attachment: { role: "aws_iam_role", policy_arn: "aws_iam_policy" },
  aws_iam_policy_attachment: { policy_arn: "aws_iam_policy" },
  aws_iam_role_policy: { role: "aws_iam_role" },
  aws_kms_alias: { target_key_id: "aws_kms_key" },
};
const DESTRUCTIVE_TYPES: Record<string, string> = { aws_s3_bucket: "bucket", aws_kms_key: "KMS key", aws_iam_role: "role" };
const NO_REGION = "(not in the plan: the aws provider's region)";

export function readPlan(name: string, plan: JsonObject): PlanModels {
  const instances = planInstances(plan);
  const lookup = new PlanLookup(plan, instances);
  const outside = attachedOutside(instances, lookup);
  const sides = [readSide(name, "before", instances, lookup, outside), readSide(name, "after", instances, lookup, outside)] as const;
  const scope = mixpanelScope(sides, instances, lookup);
  const region = mixpanelRegion(sides, scope, instances, lookup);
  const [before, after] = sides.map((side) => scopedModel(side, scope, instances, lookup, region));
  const { read } = sides[1];
  return {
    before, after,
    notices: [...notices(instances, [before, after]), ...adoptionNotices(instances, lookup, [before, after])],
    otherRoles: read.roles.filter((r) => r.managedHere && !sides[1].roles.includes(r)).length,
    otherBuckets: read.buckets.filter((b) => !scope.buckets.has(b.key)).length,
    otherKmsKeys: read.kmsKeys.filter((k) => !scope.kmsKeys.has(k.address)).length,
  };
}

/**
 * A plan's changes as the review lists them: the notices first, then the diff of its two sides, without a
 * role's "removed" line where a notice already says the role is replaced or destroyed.
 */
export function planChanges(models: PlanModels): Change[] {
  const gone = new Set(models.notices.filter((n) => n.destructive).map((n) => n.subject));
  const diff = diffStacks(models.before, models.after, "plan").filter((c) => !(c.text === ROLE_REMOVED && gone.has(c.subject)));
  return [...models.notices, ...diff];
}

/** One side of the plan read whole, and the roles on it that Mixpanel's account may assume. */
interface Side {
  readonly side: "before" | "after";
  readonly read: StackModel;
  readonly roles: readonly RoleModel[];
}

function readSide(name: string, side: "before" | "after", instances: readonly Instance[], lookup: PlanLookup,
  outside: ReadonlyMap<string, { arns: readonly string[] }>): Side {
  const resources: Resources = {};
  for (const instance of instances.filter((i) => isObject(i[side]))) {
    (resources[instance.type] ??= {})[instance.key] = lookup.values(instance, side);
  }
  const addressOf = (type: string, key: string) => lookup.byKey.get(key)?.address ?? `${type}.${key}`;
  const read = withOutsideMarked(withKeyGrantsNamed(readStack(name, { resource: resources }, { addressOf, lifecycleVisible: false }), side, lookup), outside);
  return { side, read, roles: read.roles.filter(mixpanelMayAssume) };
}

/** `<local.customer_key_arn in module.x>`: a module's local value, which a plan does not show (no ` in ...`: the root's). */
const LOCAL_VALUE = /^<local\.[A-Za-z0-9_-]+(?: in (.+))?>$/;

/**
 * Roles' KMS grants on a module's local value (a key ARN the plan does not show), named as the one key that
 * module has or is given, as the plan's encryption settings name it (`PlanLookup.localValue`); left as they are
 * when the module has no key or several.
 */
function withKeyGrantsNamed(read: StackModel, side: "before" | "after", lookup: PlanLookup): StackModel {
  const named = (resource: string): string | undefined => {
    const match = LOCAL_VALUE.exec(resource);
    if (!match) return undefined;
    const [only, ...more] = lookup.moduleInstances(match[1] ?? "", "aws_kms_key", side);
    const key = more.length === 0 ? read.kmsKeys.find((k) => k.address === only?.address) : undefined;
    return key && `<KMS key ${key.label}>`;
  };
  const roles = read.roles.map((role) => ({
    ...role,
    grants: role.grants.map((grant) => {
      const key = /^kms:/i.test(grant.action) ? named(grant.resource) : undefined;
      return key !== undefined ? { ...grant, resource: key } : grant;
    }),
  }));
  return { ...read, roles };
}

/** What of the plan is Mixpanel's, on either side of it: bucket keys and KMS key addresses. */
interface Scope {
  readonly buckets: ReadonlySet<string>;
  readonly kmsKeys: ReadonlySet<string>;
}

/**
 * The buckets an Allow of a role Mixpanel's account may assume names, and the keys that encrypt those
 * buckets or that such a role is granted, on either side of the plan. The rest of a root (its other
 * infrastructure) is not this review's business.
 */
function mixpanelScope(sides: readonly Side[], instances: readonly Instance[], lookup: PlanLookup): Scope {
  const grants = sides.flatMap((side) => side.roles.flatMap((role) => role.grants.filter((g) => g.effect === "Allow")));
  const buckets = new Set(sides.flatMap((side) => side.read.buckets.filter((b) => grants.some((g) => grantsBucket(g, b.name))).map((b) => b.key)));
  const kmsKeys = new Set(sides.flatMap((side) => {
    // A key the plan names only by a value known after apply that could be one of several keys (a module's local):
    // the review cannot tell which, so every key that module has or is given counts.
    const modules = [
      ...side.read.buckets.filter((b) => buckets.has(b.key) && isUnnamedKey(b.encryption?.kmsKey))
        .flatMap((b) => lookup.bucketInstances(b, side.side, instances).map((i) => moduleOfValue(b.encryption!.kmsKey!) ?? i.moduleAddress)),
      ...side.roles.flatMap((role) => role.grants.filter((g) => g.effect === "Allow" && isUnnamedKey(g.resource) && grantsKey(g, [g.resource]))
        .flatMap((g) => moduleOfValue(g.resource) ?? lookup.moduleOf(role.address) ?? [])),
    ];
    const unnamed = new Set([...new Set(modules)].flatMap((module) => lookup.moduleInstances(module, "aws_kms_key", side.side).map((i) => i.address)));
    return side.read.kmsKeys.filter((key) => {
      const names = lookup.keyNames(key, side.side);
      return side.read.buckets.some((b) => buckets.has(b.key) && b.encryption?.kmsKey !== undefined && names.includes(b.encryption.kmsKey)) ||
        grants.some((g) => grantsKey(g, names)) || unnamed.has(key.address);
    }).map((key) => key.address);
  }));
  return { buckets, kmsKeys };
}

/** A value known only after apply that is not a key of the plan (`<local.key_arn in module.x>`). */
function isUnnamedKey(value: string | undefined): boolean {
  return value !== undefined && value.startsWith("<") && !value.startsWith("<KMS key ");
}

/** The module a value known only after apply comes from, when its text says (`<local.key_arn in module.x>`: `module.x`). */
function moduleOfValue(value: string): string | undefined {
  return / in (module\..+)>$/.exec(value)?.[1];
}

const S3_BUCKET_OF_ARN = /^arn:aws:s3:::([^/]+)/;

/** Whether an Allow reaches the bucket (its ARN or its objects), with some S3 action. */
function grantsBucket(grant: Grant, bucket: string): boolean {
  if (!/^(\*|s3[:*])/i.test(grant.action)) return false;
  const match = S3_BUCKET_OF_ARN.exec(grant.resource);
  return grant.resource === "*" || (match !== null && covers(match[1], bucket));
}

/** Whether an Allow reaches the key known by any of `names` (its `<KMS key ...>` text, ARN or ID), with some KMS action. */
function grantsKey(grant: Grant, names: readonly string[]): boolean {
  if (!/^(\*|kms[:*])/i.test(grant.action)) return false;
  return grant.resource === "*" || names.includes(grant.resource) || names.some((name) => name.startsWith("arn:") && covers(grant.resource, name));
}

/**
 * The region of Mixpanel's part of the plan, for a side without buckets (the "before" of a first deployment):
 * that of the providers its buckets' resources use, on either side, else its roles', else the default `aws`
 * provider's. A module call given an aliased provider (`providers = { aws = aws.eu }`) is that provider's.
 */
function mixpanelRegion(sides: readonly Side[], scope: Scope, instances: readonly Instance[], lookup: PlanLookup): string | undefined {
  const ours = sides.flatMap((side) => [
    ...side.read.buckets.filter((b) => scope.buckets.has(b.key)).flatMap((b) => lookup.bucketInstances(b, side.side, instances)),
    ...side.roles.flatMap((role) => lookup.instanceAt(role.address) ?? []),
  ]);
  return lookup.firstRegion(ours) ?? lookup.defaultRegion();
}

/**
 * One side's model: only roles Mixpanel's account may assume, the buckets and keys of the scope, and what
 * touches them; `region`: the form's Region when the side has no bucket ({@link mixpanelRegion}).
 */
function scopedModel({ side, read, roles }: Side, scope: Scope, instances: readonly Instance[], lookup: PlanLookup, region: string | undefined): StackModel {
  // What the plan does to each, from the instances of both sides: the same on either, so the diff sees no change in it.
  const bucketInstances = (bucket: BucketModel) => [...new Set([...lookup.bucketInstances(bucket, "before", instances), ...lookup.bucketInstances(bucket, "after", instances)])];
  const buckets = read.buckets.filter((bucket) => scope.buckets.has(bucket.key))
    .map((bucket) => (bucket.created ? { ...bucket, planStatus: planStatus(bucketInstances(bucket)) } : bucket));
  const kmsKeys = read.kmsKeys.filter((key) => scope.kmsKeys.has(key.address))
    .map((key) => ({ ...key, planStatus: planStatus([lookup.instanceAt(key.address)!]) }));
  const names = mixpanelNames([{ roles, buckets, kmsKeys }]);
  const model: StackModel = {
    ...read,
    roles,
    buckets,
    kmsKeys,
    others: read.others.filter((other) => touchesMixpanel(other.body, names)),
    externalIds: [...new Set(roles.flatMap((role) => role.trust.flatMap((e) => e.externalIds ?? [])))].sort(),
  };
  const regionOf = (bucket: BucketModel) => lookup.bucketRegion(bucket, side, instances);
  return { ...model, form: planForm(model, (address) => lookup.roleArn(address, side), regionOf, region) };
}

/**
 * What a plan does to a bucket or key: `instances` are its own resource first (`bucketInstances`' order), then
 * the resources configuring it; any change to one of those makes the bucket "updated".
 */
function planStatus([own, ...configuring]: readonly Instance[]): PlanStatus | undefined {
  if (own === undefined) return undefined;
  const actions = own.actions.join("+");
  if (own.importing) return "imported";
  if (actions === "create") return "created";
  if (own.actions.includes("create") && own.actions.includes("delete")) return "replaced";
  if (actions === "forget") return "forgotten";
  const changes = (instance: Instance) => instance.actions.some((action) => action !== "no-op" && action !== "read");
  return [own, ...configuring].some(changes) ? "updated" : "unchanged";
}

/** Whether a trust policy lets a principal of Mixpanel's account (or anyone) assume the role, or cannot be read. */
function mixpanelMayAssume(role: RoleModel): boolean {
  if (role.trustOpaque !== undefined) return true;
  return role.trust.some((entry) => entry.effect === "Allow" && (entry.principal === "*" || inMixpanelAccount(entry.principal)));
}

type Scoped = Pick<StackModel, "roles" | "buckets" | "kmsKeys">;

/**
 * Whether a text (a resource the models do not read: a KMS grant, a bucket ACL, an access point...; or an
 * instance's values) names what Mixpanel may use: one of its roles, buckets or keys, or Mixpanel's account.
 */
function touchesMixpanel(body: string, names: readonly string[]): boolean {
  return names.some((name) => body.includes(name));
}

/** The names {@link touchesMixpanel} looks for: Mixpanel's account, and the models' roles, buckets and keys. */
function mixpanelNames(models: readonly Scoped[]): string[] {
  return [...new Set([
    MIXPANEL_AWS_ACCOUNT_ID,
    ...models.flatMap((model) => [
      ...model.roles.flatMap((role) => [role.name, `<ARN of role ${role.name}>`]),
      ...model.buckets.map((bucket) => bucket.name),
      ...model.kmsKeys.flatMap((key) => [key.label, key.address]),
    ]),
  ])];
}

/** Whether an instance is Mixpanel's on either side: one of the models' roles, buckets or keys, or something naming them. */
function isMixpanels(instance: Instance, models: readonly StackModel[], names: readonly string[]): boolean {
  const bucketNames = [instance.before, instance.after].flatMap((v) => (isObject(v) && typeof v.bucket === "string" ? [v.bucket] : []));
  switch (instance.type) {
    case "aws_iam_role": return models.some((m) => m.roles.some((r) => r.address === instance.address));
    case "aws_kms_key": return models.some((m) => m.kmsKeys.some((k) => k.address === instance.address));
    case "aws_s3_bucket": return models.some((m) => m.buckets.some((b) => b.key === instance.address || bucketNames.includes(b.key)));
    default:
      return models.some((m) => m.others.some((o) => o.address === instance.address)) ||
        touchesMixpanel(JSON.stringify([instance.before, instance.after]), names);
  }
}

function planInstances(plan: JsonObject): Instance[] {
  const changes = Array.isArray(plan.resource_changes) ? plan.resource_changes.filter(isObject) : [];
  return changes.filter((rc) => rc.mode === "managed" && typeof rc.address === "string" && typeof rc.type === "string" && isObject(rc.change))
    .map((rc, i) => {
      const change = rc.change as JsonObject;
      const actions = Array.isArray(change.actions) ? change.actions.map(String) : [];
      // `removed { lifecycle { destroy = false } }`: Terraform forgets the object, which stays in AWS as it was.
      const forgotten = actions.length === 1 && actions[0] === "forget";
      return {
        address: rc.address as string,
        moduleAddress: typeof rc.module_address === "string" ? rc.module_address : "",
        type: rc.type as string,
        name: String(rc.name),
        index: typeof rc.index === "string" || typeof rc.index === "number" ? rc.index : undefined,
        actions,
        before: change.before ?? null,
        after: (forgotten ? change.before : change.after) ?? null,
        afterUnknown: forgotten ? null : change.after_unknown ?? null,
        beforeSensitive: change.before_sensitive ?? null,
        afterSensitive: (forgotten ? change.before_sensitive : change.after_sensitive) ?? null,
        importing: isObject(change.importing) ? change.importing : undefined,
        key: `r${i}`,
      };
    });
}

type Expression = { readonly constant_value?: Json; readonly references?: Json[] };

/** An attribute's expression in the configuration (nested blocks are lists of objects of expressions). */
const isExpression = (node: Json | undefined): node is JsonObject & Expression =>
  isObject(node) && ("references" in node || "constant_value" in node);

/** Attributes that name a bucket or a KMS key, whatever their value is built from (see `PlanLookup.localValue`). */
const TYPED_ATTRIBUTES: Record<string, string> = { bucket: "aws_s3_bucket", kms_master_key_id: "aws_kms_key" };

/** Where a reference is resolved: the module it is written in, and the instance key `each.key`/`count.index` stand for there. */
type Referrer = Pick<Instance, "moduleAddress" | "index">;

/** An instance a reference names, and the attribute it reads, if it names one. */
interface Linked {
  readonly instance: Instance;
  readonly attribute?: string;
}

/** The last call of a module address: the module it is called from and its instance key (`module.a["x"].module.b[0]`: `module.a["x"]`, 0). */
function callOf(moduleAddress: string): { caller: string; key?: string | number } | undefined {
  const match = /^(?:(.*)\.)?module\.[A-Za-z0-9_-]+(?:\[(\d+|"(?:[^"\\]|\\.)*")\])?$/.exec(moduleAddress);
  if (!match) return undefined;
  const key = match[2] === undefined ? undefined : /^\d+$/.test(match[2]) ? Number(match[2]) : (JSON.parse(match[2]) as string);
  return { caller: match[1] ?? "", key };
}

/**
 * The configuration of the module call at `moduleAddress` (instance keys ignored: the configuration has none),
 * from the plan's `configuration`; undefined when the configuration has no such call.
 */
export function moduleCallConfig(plan: JsonObject, moduleAddress: string): JsonObject | undefined {
  const names = [...moduleAddress.matchAll(/module\.([A-Za-z0-9_-]+)/g)].map((m) => m[1]);
  let module = isObject(plan.configuration) ? (plan.configuration as JsonObject).root_module : undefined;
  let call: JsonObject | undefined;
  for (const name of names) {
    const calls = isObject(module) ? module.module_calls : undefined;
    call = isObject(calls) && isObject(calls[name]) ? (calls[name] as JsonObject) : undefined;
    module = call?.module;
  }
  return call;
}

/** `type.name`, an optional `[key]` and an optional `.attribute`: a reference to a managed resource. */
const RESOURCE_REFERENCE = /^([a-z][a-z0-9_]*)\.([A-Za-z0-9_-]+)(?:\[([^\]]+)\])?(?:\.([A-Za-z0-9_]+))?$/;
const NOT_RESOURCES = new Set(["var", "local", "each", "count", "module", "data", "path", "self", "terraform"]);

/** The plan's configuration and instances, indexed for the links between them. */
class PlanLookup {
  readonly byKey = new Map<string, Instance>();
  private readonly byAddress = new Map<string, Instance>();
  private readonly byResource = new Map<string, Instance[]>();

  constructor(private readonly plan: JsonObject, instances: readonly Instance[]) {
    for (const instance of instances) {
      this.byKey.set(instance.key, instance);
      this.byAddress.set(instance.address, instance);
      const resource = `${instance.moduleAddress}|${instance.type}.${instance.name}`;
      this.byResource.set(resource, [...(this.byResource.get(resource) ?? []), instance]);
    }
  }

  /** An instance's values for one side, ready for the models: unknowns, links and sensitive values replaced. */
  values(instance: Instance, side: "before" | "after"): JsonObject {
    const values = (side === "before" ? instance.before : instance.after) as JsonObject;
    const unknown = side === "after" ? instance.afterUnknown : null;
    const sensitive = side === "before" ? instance.beforeSensitive : instance.afterSensitive;
    const expressions = this.configResource(instance)?.expressions;
    const out: JsonObject = {};
    const keys = new Set([...Object.keys(values), ...(isObject(unknown) ? Object.keys(unknown) : [])]);
    for (const key of keys) {
      const value = this.leaf(instance, values[key] ?? null, isObject(unknown) ? unknown[key] : undefined,
        POLICY_ATTRIBUTES.has(key) ? undefined : isObject(sensitive) ? sensitive[key] : sensitive === true ? true : undefined,
        isObject(expressions) ? expressions[key] : undefined, key);
      if (value !== undefined) out[key] = value;
    }
    for (const [attribute, type] of Object.entries(LINKS[instance.type] ?? {})) {
      const linked = this.linkedInstance(instance, isObject(expressions) ? expressions[attribute] : undefined, type);
      if (linked) out[attribute] = `\${${linked.instance.type}.${linked.instance.key}.${linked.attribute ?? attributeFor(attribute)}}`;
    }
    if (instance.type === "aws_iam_policy_attachment" && isObject(expressions)) {
      // `roles = [aws_iam_role.a.name, ...]`: one link per reference that names a role of the plan.
      const roles = this.references(instance, expressions.roles).filter((r) => r.instance.type === "aws_iam_role");
      if (roles.length > 0) out.roles = roles.map((r) => `\${aws_iam_role.${r.instance.key}.name}`);
    }
    return out;
  }

  /**
   * One value, walked with its `after_unknown`, sensitivity and configuration trees. Undefined: computed by
   * the provider and not configured (a role's `managed_policy_arns`, a key's default policy): left out.
   */
  private leaf(instance: Instance, value: Json, unknown: Json | undefined, sensitive: Json | undefined, expression: Json | undefined, attribute: string): Json | undefined {
    if (sensitive === true) return "(sensitive)";
    if (unknown === true) {
      return this.unknownText(instance, isExpression(expression) ? expression : undefined, attribute);
    }
    if (Array.isArray(value) || Array.isArray(unknown)) {
      const list = Array.isArray(value) ? value : [];
      const length = Math.max(list.length, Array.isArray(unknown) ? unknown.length : 0);
      const result: Json[] = [];
      for (let i = 0; i < length; i++) {
        const item = this.leaf(instance, list[i] ?? null, Array.isArray(unknown) ? unknown[i] : undefined,
          Array.isArray(sensitive) ? sensitive[i] : undefined, isExpression(expression) ? expression : Array.isArray(expression) ? expression[i] ?? expression[0] : undefined, attribute);
        if (item !== undefined) result.push(item);
      }
      return result;
    }
    if (isObject(value) || isObject(unknown)) {
      const object = isObject(value) ? value : {};
      const result: JsonObject = {};
      for (const key of new Set([...Object.keys(object), ...(isObject(unknown) ? Object.keys(unknown) : [])])) {
        const item = this.leaf(instance, object[key] ?? null, isObject(unknown) ? unknown[key] : undefined,
          isObject(sensitive) ? sensitive[key] : undefined, isExpression(expression) ? expression : isObject(expression) ? expression[key] : undefined, key);
        if (item !== undefined) result[key] = item;
      }
      return result;
    }
    return value;
  }

  /** Where a value known only after apply comes from, as text the models resolve, or undefined when not configured. */
  private unknownText(instance: Instance, expression: Expression | undefined, attribute: string): Json | undefined {
    if (!expression) return undefined;
    // JSON-syntax configuration (a cdktf synth, a *.tf.json module) shows each string template whole.
    if (typeof expression.constant_value === "string" && expression.constant_value.includes("${")) {
      const escape = POLICY_ATTRIBUTES.has(attribute) ? (text: string) => JSON.stringify(text).slice(1, -1) : (text: string) => text;
      return expression.constant_value.replace(/\$\{([^{}]*)\}/g, (_whole, inner: string) => escape(this.expressionText(instance, inner.trim(), attribute)));
    }
    const linked = this.references(instance, expression);
    if (POLICY_ATTRIBUTES.has(attribute)) {
      // A whole document built from values known after apply (`jsonencode({... Resource = aws_kms_key.x.arn})`).
      const first = linked.filter((r, i) => linked.findIndex((o) => o.instance === r.instance) === i);
      const from = first.length > 0 ? first.map((r) => `${r.instance.address}${r.attribute ? `.${r.attribute}` : ""}`) : (expression.references ?? []).map(String);
      return `<policy of ${instance.address}${from.length > 0 ? `, from ${[...new Set(from)].join(", ")}` : ""}>`;
    }
    if (linked[0]) return this.referenceText(linked[0].instance, linked[0].attribute ?? attributeFor(attribute));
    const first = expression.references?.find((r) => typeof r === "string");
    if (first === undefined) return `<${attribute} of ${instance.address}>`;
    return this.localValue(instance, String(first), attribute) ?? `<${first}${this.where(instance)}>`;
  }

  /** One `${...}` of a template: a resource's attribute, a variable, the instance key, or the expression's own text. */
  private expressionText(instance: Instance, inner: string, attribute: string): string {
    const linked = this.resolveReference(instance, inner);
    if (linked) return this.referenceText(linked.instance, linked.attribute ?? attributeFor(attribute));
    if (inner === "each.key" || inner === "count.index") return String(instance.index ?? inner);
    const variable = /^var\.([A-Za-z0-9_-]+)$/.exec(inner);
    if (variable) return this.variableValue(instance, variable[1]) ?? inner;
    return this.localValue(instance, inner, attribute) ?? `<${inner}${this.where(instance)}>`;
  }

  private referenceText(target: Instance, attribute: string): string {
    return NAMED_TYPES.has(target.type) ? `\${${target.type}.${target.key}.${attribute}}` : `<${attribute} of ${target.address}>`;
  }

  private where(instance: Instance): string {
    return instance.moduleAddress ? ` in ${instance.moduleAddress}` : "";
  }

  /** A root variable's value from the plan; a module's when its call passes a literal. */
  private variableValue(instance: Instance, name: string): string | undefined {
    if (instance.moduleAddress === "") {
      const variables = isObject(this.plan.variables) ? this.plan.variables : {};
      const value = isObject(variables[name]) ? (variables[name] as JsonObject).value : undefined;
      return typeof value === "string" ? value : undefined;
    }
    const call = this.moduleCall(instance.moduleAddress);
    const passed = isObject(call?.expressions) ? (call!.expressions as JsonObject)[name] : undefined;
    const value = isObject(passed) ? passed.constant_value : undefined;
    return typeof value === "string" && !value.includes("${") ? value : undefined;
  }

  /** The first reference of `expression` that names an instance of the plan of type `type`. */
  private linkedInstance(instance: Instance, expression: Json | undefined, type: string) {
    return this.references(instance, expression).find((r) => r.instance.type === type);
  }

  /** Every reference of an expression that names an instance of the plan, in the configuration's order. */
  private references(from: Referrer, expression: Json | undefined): Linked[] {
    if (!isObject(expression) || !Array.isArray(expression.references)) return [];
    return expression.references.flatMap((reference) => {
      const found = typeof reference === "string" ? this.resolveReference(from, reference) : undefined;
      return found ? [found] : [];
    });
  }

  /**
   * The instance a reference names, in the referring instance's module: `aws_kms_key.this[0].arn`,
   * `aws_iam_role.this[each.key]`; without a key, the instance with the referrer's own key, else the only one.
   * A module's input (`var.bucket_name`) names what its call passes in it, when that is a resource of the
   * calling module (or, through that module's own input, of its caller).
   */
  private resolveReference(from: Referrer, reference: string): Linked | undefined {
    const input = /^var\.([A-Za-z0-9_-]+)/.exec(reference);
    if (input) return this.passedIn(from.moduleAddress, input[1])[0];
    const match = RESOURCE_REFERENCE.exec(reference);
    if (!match || NOT_RESOURCES.has(match[1])) return undefined;
    const [, type, name, rawKey, attribute] = match;
    const candidates = this.byResource.get(`${from.moduleAddress}|${type}.${name}`) ?? [];
    let key: string | number | undefined;
    if (rawKey === "each.key" || rawKey === "count.index") key = from.index;
    else if (rawKey !== undefined && /^\d+$/.test(rawKey)) key = Number(rawKey);
    else if (rawKey !== undefined && /^"[^"]*"$/.test(rawKey)) key = rawKey.slice(1, -1);
    else if (rawKey !== undefined) return undefined;
    const found = rawKey !== undefined ? candidates.find((c) => c.index === key)
      : candidates.find((c) => c.index !== undefined && c.index === from.index) ?? (candidates.length === 1 ? candidates[0] : undefined);
    return found ? { instance: found, attribute } : undefined;
  }

  /** The instances the call of the module at `moduleAddress` passes in its input `name`, resolved in the calling module. */
  private passedIn(moduleAddress: string, name: string): Linked[] {
    const call = callOf(moduleAddress);
    const expressions = this.moduleCall(moduleAddress)?.expressions;
    if (call === undefined || !isObject(expressions)) return [];
    return this.references({ moduleAddress: call.caller, index: call.key }, expressions[name]);
  }

  /**
   * The instances of `type` a module has on one side: its own, and those its call passes in through any input
   * (`kms_key = { arn = aws_kms_key.exports.arn }`), each once. What a module's local value names, which a plan
   * does not show, can only be one of them.
   */
  moduleInstances(moduleAddress: string, type: string, side: "before" | "after"): Instance[] {
    const expressions = this.moduleCall(moduleAddress)?.expressions;
    const given = isObject(expressions) ? Object.keys(expressions).flatMap((name) => this.passedIn(moduleAddress, name).map((l) => l.instance)) : [];
    const own = [...this.byAddress.values()].filter((i) => i.moduleAddress === moduleAddress);
    return [...new Set([...own, ...given])].filter((i) => i.type === type && isObject(i[side]));
  }

  /**
   * What a module's local value (`local.bucket`, unknown until apply) stands for where the attribute says what
   * it must be (a bucket configuration's `bucket`, an encryption's `kms_master_key_id`): the one bucket or key
   * the module has or is given; undefined when it has none or several.
   */
  private localValue(instance: Instance, reference: string, attribute: string): string | undefined {
    const type = TYPED_ATTRIBUTES[attribute];
    // An `aws_s3_bucket`'s own `bucket` is its name, not a reference to another bucket.
    if (type === undefined || instance.type === "aws_s3_bucket" || !reference.startsWith("local.")) return undefined;
    const [only, ...more] = this.moduleInstances(instance.moduleAddress, type, "after");
    return only !== undefined && more.length === 0 ? this.referenceText(only, attributeFor(attribute)) : undefined;
  }

  private moduleCall(moduleAddress: string): JsonObject | undefined {
    return moduleCallConfig(this.plan, moduleAddress);
  }

  private readonly configResources = new Map<string, JsonObject | undefined>();

  private configResource(instance: Instance): JsonObject | undefined {
    const key = `${instance.moduleAddress}|${instance.type}.${instance.name}`;
    if (!this.configResources.has(key)) this.configResources.set(key, this.findConfigResource(instance));
    return this.configResources.get(key);
  }

  private findConfigResource(instance: Instance): JsonObject | undefined {
    return this.moduleConfig(instance.moduleAddress).find((r) => r.address === `${instance.type}.${instance.name}` && r.mode === "managed");
  }

  /** The configuration's resources (and data sources) of the module at `moduleAddress`. */
  private moduleConfig(moduleAddress: string): JsonObject[] {
    const module = moduleAddress === "" ? (isObject(this.plan.configuration) ? (this.plan.configuration as JsonObject).root_module : undefined)
      : this.moduleCall(moduleAddress)?.module;
    return isObject(module) && Array.isArray(module.resources) ? module.resources.filter(isObject) : [];
  }

  /** The default `aws` provider's region (for a plan without buckets or roles of Mixpanel's). */
  defaultRegion(): string | undefined {
    return this.providerRegion("aws");
  }

  /**
   * The region of a bucket: its `aws_s3_bucket` instance's (else a sub-resource's naming it), from the
   * provider the resource uses, as the configuration gives it (`provider_config_key`, which Terraform already
   * resolves through a module call's `providers` map), else from its module's `data "aws_region"` read into
   * `prior_state`.
   */
  bucketRegion(bucket: BucketModel, side: "before" | "after", instances: readonly Instance[]): string | undefined {
    return this.firstRegion(this.bucketInstances(bucket, side, instances));
  }

  /** The region of the first of `instances` whose provider's region the plan knows (see {@link bucketRegion}). */
  firstRegion(instances: readonly Instance[]): string | undefined {
    for (const instance of instances) {
      const region = this.instanceRegion(instance);
      if (region !== undefined) return region;
    }
    return undefined;
  }

  /** The instance at `address`, if the plan has one. */
  instanceAt(address: string | undefined): Instance | undefined {
    return address !== undefined ? this.byAddress.get(address) : undefined;
  }

  /** The instances of a bucket of the models: its `aws_s3_bucket` first, then the sub-resources naming it. */
  bucketInstances(bucket: BucketModel, side: "before" | "after", instances: readonly Instance[]): Instance[] {
    const named = instances.filter((i) => (i.type === "aws_s3_bucket" || i.type.startsWith("aws_s3_bucket_")) &&
      (i.address === bucket.key || (isObject(i[side]) && (i[side] as JsonObject).bucket === bucket.name)));
    return [...named.filter((i) => i.type === "aws_s3_bucket"), ...named.filter((i) => i.type !== "aws_s3_bucket")];
  }

  /** The module address of the instance at `address`. */
  moduleOf(address: string | undefined): string | undefined {
    return this.instanceAt(address)?.moduleAddress;
  }

  private instanceRegion(instance: Instance): string | undefined {
    const configured = this.configResource(instance)?.provider_config_key;
    const key = typeof configured === "string" ? configured : undefined;
    const expression = key !== undefined ? this.providerRegionExpression(key) : undefined;
    return this.regionValue(expression) ?? this.dataRegion(instance.moduleAddress, key) ?? this.regionReference(expression);
  }

  private providerRegion(key: string): string | undefined {
    const expression = this.providerRegionExpression(key);
    return this.regionValue(expression) ?? this.regionReference(expression);
  }

  private providerRegionExpression(key: string): { expression: JsonObject; moduleAddress: string } | undefined {
    const configuration = isObject(this.plan.configuration) ? (this.plan.configuration as JsonObject) : {};
    const providers = isObject(configuration.provider_config) ? configuration.provider_config : {};
    const provider = isObject(providers[key]) ? (providers[key] as JsonObject) : undefined;
    const region = isObject(provider?.expressions) ? (provider!.expressions as JsonObject).region : undefined;
    if (!isObject(region)) return undefined;
    return { expression: region, moduleAddress: typeof provider!.module_address === "string" ? provider!.module_address : "" };
  }

  /** A provider's region when the plan knows it: a literal, or the value of the variable it names. */
  private regionValue(found: { expression: JsonObject; moduleAddress: string } | undefined): string | undefined {
    if (!found) return undefined;
    if (typeof found.expression.constant_value === "string") return found.expression.constant_value;
    const reference = this.regionVariable(found.expression);
    return reference !== undefined ? this.variableValue({ moduleAddress: found.moduleAddress } as Instance, reference.slice(4)) : undefined;
  }

  /** The variable a provider's region names (`var.region`), shown when its value is not in the plan. */
  private regionReference(found: { expression: JsonObject } | undefined): string | undefined {
    return found ? this.regionVariable(found.expression) : undefined;
  }

  private regionVariable(expression: JsonObject): string | undefined {
    const reference = Array.isArray(expression.references) ? expression.references.find((r) => typeof r === "string" && r.startsWith("var.")) : undefined;
    return typeof reference === "string" ? reference : undefined;
  }

  /**
   * The region a module's `data "aws_region"` read at plan (`prior_state`), for the provider `key` when the
   * configuration says which; one that looks up another region (`name` or `region` set) does not count.
   */
  private dataRegion(moduleAddress: string, key: string | undefined): string | undefined {
    const prior = isObject(this.plan.prior_state) && isObject(this.plan.prior_state.values) ? this.plan.prior_state.values : undefined;
    let module: Json | undefined = prior?.root_module;
    while (isObject(module) && (module.address ?? "") !== moduleAddress) {
      const children: Json[] = Array.isArray(module.child_modules) ? module.child_modules : [];
      module = children.find((child) => isObject(child) && typeof child.address === "string" &&
        (child.address === moduleAddress || moduleAddress.startsWith(`${child.address}.`)));
    }
    const resources = isObject(module) && Array.isArray(module.resources) ? module.resources.filter(isObject) : [];
    const configured = this.moduleConfig(moduleAddress);
    for (const data of resources.filter((r) => r.mode === "data" && r.type === "aws_region" && isObject(r.values))) {
      const config = configured.find((r) => r.mode === "data" && r.address === `data.aws_region.${String(data.name)}`);
      const expressions = isObject(config?.expressions) ? (config!.expressions as JsonObject) : {};
      if ("name" in expressions || "region" in expressions) continue;
      if (config && key !== undefined && config.provider_config_key !== key) continue;
      const values = data.values as JsonObject;
      const region = values.region ?? values.name;
      if (typeof region === "string") return region;
    }
    return undefined;
  }

  /** A KMS key's names on one side: its `<KMS key ...>` text, and its ARN and ID when the plan knows them. */
  keyNames(key: KmsKeyModel, side: "before" | "after"): string[] {
    const values = this.byAddress.get(key.address)?.[side];
    const known = isObject(values) ? [values.arn, values.key_id, values.id].filter((v): v is string => typeof v === "string") : [];
    return [`<KMS key ${key.label}>`, ...known];
  }

  /** A role instance's ARN when the plan knows it, before or after. */
  roleArn(address: string | undefined, side: "before" | "after"): string | undefined {
    const instance = address !== undefined ? this.byAddress.get(address) : undefined;
    const values = instance?.[side];
    const arn = isObject(values) ? values.arn : undefined;
    return typeof arn === "string" ? arn : undefined;
  }
}

/** The attribute a reference without one most likely means, from the referring attribute's name. */
function attributeFor(attribute: string): string {
  if (/arn$|kms_master_key_id/.test(attribute)) return "arn";
  if (attribute === "target_key_id") return "key_id";
  if (attribute === "role" || attribute === "roles" || attribute === "name") return "name";
  return attribute === "bucket" ? "bucket" : "id";
}

/**
 * Mixpanel's form, derived from what the plan creates rather than from outputs (a root calling the module
 * names its outputs as it likes): the buckets the export roles may write to, the provider's region, each
 * export role's ARN by external ID, each bucket's encryption and customer key, and the Glue and Redshift
 * roles' ARNs. A role whose trust cannot be read is no field's (the report says so under the form).
 */
function planForm(model: StackModel, roleArn: (address: string | undefined) => string | undefined,
  regionOf: (bucket: BucketModel) => string | undefined, defaultRegion: string | undefined): FormField[] {
  const exportRoles = model.roles.filter((role) => roleKind(role) === "export");
  const granted = new Set(exportRoles.flatMap((role) => role.grants.flatMap((grant) => {
    const match = /^arn:aws:s3:::([^/*]+)/.exec(grant.resource);
    return match && grant.effect === "Allow" ? [match[1]] : [];
  })));
  const buckets = model.buckets.filter((bucket) => granted.has(bucket.name));
  const shown = buckets.length > 0 ? buckets : model.buckets;
  const several = shown.length > 1;
  const field = (output: string, label: string, parts: { key?: string; text: string }[]): FormField => ({
    output, label, parts, value: parts.map((p) => (p.key === undefined ? p.text : `${p.key}: ${p.text}`)).join("; "),
  });
  const perBucket = (text: (bucket: StackModel["buckets"][number]) => string) =>
    shown.map((bucket) => ({ key: several ? bucket.name : undefined, text: text(bucket) }));
  const arnOf = (role: RoleModel) => roleArn(role.address) ?? (role.managedHere ? `<ARN of role ${role.name}>` : role.name);
  const roleParts = exportRoles.flatMap((role) => {
    const ids = [...new Set(role.trust.filter((e) => e.effect === "Allow").flatMap((e) => e.externalIds ?? []))];
    return ids.length > 0 ? ids.map((id) => ({ key: id, text: arnOf(role) })) : [{ key: `${role.name} (no external ID)`, text: arnOf(role) }];
  });
  // Mixpanel's Redshift Spectrum form has a field for each: present only when the plan has such a role.
  const catalogField = (kind: "glue" | "redshift", output: string, label: string): FormField[] => {
    const roles = model.roles.filter((role) => roleKind(role) === kind);
    return roles.length === 0 ? [] : [field(output, label, roles.map((role) => ({ key: roles.length > 1 ? role.name : undefined, text: arnOf(role) })))];
  };
  return [
    field("bucket", "Bucket", shown.map((bucket) => ({ text: bucket.name }))),
    field("region", "Region", regionParts(shown, regionOf, defaultRegion)),
    field("role_arns", "Role, for each project token", roleParts),
    field("encryption", "Encryption", perBucket((bucket) => encryptionChoice(bucket))),
    field("kms_key_id", "KMS Key ID (empty: leave the field empty)", perBucket((bucket) => bucket.encryption?.kmsKey ?? "")),
    ...catalogField("glue", "glue_role_arn", "Glue Role"),
    ...catalogField("redshift", "redshift_role_arn", "Redshift Role"),
  ];
}

/** One region when the buckets agree (or there is none), else one per bucket. */
function regionParts(buckets: readonly BucketModel[], regionOf: (bucket: BucketModel) => string | undefined, defaultRegion: string | undefined) {
  const regions = buckets.map((bucket) => regionOf(bucket) ?? NO_REGION);
  if (new Set(regions).size > 1) return buckets.map((bucket, i) => ({ key: bucket.name, text: regions[i] }));
  return [{ text: regions[0] ?? defaultRegion ?? NO_REGION }];
}

function encryptionChoice(bucket: StackModel["buckets"][number]): string {
  if (!bucket.encryption) return bucket.created ? "NONE" : "(not managed in this plan: the bucket's own setting)";
  if (bucket.encryption.algorithm === "AES256") return "AES";
  return bucket.encryption.algorithm.startsWith("aws:kms") ? "KMS" : bucket.encryption.algorithm;
}

/**
 * Replacing or destroying a bucket, key or role, then imports, then objects Terraform forgets: what a
 * reviewer must see first. Only Mixpanel's (`isMixpanels`): the rest of the root is not this review's.
 */
function notices(instances: readonly Instance[], models: readonly [StackModel, StackModel]): Change[] {
  const [before] = models;
  const names = mixpanelNames(models);
  // An instance planned as a no-op, and not imported, needs no notice: skipped before the costlier check.
  const ours = instances.filter((i) => (i.importing || !(i.actions.length === 1 && i.actions[0] === "no-op")) && isMixpanels(i, models, names));
  const changes: Change[] = [];
  for (const instance of ours.filter((i) => i.actions.includes("delete") && DESTRUCTIVE_TYPES[i.type])) {
    const replaced = instance.actions.includes("create");
    const was = isObject(instance.before) ? instance.before : {};
    const now = isObject(instance.after) ? instance.after : {};
    const subject = subjectOf(instance, before);
    let text: string;
    if (instance.type === "aws_s3_bucket") {
      text = replaced ? `replaced: Terraform deletes the bucket (${code(instance.address)}) and creates ${code(String(now.bucket ?? "?"))}; the exported data in it is lost and Mixpanel's form must name the new bucket`
        : `destroyed (${code(instance.address)}): the exported data in it is lost`;
    } else if (instance.type === "aws_iam_role") {
      const renamed = typeof now.name === "string" && now.name !== was.name;
      text = !replaced ? `destroyed (${code(instance.address)}): Mixpanel's exports with its ARN fail`
        : renamed ? `replaced by role ${code(String(now.name))} (${code(instance.address)}): its ARN changes, so Mixpanel's exports fail until the form has the new one`
          : `replaced (${code(instance.address)}): deleted and created again under the same ARN; exports fail while it is missing`;
    } else {
      text = replaced ? `replaced (${code(instance.address)}): a new key with a new ARN; objects encrypted with the old key cannot be read once its deletion completes`
        : `destroyed (${code(instance.address)}): its deletion is scheduled; objects encrypted with it cannot be read once it completes`;
    }
    changes.push({ kind: instance.type === "aws_iam_role" && !replaced ? "narrowing" : "neutral", subject, text, destructive: replaced ? "replaced" : "destroyed" });
  }
  for (const instance of ours.filter((i) => i.importing)) {
    const id = instance.importing!.id;
    changes.push({
      kind: "neutral", subject: `resource ${code(instance.address)}`,
      text: `imported${typeof id === "string" ? ` (id ${code(id)})` : ""}: Terraform takes over the existing object; the changes below compare it as AWS has it with the plan`,
    });
  }
  for (const instance of ours.filter((i) => i.actions.length === 1 && i.actions[0] === "forget")) {
    const address = DESTRUCTIVE_TYPES[instance.type] ? ` (${code(instance.address)})` : "";
    changes.push({ kind: "neutral", subject: subjectOf(instance, before), text: `no longer managed by Terraform; stays in AWS${address}` });
  }
  return changes;
}

/** Bucket configuration a plan may create for an imported bucket, overwriting what the bucket has: what it replaces. */
const BUCKET_OVERWRITES: Record<string, string> = {
  aws_s3_bucket_policy: "the bucket's own policy",
  aws_s3_bucket_lifecycle_configuration: "the bucket's own lifecycle rules",
};

/** Text a role's policy attached outside the configuration is listed with, in the report and in the diff. */
const ATTACHED_OUTSIDE = "attached outside this configuration";

/**
 * The policies attached outside this configuration to each role the plan imports, by the role's address: its
 * `managed_policy_arns` as read on import, less the policy ARNs the plan's attachments to it name.
 */
function attachedOutside(instances: readonly Instance[], lookup: PlanLookup): Map<string, { name: string; arns: string[] }> {
  const roles = new Map<string, { name: string; arns: string[] }>();
  for (const role of instances.filter((i) => i.type === "aws_iam_role" && i.importing && isObject(i.before))) {
    const was = role.before as JsonObject;
    const name = String(was.name ?? role.address);
    // An attachment names the role by reference (linked through the configuration) or, without one, by value.
    const attachedHere = new Set(instances.filter((i) => i.type === "aws_iam_role_policy_attachment" && isObject(i.after)).flatMap((attachment) => {
      const values = lookup.values(attachment, "after");
      const toRole = values.role === `\${aws_iam_role.${role.key}.name}` || values.role === name;
      const arn = (attachment.after as JsonObject).policy_arn;
      return toRole && typeof arn === "string" ? [arn] : [];
    }));
    const arns = (Array.isArray(was.managed_policy_arns) ? was.managed_policy_arns : []).map(String).filter((arn) => !attachedHere.has(arn)).sort();
    if (arns.length > 0) roles.set(role.address, { name, arns });
  }
  return roles;
}

/** Roles' policies attached outside the configuration, marked as such among those whose contents the plan does not show. */
function withOutsideMarked(read: StackModel, outside: ReadonlyMap<string, { arns: readonly string[] }>): StackModel {
  const roles = read.roles.map((role) => {
    const arns = outside.get(role.address ?? "")?.arns ?? [];
    return arns.length === 0 ? role : { ...role, opaquePolicies: role.opaquePolicies.map((p) => (arns.includes(p) ? `${p} (${ATTACHED_OUTSIDE})` : p)) };
  });
  return { ...read, roles };
}

/**
 * What adopting through import blocks does not show as a difference. An imported role of Mixpanel's keeps the
 * policies attached to it outside this configuration ({@link attachedOutside}): widening, since Mixpanel may do
 * what they allow for as long as they stay attached, and the plan cannot show what that is (AWS-managed policies
 * such as `AmazonS3FullAccess` included). An imported bucket's policy and lifecycle rules, which a bucket may
 * lack and so are created rather than imported, replace whatever the bucket has.
 */
function adoptionNotices(instances: readonly Instance[], lookup: PlanLookup, models: readonly StackModel[]): Change[] {
  const changes: Change[] = [];
  const mixpanels = new Set(models.flatMap((model) => model.roles.map((role) => role.address)));
  for (const [address, { name, arns }] of attachedOutside(instances, lookup)) {
    if (!mixpanels.has(address)) continue;
    const one = arns.length === 1;
    changes.push({
      kind: "widening", subject: `role ${code(name)}`,
      text: `${one ? "policy" : "policies"} ${arns.map(code).join(", ")} ${ATTACHED_OUTSIDE}: Mixpanel may do what ${one ? "it allows" : "they allow"} ` +
        `while ${one ? "it stays" : "they stay"} attached, which this plan does not show: review ${one ? "it" : "them"} by hand; detach after apply, ` +
        `once this plan's own policies are attached (\`aws iam detach-role-policy --role-name ${name} --policy-arn <ARN>\`)`,
    });
  }
  const imported = instances.filter((i) => i.importing && isObject(i.before));
  for (const bucket of imported.filter((i) => i.type === "aws_s3_bucket")) {
    const name = String((bucket.before as JsonObject).bucket ?? bucket.address);
    // Matched by value: an imported bucket's name is known at plan, and so is the bucket argument naming it.
    const created = instances.filter((i) => BUCKET_OVERWRITES[i.type] && !i.importing && i.actions.join("+") === "create" &&
      isObject(i.after) && (i.after as JsonObject).bucket === name);
    for (const configuration of created) {
      changes.push({
        kind: "neutral", subject: `bucket ${code(name)}`,
        text: `${code(configuration.address)} is created, not imported: it replaces ${BUCKET_OVERWRITES[configuration.type]}, if it has any`,
      });
    }
  }
  return changes;
}

/** A role, bucket or key by the name a reviewer knows it by; anything else by its address. */
function subjectOf(instance: Instance, before: StackModel): string {
  const was = isObject(instance.before) ? instance.before : {};
  switch (instance.type) {
    case "aws_s3_bucket": return `bucket ${code(String(was.bucket ?? instance.address))}`;
    case "aws_iam_role": return `role ${code(String(was.name ?? instance.address))}`;
    case "aws_kms_key": return `KMS key ${code(before.kmsKeys.find((key) => key.address === instance.address)?.label ?? instance.address)}`;
    default: return `resource ${code(instance.address)}`;
  }
}
