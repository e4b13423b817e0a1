import { Fact, bucketFacts, kmsKeyFacts, resourcePolicyLines, roleFacts } from "./facts";
import { BucketModel, Grant, KmsKeyModel, RoleModel, StackModel, TrustEntry } from "./model";
import { covers } from "./policy";
import { formText, groupGrants, scopeOf } from "./report";
import { Reviewed, code, codeList, principalText, shortenIds } from "./text";

/**
 * widening: a third party may do more, or a protection is weaker; narrowing: the reverse; neutral: neither
 * (names, tags, form values, cost settings).
 */
export type ChangeClass = "widening" | "narrowing" | "neutral";

export interface Change {
  readonly kind: ChangeClass;
  /** What changed: `role \`mixpanel-export\``, `bucket \`acme\``, `Mixpanel form`... */
  readonly subject: string;
  readonly text: string;
  /** A plan replaces or destroys a bucket, key or role: listed first, whatever its class. */
  readonly destructive?: "replaced" | "destroyed";
}

const ORDER: Record<ChangeClass, number> = { widening: 0, narrowing: 1, neutral: 2 };

/**
 * Every change between two synths of a stack (or the two sides of a plan: `reviewed` "plan"), widening
 * first. Either side may be missing (a stack added or removed).
 */
export function diffStacks(base: StackModel | undefined, head: StackModel | undefined, reviewed: Reviewed = "stack"): Change[] {
  const empty: StackModel = { name: (head ?? base)!.name, roles: [], buckets: [], kmsKeys: [], form: [], others: [], externalIds: [] };
  const b = base ?? empty;
  const h = head ?? empty;
  const changes = [
    ...diffRoles(b, h, reviewed),
    ...sharedRoles(b, h),
    ...diffBuckets(b.buckets, h.buckets, reviewed),
    ...diffKmsKeys(b.kmsKeys, h.kmsKeys, reviewed),
    ...diffForm(b, h),
    ...diffOthers(b, h),
  ];
  return changes.map((change, i) => ({ change, i }))
    .sort((x, y) => ORDER[x.change.kind] - ORDER[y.change.kind] || x.i - y.i)
    .map(({ change }) => change);
}

// --- roles --------------------------------------------------------------------------------------------

/** A role of the base missing from the head. */
export const ROLE_REMOVED = "removed: nobody can assume it any more";

function diffRoles(base: StackModel, head: StackModel, reviewed: Reviewed): Change[] {
  const baseRoles = new Map(base.roles.map((role) => [role.key, role]));
  const headKeys = new Set(head.roles.map((role) => role.key));
  const changes: Change[] = [];
  for (const role of head.roles) {
    const before = baseRoles.get(role.key);
    if (before) changes.push(...diffRole(before, role, `role ${code(role.name)}`, reviewed));
    else changes.push(...diffRole(blankRole(role), role, `new role ${code(role.name)}`, reviewed, true));
  }
  for (const role of base.roles.filter((r) => !headKeys.has(r.key))) {
    changes.push({ kind: "narrowing", subject: `role ${code(role.name)}`, text: ROLE_REMOVED });
  }
  return changes;
}

function blankRole(like: RoleModel): RoleModel {
  return { ...like, trust: [], trustOpaque: undefined, grants: [], opaquePolicies: [] };
}

function diffRole(base: RoleModel, head: RoleModel, subject: string, reviewed: Reviewed, isNew = false): Change[] {
  const changes: Change[] = [];
  const add = (kind: ChangeClass, text: string) => changes.push({ kind, subject, text });

  if (base.trustOpaque !== head.trustOpaque && (base.trustOpaque || head.trustOpaque)) {
    add("widening", "trust policy changed and cannot be read offline: review it by hand");
  }
  diffTrust(base.trust, head.trust, add);
  diffGrants(base.grants, head.grants, add);
  for (const policy of head.opaquePolicies.filter((p) => !base.opaquePolicies.includes(p))) {
    add("widening", `policy ${code(policy)} attached; its permissions are not in this ${reviewed}: review it by hand`);
  }
  for (const policy of base.opaquePolicies.filter((p) => !head.opaquePolicies.includes(p))) {
    add("narrowing", `policy ${code(policy)} no longer attached`);
  }
  if (!isNew) changes.push(...diffFacts(subject, roleFacts(base, reviewed), roleFacts(head, reviewed)));
  return changes;
}

