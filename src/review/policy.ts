/**
 * IAM policy documents as the review sees them: statements flattened to one (action, resource) pair per
 * grant, conditions in a canonical text form, and wildcard coverage ("does `b/*` include `b/1001/*`?").
 */

export interface Condition {
  readonly operator: string;
  readonly key: string;
  readonly values: readonly string[];
}

export interface Statement {
  readonly sid?: string;
  readonly effect: "Allow" | "Deny";
  /** `*`, or `AWS:<arn>`, `Service:<name>`, `Federated:<provider>`; prefixed `NOT ` for NotPrincipal. */
  readonly principals: readonly string[];
  /** Actions; a NotAction list becomes one entry `NotAction(a, b)` that only an identical entry covers. */
  readonly actions: readonly string[];
  readonly resources: readonly string[];
  readonly conditions: readonly Condition[];
}

/** A policy whose JSON could be read, or the text of one that could not (e.g. a data source reference). */
export type ParsedPolicy = { readonly statements: readonly Statement[] } | { readonly opaque: string };

/** Parses a policy attribute (a JSON string, as this project writes them, or an object). */
export function parsePolicy(value: unknown, resolve: (text: string) => string): ParsedPolicy {
  let document: unknown = value;
  if (typeof value === "string") {
    try {
      document = JSON.parse(value);
    } catch {
      return { opaque: resolve(value) };
    }
  }
  const statements = isRecord(document) ? document.Statement : undefined;
  const list = Array.isArray(statements) ? statements : isRecord(statements) ? [statements] : undefined;
  if (!list || !list.every(isRecord)) return { opaque: resolve(typeof value === "string" ? value : JSON.stringify(value)) };
  return { statements: list.map((statement) => parseStatement(statement as Record<string, unknown>, resolve)) };
}

function parseStatement(raw: Record<string, unknown>, resolve: (text: string) => string): Statement {
  const strings = (value: unknown) => asList(value).map((item) => resolve(String(item)));
  const principals = raw.Principal !== undefined ? principalList(raw.Principal, resolve)
    : raw.NotPrincipal !== undefined ? principalList(raw.NotPrincipal, resolve).map((p) => `NOT ${p}`) : [];
  const actions = raw.NotAction !== undefined ? [`NotAction(${strings(raw.NotAction).join(", ")})`] : strings(raw.Action);
  const resources = raw.NotResource !== undefined ? [`NotResource(${strings(raw.NotResource).join(", ")})`]
    : raw.Resource !== undefined ? strings(raw.Resource) : ["*"];
  const conditions: Condition[] = [];
  if (isRecord(raw.Condition)) {
    for (const [operator, byKey] of Object.entries(raw.Condition)) {
      if (!isRecord(byKey)) continue;
      for (const [key, values] of Object.entries(byKey)) conditions.push({ operator, key, values: strings(values) });
    }
  }
  return {
    sid: typeof raw.Sid === "string" ? raw.Sid : undefined,
    effect: raw.Effect === "Deny" ? "Deny" : "Allow",
    principals,
    actions,
    resources,
    conditions,
  };
}

function principalList(value: unknown, resolve: (text: string) => string): string[] {
  if (value === "*") return ["*"];
  if (!isRecord(value)) return asList(value).map((item) => resolve(String(item)));
  return Object.entries(value).flatMap(([type, ids]) => asList(ids).map((id) => (id === "*" && type === "AWS" ? "*" : `${type}:${resolve(String(id))}`)));
}

/** `StringLike s3:prefix = 1001/, 1001/*`: values sorted, since a condition's values are alternatives. */
export function conditionText(condition: Condition): string {
  return `${condition.operator} ${condition.key} = ${[...condition.values].sort().join(", ")}`;
}

/**
 * Whether an IAM wildcard pattern (`*`, `?`) matches everything `value` can stand for. `value` is taken
 * literally, so its own `*` is only matched by a `*` of the pattern: `b/*` covers `b/1001/*`, not the reverse.
 */
export function covers(pattern: string, value: string, ignoreCase = false): boolean {
  if (pattern === value) return true;
  if (!pattern.includes("*") && !pattern.includes("?")) return ignoreCase && pattern.toLowerCase() === value.toLowerCase();
  const source = pattern.split("").map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[.+^${}()|[\]\\]/g, "\\$&"))).join("");
  return new RegExp(`^${source}$`, ignoreCase ? "is" : "s").test(value);
}

function asList(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
