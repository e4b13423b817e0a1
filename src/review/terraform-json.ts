/**
 * The subset of a synthesized `cdk.tf.json` the review reads, as plain JSON: no cdktf and no provider
 * bindings are loaded, so the review starts in milliseconds.
 */
export type Json = null | boolean | number | string | Json[] | JsonObject;
export interface JsonObject {
  [key: string]: Json;
}

/** Resources by type, then by Terraform name. */
export type Resources = Record<string, Record<string, JsonObject>>;

export interface TerraformConfig {
  readonly resource?: Resources;
  readonly output?: Record<string, { readonly value?: Json; readonly description?: string }>;
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A nested block as cdktf writes it: an object, or a list holding one (e.g. `filter: [{ prefix: "" }]`). */
export function block(value: Json | undefined): JsonObject | undefined {
  if (Array.isArray(value)) return isObject(value[0]) ? value[0] : undefined;
  return isObject(value) ? value : undefined;
}

/** Every element of a repeated block (`rule: [...]`), whether written as a list or a single object. */
export function blocks(value: Json | undefined): JsonObject[] {
  if (Array.isArray(value)) return value.filter(isObject);
  return isObject(value) ? [value] : [];
}

export function str(value: Json | undefined): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** Terraform booleans may be synthesized as `true` or `"true"`. */
export function bool(value: Json | undefined): boolean | undefined {
  if (typeof value === "boolean") return value;
  if (value === "true" || value === "false") return value === "true";
  return undefined;
}

export function num(value: Json | undefined): number | undefined {
  if (typeof value === "number") return value;
  if (typeof value === "string" && /^\d+$/.test(value)) return Number(value);
  return undefined;
}

export function stringMap(value: Json | undefined): Record<string, string> {
  if (!isObject(value)) return {};
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
}

/** A reference to another resource's attribute: `${aws_iam_policy.name.arn}`. */
export interface Reference {
  readonly type: string;
  readonly name: string;
  readonly attribute: string;
}

const WHOLE_REFERENCE = /^\$\{([a-z][a-z0-9_]*)\.([A-Za-z0-9_-]+)\.([a-z0-9_]+)\}$/;
/** Every `${type.name.attribute}` inside a string. */
export const REFERENCES = /\$\{([a-z][a-z0-9_]*)\.([A-Za-z0-9_-]+)\.([a-z0-9_]+)\}/g;

/** The reference when the whole string is one, e.g. an attachment's `policy_arn`. */
export function parseReference(value: Json | undefined): Reference | undefined {
  const match = typeof value === "string" ? WHOLE_REFERENCE.exec(value) : null;
  return match ? { type: match[1], name: match[2], attribute: match[3] } : undefined;
}