type Add = (kind: ChangeClass, text: string) => void;

function diffTrust(base: readonly TrustEntry[], head: readonly TrustEntry[], add: Add): void {
  const key = (entry: TrustEntry) => `${entry.effect}|${entry.principal}|${entry.action}`;
  const baseByKey = new Map(base.map((entry) => [key(entry), entry]));
  const headKeys = new Set(head.map(key));
  for (const entry of head) {
    const before = baseByKey.get(key(entry));
    const who = `${principalText(entry.principal)} (${code(entry.action)})`;
    if (!before) {
      if (entry.effect === "Deny") add("narrowing", `now denies assumption by ${who}`);
      else add("widening", `may now be assumed by ${who}${idsText(entry.externalIds)}${conditionsText(entry.conditions)}`);
      continue;
    }
    if (entry.effect === "Deny") continue;
    if (before.externalIds !== null && entry.externalIds === null) {
      add("widening", `no longer requires an external ID: ${who} may assume it without presenting a project token`);
    } else if (before.externalIds === null && entry.externalIds !== null) {
      add("narrowing", `now requires external ID ${codeList(entry.externalIds)} from ${who}`);
    } else if (before.externalIds !== null && entry.externalIds !== null) {
      const added = entry.externalIds.filter((id) => !before.externalIds!.includes(id));
      const removed = before.externalIds.filter((id) => !entry.externalIds!.includes(id));
      if (added.length > 0) add("widening", `now also accepts external ID ${codeList(added)} from ${who}`);
      if (removed.length > 0) add("narrowing", `no longer accepts external ID ${codeList(removed)}`);
    }
    for (const condition of before.conditions.filter((c) => !entry.conditions.includes(c))) {
      add("widening", `trust condition removed: ${code(condition)}`);
    }
    for (const condition of entry.conditions.filter((c) => !before.conditions.includes(c))) {
      add("narrowing", `trust condition added: ${code(condition)}`);
    }
  }
  for (const entry of base.filter((e) => !headKeys.has(key(e)))) {
    const who = `${principalText(entry.principal)} (${code(entry.action)})`;
    if (entry.effect === "Deny") add("widening", `no longer denies assumption by ${who}`);
    else add("narrowing", `can no longer be assumed by ${who}`);
  }
}

function idsText(ids: readonly string[] | null): string {
  return ids === null ? ", ⚠ with no external ID required" : ` with external ID ${codeList(ids)}`;
}

function conditionsText(conditions: readonly string[]): string {
  return conditions.length > 0 ? ` when ${conditions.map(code).join(" and ")}` : "";
}

/** Whether some grant of `others` allows at least what `grant` allows (wider action and resource, fewer conditions). */
function coveredBy(grant: Grant, others: readonly Grant[]): boolean {
  return others.some((other) => covers(other.action, grant.action, true) && covers(other.resource, grant.resource) &&
    other.conditions.every((c) => grant.conditions.includes(c)));
}

