import { BucketModel, Encryption, KmsKeyModel, PUBLIC_ACCESS_SETTINGS, PlanStatus, RoleModel } from "./model";
import { ParsedPolicy, Statement, conditionText } from "./policy";
import { Reviewed, code, durationText, valueText } from "./text";

/**
 * One property of a role, bucket or key that the report shows and the diff compares. `rank` orders the
 * values by protection: a lower rank in the head is a widening, a higher one a narrowing; equal ranks (or
 * no rank) are neutral, unless `sameRankWidens` says a change between equal ranks cannot be judged offline.
 */
export interface Fact {
  readonly id: string;
  readonly label: string;
  readonly value: string;
  readonly rank?: number;
  readonly sameRankWidens?: boolean;
  /** Named sub-values compared one by one (tags, lifecycle rules), always neutral. */
  readonly items?: Readonly<Record<string, string>>;
}

export function roleFacts(role: RoleModel, reviewed: Reviewed = "stack"): Fact[] {
  return [
    { id: "managed", label: "Role", value: role.managedHere ? `created by this ${reviewed}` : `created elsewhere; this ${reviewed} only attaches policies` },
    {
      id: "session", label: "Max session duration", value: durationText(role.maxSessionDuration),
      rank: -role.maxSessionDuration,
    },
    { id: "path", label: "Path", value: code(role.path) },
    {
      id: "boundary", label: "Permissions boundary",
      value: role.permissionsBoundary ? code(role.permissionsBoundary) : "none",
      rank: role.permissionsBoundary ? 1 : 0, sameRankWidens: true,
    },
    tagsFact(role.tags),
  ];
}

export function bucketFacts(bucket: BucketModel, reviewed: Reviewed = "stack"): Fact[] {
  const notManaged = notManagedText(reviewed);
  const facts: Fact[] = [
    { id: "created", label: "Bucket", value: bucket.created ? managedText(bucket.planStatus, reviewed) : "existing bucket, not created here" },
    publicAccessFact(bucket.publicAccessBlock, bucket.created, reviewed),
    ownershipFact(bucket.objectOwnership, bucket.created, reviewed),
    {
      id: "tls-only", label: "TLS-only bucket policy",
      value: hasTlsOnlyStatement(bucket.policy) ? "on: requests without TLS are denied"
        : bucket.created || bucket.policy ? "off: requests without TLS are not refused" : notManaged,
      rank: hasTlsOnlyStatement(bucket.policy) ? 1 : 0,
    },
    encryptionFact(bucket.encryption, bucket.created, reviewed),
  ];
  if (bucket.encryption?.algorithm.startsWith("aws:kms")) {
    facts.push({ id: "bucket-key", label: "S3 Bucket Keys", value: bucket.encryption.bucketKey ? "on" : "off" });
  }
  facts.push(
    {
      id: "versioning", label: "Versioning",
      value: bucket.versioning === "Enabled" ? "on" : bucket.versioning ? `off (${code(bucket.versioning)})` : bucket.created ? "off" : notManaged,
      rank: bucket.versioning === "Enabled" ? 1 : 0,
    },
    {
      id: "lifecycle", label: "Lifecycle rules",
      value: bucket.lifecycle?.length ? bucket.lifecycle.map((rule) => `${code(rule.id)}: ${rule.text}`).join("\n")
        : bucket.created ? "none" : notManaged,
      items: Object.fromEntries((bucket.lifecycle ?? []).map((rule) => [rule.id, rule.text])),
    },
    {
      id: "logging", label: "Access logging",
      value: bucket.logging ? `on: to ${code(bucket.logging.bucket)} under ${code(bucket.logging.prefix)}` : bucket.created ? "off" : notManaged,
      rank: bucket.logging ? 1 : 0,
    },
  );
  if (bucket.created) {
    facts.push(
      preventDestroyFact(bucket.preventDestroy),
      {
        id: "force-destroy", label: "force_destroy",
        value: bucket.forceDestroy ? "on: destroying the bucket deletes every object" : "off", rank: bucket.forceDestroy ? 0 : 1,
      },
      tagsFact(bucket.tags),
    );
  }
  return facts;
}

/** How a bucket or key this input manages is described: created by a synth's stack, or what a plan does to it. */
export function managedText(status: PlanStatus | undefined, reviewed: Reviewed): string {
  switch (status) {
    case undefined:
    case "created": return `created by this ${reviewed}`;
    case "unchanged": return `managed by this ${reviewed}, unchanged`;
    case "forgotten": return "no longer managed by Terraform (stays in AWS)";
    default: return `${status} by this ${reviewed}`;
  }
}

export function kmsKeyFacts(key: KmsKeyModel): Fact[] {
  return [
    { id: "rotation", label: "Key rotation", value: key.rotation ? "on" : "off", rank: key.rotation ? 1 : 0 },
    {
      id: "deletion-window", label: "Deletion window",
      value: key.deletionWindowDays !== undefined ? `${key.deletionWindowDays} days` : "30 days (AWS's default)",
      rank: key.deletionWindowDays ?? 30,
    },
    preventDestroyFact(key.preventDestroy),
    {
      id: "key-policy", label: "Key policy",
      value: key.policy === undefined ? "AWS's default (delegates to the account's IAM policies)"
        : "opaque" in key.policy ? "unreadable (not plain JSON)" : `${key.policy.statements.length} statement(s), below`,
    },
    tagsFact(key.tags),
  ];
}

