/**
 * The patterns of the rules, in both dialects that check them: `js` for rules.ts at synth time, `re2` for
 * Terraform's `regex()` in the module's validation blocks (Go's RE2 syntax). Each pair means the same; where
 * the two dialects differ, the RE2 form is written to match what the JavaScript one does:
 *
 * - RE2 allows at most 1000 in a repeat count (`{2,1224}` is a syntax error, which `can()` would silently
 *   turn into "invalid" for every value): the external ID's length is checked with `length()` instead.
 * - JavaScript's `.` stops at \n, \r, U+2028 and U+2029; RE2's only at \n: spelled out as a negated class.
 * - JavaScript's `/i` (without `u`) never folds a non-ASCII letter onto an ASCII one; RE2's `(?i)` folds
 *   `ſ` (U+017F) onto `s`, so `(?i)^aws:` would also match "awſ:": spelled out as `[aA][wW][sS]`.
 * - `\d`, `\w` are ASCII-only in both; `\p{L}`, `\p{Z}`, `\p{N}` are the Unicode categories in both
 *   (JavaScript needs the `u` flag for them).
 * - In RE2, escaping any punctuation is allowed (`\-`, `\.`); a `/` needs no escape.
 */
export interface RulePattern {
  readonly js: RegExp;
  readonly re2: string;
}

export const PATTERNS = {
  bucketCharacters: { js: /^[a-z0-9.-]*$/, re2: "^[a-z0-9.-]*$" },
  bucketStartEnd: { js: /^[a-z0-9].*[a-z0-9]$|^[a-z0-9]$/, re2: "^[a-z0-9]([^\\n\\r\\x{2028}\\x{2029}]*[a-z0-9])?$" },
  ipAddress: { js: /^\d{1,3}(\.\d{1,3}){3}$/, re2: "^\\d{1,3}(\\.\\d{1,3}){3}$" },
  /** The external ID's characters and length (JavaScript); RE2 checks the characters only, `length()` the length. */
  externalId: { js: /^[\w+=,.@:/-]{2,1224}$/, re2: "^[\\w+=,.@:/-]*$" },
  projectId: { js: /^[1-9][0-9]*$/, re2: "^[1-9][0-9]*$" },
  region: { js: /^[a-z]{2,4}(-[a-z]+)+-\d{1,2}$/, re2: "^[a-z]{2,4}(-[a-z]+)+-\\d{1,2}$" },
  otherPartitionRegion: { js: /^(cn-|us-gov-|us-iso|eu-isoe-|eusc-)/, re2: "^(cn-|us-gov-|us-iso|eu-isoe-|eusc-)" },
  /** Capture 1: the key's region. */
  kmsKeyArn: {
    js: /^arn:aws:kms:([a-z0-9-]+):(\d{12}):key\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$/,
    re2: "^arn:aws:kms:([a-z0-9-]+):(\\d{12}):key/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$",
  },
  roleName: { js: /^[\w+=,.@-]{1,64}$/, re2: "^[\\w+=,.@-]{1,64}$" },
  rolePath: { js: /^\/$|^\/[\u0021-\u007e]+\/$/, re2: "^/$|^/[\\x21-\\x7E]+/$" },
  policyArn: { js: /^arn:aws:iam::(\d{12}|aws):policy\/[\w+=,.@/-]+$/, re2: "^arn:aws:iam::(\\d{12}|aws):policy/[\\w+=,.@/-]+$" },
  namePrefix: { js: /^[A-Za-z0-9_-]*$/, re2: "^[A-Za-z0-9_-]*$" },
  tagText: { js: /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u, re2: "^[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*$" },
  reservedTagKey: { js: /^aws:/i, re2: "^[aA][wW][sS]:" },
  /** Glue's single-line rule (tab allowed), minus the characters that would change the meaning of the policy's ARNs. */
  glueDatabaseCharacters: { js: /^[^\x00-\x08\x0a-\x1f*?/]*$/, re2: "^[^\\x00-\\x08\\x0a-\\x1f*?/]*$" },
  glueDatabaseUpperCase: { js: /[A-Z]/, re2: "[A-Z]" },
} satisfies Record<string, RulePattern>;

export const RESERVED_BUCKET_PREFIXES: readonly string[] = ["xn--", "sthree-", "amzn-s3-demo-"];
export const RESERVED_BUCKET_SUFFIXES: readonly string[] = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"];

/** Limits that are not patterns. */
export const LIMITS = {
  bucketName: { min: 3, max: 63 },
  externalId: { min: 2, max: 1224 },
  rolePath: 512,
  maxSessionDuration: { min: 3600, max: 43200 },
  tags: 50,
  tagKey: { min: 1, max: 128 },
  tagValue: 256,
  glueDatabase: { min: 1, max: 255 },
  /** An STANDARD_IA or ONEZONE_IA transition needs at least this many days. */
  infrequentAccessDays: 30,
} as const;

/** Storage classes S3 moves objects to only after {@link LIMITS.infrequentAccessDays}. */
export const INFREQUENT_ACCESS_CLASSES = ["STANDARD_IA", "ONEZONE_IA"] as const;