function diffGrants(base: readonly Grant[], head: readonly Grant[], add: Add): void {
  const allow = (grants: readonly Grant[]) => grants.filter((g) => g.effect === "Allow");
  const [baseAllow, headAllow] = [allow(base), allow(head)];

  const widened = new Map<string, { actions: string[]; text: (actions: string) => string }>();
  for (const grant of headAllow.filter((g) => !coveredBy(g, baseAllow))) {
    const sameTarget = baseAllow.filter((b) => covers(b.action, grant.action, true) && b.resource === grant.resource);
    const narrowerTargets = baseAllow.filter((b) => covers(b.action, grant.action, true) && covers(grant.resource, b.resource));
    const scope = scopeOf(grant.resource, grant.conditions);
    const where = `on ${code(grant.resource)}${scope ? ` (${scope})` : ""}`;
    let reason: string;
    let text: (actions: string) => string;
    if (sameTarget.length > 0) {
      const dropped = [...new Set(sameTarget.flatMap((b) => b.conditions.filter((c) => !grant.conditions.includes(c))))];
      reason = `cond|${grant.resource}|${dropped.join("&")}|${grant.conditions.join("&")}`;
      text = (actions) => `may ${actions} ${where} without the condition ${dropped.map(code).join(" and ")} (condition removed)`;
    } else if (narrowerTargets.length > 0) {
      const was = [...new Set(narrowerTargets.map((b) => b.resource))];
      reason = `broader|${grant.resource}|${was.join("&")}|${grant.conditions.join("&")}`;
      text = (actions) => `may ${actions} ${where}${conditionsText(grant.conditions)}, broader than ${codeList(was)} (broader resource)`;
    } else {
      reason = `new|${grant.resource}|${grant.conditions.join("&")}`;
      text = (actions) => `may now ${actions} ${where}${conditionsText(grant.conditions)}`;
    }
    const entry = widened.get(reason) ?? { actions: [], text };
    if (!entry.actions.includes(grant.action)) entry.actions.push(grant.action);
    widened.set(reason, entry);
  }
  for (const { actions, text } of widened.values()) add("widening", text(codeList(actions)));

  const narrowed = new Map<string, { actions: string[]; text: (actions: string) => string }>();
  for (const grant of baseAllow.filter((g) => !coveredBy(g, headAllow))) {
    const sameTarget = headAllow.filter((h) => covers(h.action, grant.action, true) && h.resource === grant.resource);
    const narrowerTargets = headAllow.filter((h) => covers(h.action, grant.action, true) && covers(grant.resource, h.resource));
    const where = `on ${code(grant.resource)}`;
    let reason: string;
    let text: (actions: string) => string;
    if (sameTarget.length > 0) {
      const added = [...new Set(sameTarget.flatMap((h) => h.conditions.filter((c) => !grant.conditions.includes(c))))];
      reason = `cond|${grant.resource}|${added.join("&")}`;
      text = (actions) => `may ${actions} ${where} only when ${added.map(code).join(" and ")} (condition added)`;
    } else if (narrowerTargets.length > 0) {
      const now = [...new Set(narrowerTargets.map((h) => h.resource))];
      reason = `narrower|${grant.resource}|${now.join("&")}`;
      text = (actions) => `may ${actions} only on ${codeList(now)}, no longer on all of ${code(grant.resource)} (narrower resource)`;
    } else {
      reason = `gone|${grant.resource}|${grant.conditions.join("&")}`;
      text = (actions) => `may no longer ${actions} ${where}${conditionsText(grant.conditions)}`;
    }
    const entry = narrowed.get(reason) ?? { actions: [], text };
    if (!entry.actions.includes(grant.action)) entry.actions.push(grant.action);
    narrowed.set(reason, entry);
  }
  for (const { actions, text } of narrowed.values()) add("narrowing", text(codeList(actions)));

  const denyKey = (g: Grant) => `${g.action}|${g.resource}|${g.conditions.join("&")}`;
  const baseDeny = new Set(base.filter((g) => g.effect === "Deny").map(denyKey));
  const headDeny = new Set(head.filter((g) => g.effect === "Deny").map(denyKey));
  for (const group of groupGrants(head.filter((g) => g.effect === "Deny" && !baseDeny.has(denyKey(g))).map((g) => ({ ...g, policy: "" })))) {
    add("narrowing", `now denied ${codeList(group.actions)} on ${code(group.resource)}${conditionsText(group.conditions)}`);
  }
  for (const group of groupGrants(base.filter((g) => g.effect === "Deny" && !headDeny.has(denyKey(g))).map((g) => ({ ...g, policy: "" })))) {
    add("widening", `no longer denied ${codeList(group.actions)} on ${code(group.resource)}${conditionsText(group.conditions)}`);
  }
}

