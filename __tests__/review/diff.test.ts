import * as fs from "fs";
import * as path from "path";
import { MixpanelS3ExportProps } from "../../src/config/props";
import { BUCKET, TOKEN, TOKEN_B, baseProps, synthStack } from "../support/synth";
import { cli, diff, kinds, writeCdktfOut, writeStacks } from "./helpers";

/**
 * `review --base --head` on pairs of synths made by the construct itself: each change the issue names,
 * with its class and the exit code CI acts on (0 no widening, 1 widening).
 */

const MIXPANEL_USER = "Mixpanel's export user `arn:aws:iam::485438090326:user/mixpanel-export` (`sts:AssumeRole`)";
const LEGEND = "_widening: a third party may do more, or a protection is weaker; narrowing: the reverse; neutral: neither._\n";
const TWO_PROJECTS: MixpanelS3ExportProps["projects"] = [{ token: TOKEN, projectId: "1001" }, { token: TOKEN_B, projectId: "2002" }];
const ROLE_ARN = "`<ARN of role mixpanel-export>` (known after apply)";

function document(verdict: string, ...bullets: string[]): string {
  return ["# What this change grants Mixpanel", verdict, bullets.join("\n"), LEGEND].join("\n\n");
}

test("adding a token is widening: the role accepts one more external ID (exit 1)", () => {
  const result = diff(baseProps(), baseProps({ projects: [{ token: TOKEN }, { token: TOKEN_B }] }));
  expect(result.stdout).toBe(document(
    "⚠ **1 widening**, 0 narrowing, 1 neutral.",
    `- **⚠ widening** · role \`mixpanel-export\`: now also accepts external ID \`fedc…3210\` from ${MIXPANEL_USER}`,
    `- neutral · Mixpanel form: Role, for each project token: \`0123…cdef\`: ${ROLE_ARN} → \`0123…cdef\`: ${ROLE_ARN}; \`fedc…3210\`: ${ROLE_ARN}`,
  ));
  expect(result.code).toBe(1);
});

test("switching per-project roles off is widening: one role now trusts both tokens (exit 1)", () => {
  const result = diff(baseProps({ projects: TWO_PROJECTS, rolePerProject: true }), baseProps({ projects: TWO_PROJECTS }));
  expect(result.changes.filter((c) => c.kind === "widening").map((c) => `${c.subject}: ${c.text}`)).toEqual([
    `new role \`mixpanel-export\`: may now be assumed by ${MIXPANEL_USER} with external ID \`${TOKEN}\`, \`${TOKEN_B}\``,
    `new role \`mixpanel-export\`: may now \`s3:PutObject\`, \`s3:GetObject\`, \`s3:ListBucket\`, \`s3:DeleteObject\` on \`arn:aws:s3:::${BUCKET}\` (the bucket itself)`,
    `new role \`mixpanel-export\`: may now \`s3:PutObject\`, \`s3:GetObject\`, \`s3:ListBucket\`, \`s3:DeleteObject\` on \`arn:aws:s3:::${BUCKET}/*\` (every object)`,
    `role \`mixpanel-export\`: now trusts external IDs that had separate roles: \`${TOKEN}\`, \`${TOKEN_B}\`; each project's pipeline acts with the permissions granted for all of them`,
  ]);
  expect(result.changes.filter((c) => c.kind === "narrowing").map((c) => c.subject))
    .toEqual(["role `mixpanel-export-1001`", "role `mixpanel-export-2002`"]);
  expect(result.code).toBe(1);
});

test("removing prefix scoping is widening: broader resources and a removed condition (exit 1)", () => {
  const scoped = baseProps({ projects: TWO_PROJECTS, rolePerProject: true, scopeToProjectPrefix: true });
  const result = diff(scoped, { ...scoped, scopeToProjectPrefix: false });
  expect(kinds(result.changes)).toEqual(Array(8).fill("widening"));
  expect(result.changes.filter((c) => c.subject === "role `mixpanel-export-1001`").map((c) => c.text)).toEqual([
    `may now \`s3:PutObject\`, \`s3:GetObject\`, \`s3:DeleteObject\` on \`arn:aws:s3:::${BUCKET}\` (the bucket itself)`,
    `may \`s3:PutObject\`, \`s3:GetObject\`, \`s3:DeleteObject\` on \`arn:aws:s3:::${BUCKET}/*\` (every object), broader than \`arn:aws:s3:::${BUCKET}/1001/*\` (broader resource)`,
    `may \`s3:ListBucket\` on \`arn:aws:s3:::${BUCKET}\` (the bucket itself) without the condition \`StringLike s3:prefix = 1001/, 1001/*\` (condition removed)`,
    `may now \`s3:ListBucket\` on \`arn:aws:s3:::${BUCKET}/*\` (every object)`,
  ]);
  expect(result.code).toBe(1);
});

