import { Fact, bucketFacts, kmsKeyFacts, managedText, resourcePolicyLines, roleFacts } from "./facts";
import { NO_EXTERNAL_ID_AS_DOCUMENTED, catalogPrincipalText, catalogRolesNote, glueScopeOf, isMixpanelCatalogRole, roleKind } from "./glue";
import { FormField, Grant, RoleModel, StackModel } from "./model";
import { Reviewed, code, codeList, principalText, shortenIds, table, valueText } from "./text";

/** How a report is introduced: a synth's stacks, or a plan (whose form is derived from its resources). */
export interface ReportOptions {
  readonly title?: string;
  /** "Plan `plan.json`." instead of "Stack `name`."; the form without an output column. */
  readonly plan?: boolean;
  /** The modules of the plan the report is limited to, named after the plan: "Plan `plan.json`, module `module.prod`." */
  readonly modules?: readonly string[];
  /** A line after the introduction (e.g. how many roles of a plan Mixpanel cannot assume). */
  readonly note?: string;
}

/** The Markdown report of one or more synthesized stacks, or of one plan's planned values. */
export function renderReport(stacks: readonly StackModel[], options: ReportOptions = {}): string {
  const ids = stacks.flatMap((stack) => stack.externalIds);
  const body = stacks.map((stack) => renderStack(stack, stacks.length > 1, options)).join("\n\n");
  return shortenIds(`${options.title ?? "# What this stack grants Mixpanel"}\n\n${body}\n`, ids);
}

function renderStack(stack: StackModel, several: boolean, options: ReportOptions): string {
  const h = several ? "###" : "##";
  const reviewed: Reviewed = options.plan ? "plan" : "stack";
  const sections: string[] = [];
  const modules = options.modules ?? [];
  const intro = !options.plan ? `Stack ${code(stack.name)}.`
    : `Plan ${code(stack.name)}${modules.length > 0 ? `, ${modules.length === 1 ? "module" : "modules"} ${codeList(modules)}` : ""}.`;
  sections.push(several ? `## Stack ${code(stack.name)}` : options.note ? `${intro} ${options.note}` : intro);
  sections.push(`${h} Who can assume each role`, stack.roles.length === 0 ? "No role." : table(
    ["Role", "Principal", "Action", "External ID", "Other conditions"],
    stack.roles.flatMap((role) => trustRows(role, reviewed)),
  ));
  const catalogNote = catalogRolesNote(stack.roles);
  if (catalogNote) sections.push(catalogNote);
  sections.push(`${h} What each role may do`);
  for (const role of stack.roles) sections.push(renderPermissions(role, h, reviewed));
  if (stack.roles.length === 0) sections.push("No role.");
  sections.push(`${h} Bucket protections`);
  for (const bucket of stack.buckets) {
    const facts = bucketFacts(bucket, reviewed);
    const policyLines = resourcePolicyLines(bucket.policy);
    const rows = factRows(facts);
    rows.splice(4, 0, ["Other bucket policy statements", policyLines.length > 0 ? policyLines.map((l) => l.text).join("\n") : "none"]);
    sections.push(`**Bucket ${code(bucket.name)}**`, table(["Protection", "State"], rows));
  }
  if (stack.buckets.length === 0) sections.push(`No bucket in this ${reviewed}.`);
  for (const key of stack.kmsKeys) {
    const rows = factRows(kmsKeyFacts(key));
    const lines = resourcePolicyLines(key.policy);
    if (lines.length > 0) rows.push(["Key policy statements", lines.map((l) => l.text).join("\n")]);
    sections.push(`**KMS key ${code(key.label)}** (${managedText(key.planStatus, reviewed)})`, table(["Protection", "State"], rows));
  }
  sections.push(`${h} Mixpanel pipeline form`, stack.form.length === 0 ? "No outputs." : options.plan
    ? table(["Field", "Value"], stack.form.map((field) => [field.label, formText(field)]))
    : table(["Field", "Output", "Value"], stack.form.map((field) => [field.label, code(field.output), formText(field)])));
  // A plan's form is derived from its roles: say which it leaves out, and why.
  const unknown = options.plan ? stack.roles.filter((role) => roleKind(role) === "unknown") : [];
  if (unknown.length > 0) {
    sections.push(`Not in the form: ${codeList(unknown.map((role) => role.name))}: ${unknown.length === 1 ? "its trust policy is" : "their trust policies are"} ` +
      "not readable in this plan (known only after apply), so the review cannot tell whether Mixpanel's account may assume " +
      `${unknown.length === 1 ? "it; its permissions are" : "them; their permissions are"} listed above all the same.`);
  }
  return sections.join("\n\n");
}