/** Unknown in a plan, which does not show `lifecycle`; but a plan that would destroy a protected resource fails. */
function preventDestroyFact(on: boolean | undefined): Fact {
  const label = "prevent_destroy";
  if (on === undefined) return { id: "prevent-destroy", label, value: "not shown in a plan (a plan that destroys it fails when it is on)" };
  return { id: "prevent-destroy", label, value: on ? "on" : "off", rank: on ? 1 : 0 };
}

function tagsFact(tags: Readonly<Record<string, string>>): Fact {
  const entries = Object.entries(tags);
  return {
    id: "tags", label: "Tags",
    value: entries.length > 0 ? entries.map(([k, v]) => code(`${k}=${v}`)).join(", ") : "none",
    items: tags,
  };
}

/**
 * What an existing bucket's setting is when this stack does not manage it: unknown here. Ranked as off all
 * the same: dropping a setting from the stack makes Terraform delete it from the bucket.
 */
function notManagedText(reviewed: Reviewed): string {
  return `not managed by this ${reviewed} (the bucket's own setting applies)`;
}

function publicAccessFact(settings: Readonly<Record<string, boolean>> | undefined, created: boolean, reviewed: Reviewed): Fact {
  const label = "Block Public Access";
  if (!settings) return { id: "public-access-block", label, value: created ? "off: no public access block" : notManagedText(reviewed), rank: 0 };
  const on = PUBLIC_ACCESS_SETTINGS.filter((setting) => settings[setting]);
  const off = PUBLIC_ACCESS_SETTINGS.filter((setting) => !settings[setting]);
  const value = off.length === 0 ? "on, all four settings"
    : on.length === 0 ? "off: all four settings false" : `partly: off for ${off.map(code).join(", ")}`;
  return { id: "public-access-block", label, value, rank: on.length };
}

const OWNERSHIP_RANK: Record<string, number> = { BucketOwnerEnforced: 2, BucketOwnerPreferred: 1, ObjectWriter: 0 };

function ownershipFact(ownership: string | undefined, created: boolean, reviewed: Reviewed): Fact {
  const label = "Object Ownership";
  if (!ownership) return { id: "ownership", label, value: created ? "not set here (ACLs as the bucket has them)" : notManagedText(reviewed), rank: 0 };
  const note = ownership === "BucketOwnerEnforced" ? " (ACLs disabled)" : " (ACLs enabled)";
  return { id: "ownership", label, value: `${code(ownership)}${note}`, rank: OWNERSHIP_RANK[ownership] ?? 0 };
}

/**
 * Encryption ranks by who can read the objects, not by cipher (all are AES-256 at rest):
 * - 0: not set by this stack (S3 applies SSE-S3 to new objects, but nothing here keeps it so);
 * - 1: SSE-S3, or SSE-KMS with the AWS-managed aws/s3 key: whoever may read the object may decrypt it,
 *   since aws/s3's key policy admits every principal of the account using it through S3;
 * - 2: SSE-KMS or DSSE-KMS with a customer managed key: reading also needs kms:Decrypt on that key.
 * So AES -> KMS with aws/s3 is neutral, AES -> a customer key narrowing, and any step down widening.
 */
export function encryptionFact(encryption: Encryption | undefined, created = true, reviewed: Reviewed = "stack"): Fact {
  const label = "Default encryption";
  if (!encryption) return { id: "encryption", label, value: created ? "not set here (S3's default: SSE-S3)" : notManagedText(reviewed), rank: 0 };
  if (encryption.algorithm === "AES256") return { id: "encryption", label, value: "SSE-S3 (`AES256`)", rank: 1 };
  if (encryption.algorithm.startsWith("aws:kms")) {
    const kind = encryption.algorithm === "aws:kms:dsse" ? "DSSE-KMS" : "SSE-KMS";
    return encryption.kmsKey
      ? { id: "encryption", label, value: `${kind} with customer key ${valueText(encryption.kmsKey)}`, rank: 2 }
      : { id: "encryption", label, value: `${kind} with the AWS-managed ${code("aws/s3")} key`, rank: 1 };
  }
  return { id: "encryption", label, value: code(encryption.algorithm), rank: 0 };
}

const TLS_CONDITION = "Bool aws:SecureTransport = false";

function isTlsOnlyStatement(statement: Statement): boolean {
  return statement.effect === "Deny" && statement.conditions.some((c) => conditionText(c) === TLS_CONDITION);
}

export function hasTlsOnlyStatement(policy: ParsedPolicy | undefined): boolean {
  return policy !== undefined && "statements" in policy && policy.statements.some(isTlsOnlyStatement);
}

/**
 * A resource policy (bucket or key policy) as one line per statement, principal, action and resource,
 * leaving out the TLS-only statement, which is a fact of its own. An unreadable policy is one opaque line.
 */
export function resourcePolicyLines(policy: ParsedPolicy | undefined): { effect: "Allow" | "Deny" | "?"; text: string }[] {
  if (!policy) return [];
  if ("opaque" in policy) return [{ effect: "?", text: `unreadable policy ${code(policy.opaque)}` }];
  return policy.statements.filter((statement) => !isTlsOnlyStatement(statement)).flatMap((statement) => {
    const conditions = statement.conditions.map(conditionText).sort();
    const when = conditions.length > 0 ? ` when ${conditions.map(code).join(" and ")}` : "";
    return (statement.principals.length > 0 ? statement.principals : ["(no principal)"]).flatMap((principal) =>
      statement.actions.flatMap((action) => statement.resources.map((resource) => ({
        effect: statement.effect,
        text: `${statement.effect} ${code(principal)} ${code(action)} on ${code(resource)}${when}`,
      }))));
  });
}