/**
 * External IDs that used to have no role in common and now share one: a pipeline presenting one project's
 * token then acts with everything granted for the others (e.g. per-project roles switched off).
 */
function sharedRoles(base: StackModel, head: StackModel): Change[] {
  const idsOf = (role: RoleModel) => [...new Set(role.trust.filter((e) => e.effect === "Allow").flatMap((e) => e.externalIds ?? []))];
  const together = new Set(base.roles.flatMap((role) => {
    const ids = idsOf(role);
    return ids.flatMap((a) => ids.map((b) => `${a}|${b}`));
  }));
  return head.roles.flatMap((role) => {
    const ids = idsOf(role).filter((id) => base.externalIds.includes(id));
    const apart = ids.filter((a) => ids.some((b) => a !== b && !together.has(`${a}|${b}`)));
    return apart.length === 0 ? [] : [{
      kind: "widening" as const,
      subject: `role ${code(role.name)}`,
      text: `now trusts external IDs that had separate roles: ${codeList(apart)}; each project's pipeline acts with the permissions granted for all of them`,
    }];
  });
}

// --- buckets, keys, form, other resources -------------------------------------------------------------

function diffBuckets(base: readonly BucketModel[], head: readonly BucketModel[], reviewed: Reviewed): Change[] {
  const changes: Change[] = [];
  const baseByKey = new Map(base.map((bucket) => [bucket.key, bucket]));
  const headKeys = new Set(head.map((bucket) => bucket.key));
  for (const bucket of head) {
    const subject = `bucket ${code(bucket.name)}`;
    const before = baseByKey.get(bucket.key);
    if (!before) {
      changes.push({ kind: "neutral", subject, text: `new in this ${reviewed} (${bucket.created ? "created here" : "existing bucket, configured here"}): ${summary(bucketFacts(bucket, reviewed))}` });
      continue;
    }
    changes.push(...diffFacts(subject, bucketFacts(before, reviewed), bucketFacts(bucket, reviewed)));
    changes.push(...diffPolicyLines(subject, "bucket policy", resourcePolicyLines(before.policy), resourcePolicyLines(bucket.policy)));
  }
  for (const bucket of base.filter((b) => !headKeys.has(b.key))) {
    changes.push({
      kind: "neutral", subject: `bucket ${code(bucket.name)}`,
      text: bucket.created ? `no longer in this ${reviewed}: Terraform plans to destroy it (prevent_destroy, when on, stops the plan)` : `no longer configured by this ${reviewed}`,
    });
  }
  return changes;
}

function diffKmsKeys(base: readonly KmsKeyModel[], head: readonly KmsKeyModel[], reviewed: Reviewed): Change[] {
  const headKeys = new Set(head.map((key) => key.key));
  const pairs = head.map((key): [KmsKeyModel | undefined, KmsKeyModel] => [base.find((b) => b.key === key.key), key]);
  let removed = base.filter((key) => !headKeys.has(key.key));
  const added = pairs.filter(([before]) => !before);
  // One key on each side under different labels (an alias added or renamed) is the same key.
  if (removed.length === 1 && added.length === 1) {
    added[0][0] = removed[0];
    removed = [];
  }
  const changes: Change[] = [];
  for (const [before, key] of pairs) {
    const subject = `KMS key ${code(key.label)}`;
    if (!before) {
      changes.push({ kind: "neutral", subject, text: `new in this ${reviewed}: ${summary(kmsKeyFacts(key))}` });
      continue;
    }
    if (before.label !== key.label) changes.push({ kind: "neutral", subject, text: `was ${code(before.label)}` });
    changes.push(...diffFacts(subject, kmsKeyFacts(before), kmsKeyFacts(key)));
    changes.push(...diffPolicyLines(subject, "key policy", resourcePolicyLines(before.policy), resourcePolicyLines(key.policy)));
  }
  for (const key of removed) {
    changes.push({ kind: "neutral", subject: `KMS key ${code(key.label)}`, text: `no longer in this ${reviewed}: Terraform plans to schedule its deletion` });
  }
  return changes;
}