function trustRows(role: RoleModel, reviewed: Reviewed): string[][] {
  if (role.trustOpaque) return [[code(role.name), `unreadable trust policy ${code(role.trustOpaque)}`, "", "", ""]];
  if (!role.managedHere) return [[code(role.name), `(created elsewhere: trust policy not in this ${reviewed})`, "", "", ""]];
  if (role.trust.length === 0) return [[code(role.name), "nobody", "", "", ""]];
  const catalogRole = isMixpanelCatalogRole(role);
  return role.trust.map((entry) => [
    code(role.name),
    `${entry.effect === "Deny" ? "Deny: " : ""}${(catalogRole ? catalogPrincipalText(entry.principal) : undefined) ?? principalText(entry.principal)}`,
    code(entry.action),
    entry.externalIds === null ? (catalogRole ? NO_EXTERNAL_ID_AS_DOCUMENTED : "⚠ none required") : codeList(entry.externalIds),
    entry.conditions.length > 0 ? codeList(entry.conditions) : "none",
  ]);
}

function renderPermissions(role: RoleModel, h: string, reviewed: Reviewed): string {
  const groups = groupGrants(role.grants);
  const parts = [`${h}# Role ${code(role.name)}`];
  parts.push(groups.length === 0 ? `No permissions from policies in this ${reviewed}.` : table(
    ["Effect", "Actions", "Resource", "Scope", "Conditions", "Policy"],
    groups.map((group) => [
      group.effect, codeList(group.actions), valueText(group.resource), scopeOf(group.resource, group.conditions),
      group.conditions.length > 0 ? codeList(group.conditions) : "none", code(group.policy),
    ]),
  ));
  if (role.opaquePolicies.length > 0) {
    parts.push(`Also attached, contents not in this ${reviewed}: ${codeList(role.opaquePolicies)}.`);
  }
  // Prefix scoping is measured against Mixpanel's page: not for a role that may not be Mixpanel's.
  const scoping = roleKind(role) === "unknown" ? "" : prefixScoping(role.grants);
  const settings = roleFacts(role, reviewed).filter((fact) => fact.id !== "managed" && fact.id !== "path");
  parts.push([scoping, ...settings.map((fact) => `${fact.label}: ${fact.value}`), `Path: ${code(role.path)}`].filter(Boolean).join(" · "));
  return parts.join("\n\n");
}

export interface GrantGroup {
  readonly effect: "Allow" | "Deny";
  readonly resource: string;
  readonly conditions: readonly string[];
  readonly policy: string;
  readonly actions: string[];
}

/** Grants with the same effect, resource, conditions and policy, as one row listing their actions. */
export function groupGrants(grants: readonly Grant[]): GrantGroup[] {
  const groups = new Map<string, GrantGroup>();
  for (const grant of grants) {
    const key = [grant.effect, grant.resource, grant.conditions.join("&"), grant.policy].join("|");
    const group = groups.get(key) ?? { effect: grant.effect, resource: grant.resource, conditions: grant.conditions, policy: grant.policy, actions: [] };
    if (!group.actions.includes(grant.action)) group.actions.push(grant.action);
    groups.set(key, group);
  }
  return [...groups.values()];
}

const S3_ARN = /^arn:aws:s3:::([^/]+)(?:\/(.*))?$/;

/** What an S3 ARN (and an `s3:prefix` condition) reaches, in words. */
export function scopeOf(resource: string, conditions: readonly string[]): string {
  if (resource === "*") return "⚠ every resource";
  if (resource.startsWith("<KMS key") || resource.startsWith("arn:aws:kms:")) return "the key";
  const glue = glueScopeOf(resource);
  if (glue) return glue;
  const match = S3_ARN.exec(resource);
  if (!match) return "";
  if (match[2] === undefined) {
    const prefixes = conditions.filter((c) => / s3:prefix = /.test(c)).flatMap((c) => c.split(" = ")[1].split(", "));
    return prefixes.length > 0 ? `the bucket itself, only for keys matching ${codeList(prefixes)}` : "the bucket itself";
  }
  if (match[2] === "*") return "every object";
  return match[2].endsWith("*") ? `objects under ${code(match[2].slice(0, -1))}` : `the object ${code(match[2])}`;
}

function prefixScoping(grants: readonly Grant[]): string {
  const objectGrants = grants.filter((g) => g.effect === "Allow" && (g.resource === "*" || /^arn:aws:s3:::[^/]+\//.test(g.resource)));
  if (objectGrants.length === 0) return "";
  const prefixes = [...new Set(objectGrants.map((g) => (g.resource === "*" ? "" : g.resource.replace(/^arn:aws:s3:::[^/]+\//, "").replace(/\*$/, ""))))];
  if (prefixes.includes("")) return "Prefix scoping: none, every object of the bucket (as Mixpanel's page)";
  return `Prefix scoping: only under ${codeList(prefixes)}`;
}

function factRows(facts: readonly Fact[]): string[][] {
  return facts.map((fact) => [fact.label, fact.value]);
}

/** A form value: `<ARN of role x>` is known after apply; a map shows one line per key (e.g. per token). */
export function formText(field: FormField): string {
  if (field.parts.length === 0) return "(none)";
  return field.parts.map((part) => {
    const text = part.text === "" ? "(empty)" : valueText(part.text);
    return part.key === undefined ? text : `${code(part.key)}: ${text}`;
  }).join("\n");
}