test("adding prefix scoping is narrowing only (exit 0)", () => {
  const unscoped = baseProps({ projects: TWO_PROJECTS, rolePerProject: true });
  const result = diff(unscoped, { ...unscoped, scopeToProjectPrefix: true });
  expect(new Set(kinds(result.changes))).toEqual(new Set(["narrowing"]));
  expect(result.changes).toContainEqual({
    kind: "narrowing", subject: "role `mixpanel-export-2002`",
    text: `may \`s3:ListBucket\` on \`arn:aws:s3:::${BUCKET}\` only when \`StringLike s3:prefix = 2002/, 2002/*\` (condition added)`,
  });
  expect(result.code).toBe(0);
});

test("turning the TLS-only policy off is widening: a protection is off (exit 1)", () => {
  const result = diff(baseProps(), baseProps({ tlsOnly: false }));
  expect(result.stdout).toBe(document(
    "⚠ **1 widening**, 0 narrowing, 0 neutral.",
    `- **⚠ widening** · bucket \`${BUCKET}\`: TLS-only bucket policy: on: requests without TLS are denied → off: requests without TLS are not refused`,
  ));
  expect(result.code).toBe(1);
});

test("AES to KMS with the aws/s3 key is neutral: whoever could read the objects still can (exit 0)", () => {
  const result = diff(baseProps({ encryption: "AES" }), baseProps({ encryption: "KMS" }));
  expect(result.stdout).toBe(document(
    "No widening, 0 narrowing, 3 neutral.",
    `- neutral · bucket \`${BUCKET}\`: Default encryption: SSE-S3 (\`AES256\`) → SSE-KMS with the AWS-managed \`aws/s3\` key`,
    `- neutral · bucket \`${BUCKET}\`: S3 Bucket Keys: on`,
    "- neutral · Mixpanel form: Encryption: `AES` → `KMS`",
  ));
  expect(result.code).toBe(0);
});

test("AES to KMS with a created key narrows the encryption, but the role's new KMS actions are widening (exit 1)", () => {
  const result = diff(baseProps({ encryption: "AES" }), baseProps({ encryption: "KMS", createKmsKey: true }));
  expect(result.changes.filter((c) => c.kind !== "neutral")).toEqual([
    {
      kind: "widening", subject: "role `mixpanel-export`",
      text: "may now `kms:Decrypt`, `kms:Encrypt`, `kms:GenerateDataKey`, `kms:ReEncryptTo`, `kms:GenerateDataKeyWithoutPlaintext`, `kms:DescribeKey`, `kms:ReEncryptFrom` on `<KMS key alias/mixpanel-export>` (the key)",
    },
    {
      kind: "narrowing", subject: `bucket \`${BUCKET}\``,
      text: "Default encryption: SSE-S3 (`AES256`) → SSE-KMS with customer key `<KMS key alias/mixpanel-export>` (known after apply)",
    },
  ]);
  expect(result.code).toBe(1);
});

test("KMS to NONE is widening: encryption weakened (exit 1)", () => {
  const result = diff(baseProps({ encryption: "KMS" }), baseProps({ encryption: "NONE" }));
  expect(result.stdout).toBe(document(
    "⚠ **1 widening**, 0 narrowing, 2 neutral.",
    `- **⚠ widening** · bucket \`${BUCKET}\`: Default encryption: SSE-KMS with the AWS-managed \`aws/s3\` key → not set here (S3's default: SSE-S3)`,
    `- neutral · bucket \`${BUCKET}\`: S3 Bucket Keys: no longer applies (was on)`,
    "- neutral · Mixpanel form: Encryption: `KMS` → `NONE`",
  ));
  expect(result.code).toBe(1);
});

test("adding a tag is neutral (exit 0)", () => {
  const result = diff(baseProps(), baseProps({ tags: { team: "data" } }));
  expect(result.stdout).toBe(document(
    "No widening, 0 narrowing, 2 neutral.",
    "- neutral · role `mixpanel-export`: tag `team` added: `data`",
    `- neutral · bucket \`${BUCKET}\`: tag \`team\` added: \`data\``,
  ));
  expect(result.code).toBe(0);
});

test.each<[string, Partial<MixpanelS3ExportProps>, string]>([
  ["Block Public Access off", { blockPublicAccess: false }, "Block Public Access: on, all four settings → off: no public access block"],
  ["ownership controls off", { enforceBucketOwner: false }, "Object Ownership: `BucketOwnerEnforced` (ACLs disabled) → not set here (ACLs as the bucket has them)"],
  ["prevent_destroy off", { preventDestroy: false }, "prevent_destroy: on → off"],
  ["a longer session", { maxSessionDuration: 7200 }, "Max session duration: 1 h → 2 h"],
])("%s is widening (exit 1)", (_, change, text) => {
  const result = diff(baseProps(), baseProps(change));
  expect(result.changes.filter((c) => c.kind === "widening").map((c) => c.text)).toEqual([text]);
  expect(result.code).toBe(1);
});