function diffForm(base: StackModel, head: StackModel): Change[] {
  const subject = "Mixpanel form";
  const changes: Change[] = [];
  const baseByOutput = new Map(base.form.map((field) => [field.output, field]));
  for (const field of head.form) {
    const before = baseByOutput.get(field.output);
    if (!before) changes.push({ kind: "neutral", subject, text: `${field.label}: new, ${formText(field)}` });
    else if (before.value !== field.value) changes.push({ kind: "neutral", subject, text: `${field.label}: ${formText(before)} → ${formText(field)}` });
  }
  for (const field of base.form.filter((f) => !head.form.some((h) => h.output === f.output))) {
    changes.push({ kind: "neutral", subject, text: `${field.label}: no longer an output (was ${formText(field)})` });
  }
  return changes;
}

/** Resource types the review does not model but that can grant access: changes to them need a human. */
const ACCESS_TYPES = /^aws_(iam_|kms_grant|s3_bucket_acl|s3_access_point|s3control_|lakeformation_)|policy/;

function diffOthers(base: StackModel, head: StackModel): Change[] {
  const baseByAddress = new Map(base.others.map((resource) => [resource.address, resource]));
  const changes: Change[] = [];
  for (const resource of head.others) {
    const before = baseByAddress.get(resource.address);
    if (before && before.body === resource.body) continue;
    const risky = ACCESS_TYPES.test(resource.type);
    changes.push({
      kind: risky ? "widening" : "neutral",
      subject: `resource ${code(resource.address)}`,
      text: `${before ? "changed" : "added"}${risky ? "; the review does not model this type and it can grant access: review it by hand" : ""}`,
    });
  }
  for (const resource of base.others.filter((r) => !head.others.some((h) => h.address === r.address))) {
    changes.push({ kind: "neutral", subject: `resource ${code(resource.address)}`, text: "removed" });
  }
  return changes;
}

// --- facts and policy lines ---------------------------------------------------------------------------

const ITEM_LABELS: Record<string, string> = { tags: "tag", lifecycle: "lifecycle rule" };

function diffFacts(subject: string, base: readonly Fact[], head: readonly Fact[]): Change[] {
  const changes: Change[] = [];
  const baseById = new Map(base.map((fact) => [fact.id, fact]));
  for (const fact of head) {
    const before = baseById.get(fact.id);
    if (fact.items || before?.items) {
      changes.push(...diffItems(subject, ITEM_LABELS[fact.id] ?? fact.label, before?.items ?? {}, fact.items ?? {}));
      continue;
    }
    if (!before) {
      changes.push({ kind: "neutral", subject, text: `${fact.label}: ${fact.value}` });
      continue;
    }
    if (before.value === fact.value) continue;
    let kind: ChangeClass = "neutral";
    if (before.rank !== undefined && fact.rank !== undefined) {
      kind = fact.rank < before.rank ? "widening" : fact.rank > before.rank ? "narrowing" : fact.sameRankWidens ? "widening" : "neutral";
    }
    const note = kind === "widening" && before.rank === fact.rank ? " (cannot be judged offline: review it by hand)" : "";
    changes.push({ kind, subject, text: `${fact.label}: ${before.value} → ${fact.value}${note}` });
  }
  for (const fact of base.filter((f) => !head.some((h) => h.id === f.id))) {
    if (fact.items) changes.push(...diffItems(subject, ITEM_LABELS[fact.id] ?? fact.label, fact.items, {}));
    else changes.push({ kind: "neutral", subject, text: `${fact.label}: no longer applies (was ${fact.value})` });
  }
  return changes;
}

function diffItems(subject: string, label: string, base: Readonly<Record<string, string>>, head: Readonly<Record<string, string>>): Change[] {
  // Tag values are free text from the synth: shown as code, so they cannot pass for Markdown of the report.
  const show = (value: string) => (label === "tag" ? code(value) : value);
  const changes: Change[] = [];
  for (const [key, value] of Object.entries(head)) {
    if (!(key in base)) changes.push({ kind: "neutral", subject, text: `${label} ${code(key)} added: ${show(value)}` });
    else if (base[key] !== value) changes.push({ kind: "neutral", subject, text: `${label} ${code(key)}: ${show(base[key])} → ${show(value)}` });
  }
  for (const [key, value] of Object.entries(base)) {
    if (!(key in head)) changes.push({ kind: "neutral", subject, text: `${label} ${code(key)} removed (was ${show(value)})` });
  }
  return changes;
}

function diffPolicyLines(subject: string, what: string, base: ReturnType<typeof resourcePolicyLines>, head: ReturnType<typeof resourcePolicyLines>): Change[] {
  const baseTexts = new Set(base.map((line) => line.text));
  const headTexts = new Set(head.map((line) => line.text));
  const changes: Change[] = [];
  // An added Allow or a removed Deny widens; an unreadable policy that changed cannot be judged, so widens too.
  for (const line of head.filter((l) => !baseTexts.has(l.text))) {
    changes.push({ kind: line.effect === "Deny" ? "narrowing" : "widening", subject, text: `${what} now says: ${line.text}` });
  }
  for (const line of base.filter((l) => !headTexts.has(l.text))) {
    changes.push({ kind: line.effect === "Allow" ? "narrowing" : "widening", subject, text: `${what} no longer says: ${line.text}` });
  }
  return changes;
}

function summary(facts: readonly Fact[]): string {
  return facts.filter((fact) => !fact.items).map((fact) => `${fact.label} ${fact.value}`).join("; ");
}

// --- rendering ----------------------------------------------------------------------------------------

export interface StackDiff {
  readonly name: string;
  readonly changes: readonly Change[];
}

const MARK: Record<ChangeClass, string> = { widening: "**⚠ widening**", narrowing: "narrowing", neutral: "neutral" };

export const DIFF_TITLE = "# What this change grants Mixpanel";

/**
 * The diff as Markdown: a verdict line, then one bullet per change: replacements and deletions (of a plan)
 * first, then widening first.
 */
export function renderDiff(diffs: readonly StackDiff[], externalIds: Iterable<string>, title = DIFF_TITLE, reviewed: Reviewed = "stack"): string {
  const all = diffs.flatMap((diff) => diff.changes);
  const count = (kind: ChangeClass) => all.filter((change) => change.kind === kind).length;
  const destructive = all.filter((change) => change.destructive).length;
  const verdict = all.length === 0 ? `No changes to what this ${reviewed} grants Mixpanel or to its protections.`
    : `${count("widening") > 0 ? `⚠ **${count("widening")} widening**` : "No widening"}, ${count("narrowing")} narrowing, ${count("neutral")} neutral.` +
      (destructive > 0 ? ` ⚠ **${destructive} replaced or destroyed.**` : "");
  const sections = diffs.filter((diff) => diff.changes.length > 0 || diffs.length > 1).map((diff) => {
    const bullets = diff.changes.map((change) => {
      const mark = change.destructive ? `**⚠ ${change.destructive}** (${change.kind})` : MARK[change.kind];
      return `- ${mark} · ${change.subject}: ${change.text.replace(/\n/g, "; ")}`;
    });
    const heading = diffs.length > 1 ? `## Stack ${code(diff.name)}\n\n` : "";
    return `${heading}${bullets.length > 0 ? bullets.join("\n") : "No changes."}`;
  });
  const legend = all.length === 0 ? [] : ["_widening: a third party may do more, or a protection is weaker; narrowing: the reverse; neutral: neither._"];
  return shortenIds([title, verdict, ...sections, ...legend].join("\n\n") + "\n", externalIds);
}