test("widening changes come first, then narrowing, then neutral", () => {
  const result = diff(baseProps(), baseProps({ tags: { team: "data" }, versioning: true, tlsOnly: false }));
  expect(kinds(result.changes)).toEqual(["widening", "narrowing", "neutral", "neutral", "neutral"]);
  const bullets = result.stdout.split("\n").filter((line) => line.startsWith("- "));
  expect(bullets.map((line) => line.split(" · ")[0])).toEqual(["- **⚠ widening**", "- narrowing", "- neutral", "- neutral", "- neutral"]);
});

test("the same synth twice: no changes (exit 0)", () => {
  const result = diff(baseProps(), baseProps());
  expect(result.stdout).toBe("# What this change grants Mixpanel\n\nNo changes to what this stack grants Mixpanel or to its protections.\n");
  expect(result.code).toBe(0);
});

test("roles, policies and buckets match by name: new Terraform addresses with the same meaning are no change", () => {
  const synthesized = synthStack(baseProps({ encryption: "KMS", createKmsKey: true }));
  const renamed = synthesized.replace(/_([0-9A-F]{8})\b/g, (_, hash: string) => `_${[...hash].reverse().join("")}`);
  expect(renamed).not.toBe(synthesized);
  const result = cli("review", "--base", writeCdktfOut(synthesized), "--head", writeCdktfOut(renamed));
  expect([result.stdout, result.code]).toEqual(["# What this change grants Mixpanel\n\nNo changes to what this stack grants Mixpanel or to its protections.\n", 0]);
});

test("a stack added to the output: everything it grants is new, so widening (exit 1)", () => {
  const prod = synthStack(baseProps());
  const result = cli("review", "--base", writeStacks({ prod }), "--head", writeStacks({ prod, staging: synthStack(baseProps({ bucketName: "acme-mixpanel-staging" })) }));
  expect(result.stdout).toContain("## Stack `prod`\n\nNo changes.");
  expect(result.stdout).toContain(`## Stack \`staging\`\n\n- **⚠ widening** · new role \`mixpanel-export\`: may now be assumed by ${MIXPANEL_USER} with external ID \`0123…cdef\``);
  expect(result.code).toBe(1);
});

test("README's sample report is what the command prints for that change", () => {
  const readme = fs.readFileSync(path.join(__dirname, "..", "..", "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## Reviewing changes in pull requests"));
  const sample = /```markdown\n([\s\S]*?)```/.exec(section)![1];
  const result = diff(baseProps(), baseProps({ projects: [{ token: TOKEN }, { token: TOKEN_B }], tlsOnly: false, versioning: true }));
  expect(sample).toBe(result.stdout);
  expect(result.code).toBe(1);
});

/** The default synth with its role's trust policy edited, for what the construct itself never writes. */
function withTrust(edit: (statement: Record<string, unknown>) => void): string {
  const json = JSON.parse(synthStack(baseProps()));
  const role = Object.values(json.resource.aws_iam_role)[0] as { assume_role_policy: string };
  const policy = JSON.parse(role.assume_role_policy);
  edit(policy.Statement[0]);
  role.assume_role_policy = JSON.stringify(policy);
  return JSON.stringify(json);
}

test("a trust policy that stops requiring an external ID is widening, and says who may now assume the role", () => {
  const base = writeCdktfOut(synthStack(baseProps()));
  const head = writeCdktfOut(withTrust((statement) => delete statement.Condition));
  const result = cli("review", "--base", base, "--head", head);
  expect(result.stdout).toContain(`- **⚠ widening** · role \`mixpanel-export\`: no longer requires an external ID: ${MIXPANEL_USER} may assume it without presenting a project token`);
  expect(result.code).toBe(1);
});

test("a principal other than Mixpanel's export user is widening and flagged", () => {
  const base = writeCdktfOut(synthStack(baseProps()));
  const head = writeCdktfOut(withTrust((statement) => {
    statement.Principal = { AWS: ["arn:aws:iam::485438090326:user/mixpanel-export", "arn:aws:iam::999999999999:root"] };
  }));
  const result = cli("review", "--base", base, "--head", head);
  expect(result.stdout).toContain("- **⚠ widening** · role `mixpanel-export`: may now be assumed by ⚠ `arn:aws:iam::999999999999:root` (not Mixpanel's export user) (`sts:AssumeRole`) with external ID `0123…cdef`");
  expect(result.code).toBe(1);
});
