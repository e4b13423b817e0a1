import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformOutput, TerraformStack, TerraformVariable, Testing } from "cdktf";
import * as path from "path";
import { MixpanelS3Export } from "../../src/constructs/mixpanel-s3-export";
import { BUCKET, CUSTOMER_KEY_ARN, TOKEN, TOKEN_B, baseProps, synthStack } from "../support/synth";
import { STACK, cli, synthOut, writeStacks } from "./helpers";

/** `review <path>`: what one synth grants Mixpanel, as Markdown. */

test("the report of the default stack", () => {
  const result = cli("review", synthOut(baseProps()));
  expect(result.code).toBe(0);
  expect(result.stderr).toBe("");
  expect(result.stdout).toMatchSnapshot();
});

test("a cdktf output folder, a stack folder and a cdk.tf.json file give the same report", () => {
  const out = synthOut(baseProps());
  const reports = [out, path.join(out, "stacks", STACK), path.join(out, "stacks", STACK, "cdk.tf.json")].map((input) => cli("review", input));
  expect(reports.map((r) => r.code)).toEqual([0, 0, 0]);
  expect(new Set(reports.map((r) => r.stdout)).size).toBe(1);
});

test("a leading `review` is optional, as for `node dist/src/cli/review.js <path>`", () => {
  const out = synthOut(baseProps());
  expect(cli(out)).toEqual(cli("review", out));
});

test("external IDs are shortened everywhere, even inside role names, and never printed whole", () => {
  const { stdout } = cli("review", synthOut(baseProps({ projects: [{ token: TOKEN }, { token: TOKEN_B }], rolePerProject: true })));
  expect(stdout).not.toContain(TOKEN);
  expect(stdout).not.toContain(TOKEN_B);
  expect(stdout).toContain("| `mixpanel-export-0123…cdef` | Mixpanel's export user `arn:aws:iam::485438090326:user/mixpanel-export` | `sts:AssumeRole` | `0123…cdef` | none |");
  expect(stdout).toContain("| `mixpanel-export-fedc…3210` | Mixpanel's export user `arn:aws:iam::485438090326:user/mixpanel-export` | `sts:AssumeRole` | `fedc…3210` | none |");
});

test("prefix scoping: each role's actions by resource, limited to its project's prefix", () => {
  const { stdout } = cli("review", synthOut(baseProps({
    projects: [{ token: TOKEN, projectId: "1001" }, { token: TOKEN_B, projectId: "2002" }], rolePerProject: true, scopeToProjectPrefix: true,
  })));
  const role1001 = stdout.slice(stdout.indexOf("### Role `mixpanel-export-1001`"), stdout.indexOf("### Role `mixpanel-export-2002`"));
  expect(role1001).toBe([
    "### Role `mixpanel-export-1001`",
    "",
    "| Effect | Actions | Resource | Scope | Conditions | Policy |",
    "|---|---|---|---|---|---|",
    `| Allow | \`s3:PutObject\`, \`s3:GetObject\`, \`s3:DeleteObject\` | \`arn:aws:s3:::${BUCKET}/1001/*\` | objects under \`1001/\` | none | \`mixpanel-export-data-access-1001\` |`,
    `| Allow | \`s3:ListBucket\` | \`arn:aws:s3:::${BUCKET}\` | the bucket itself, only for keys matching \`1001/\`, \`1001/*\` | \`StringLike s3:prefix = 1001/, 1001/*\` | \`mixpanel-export-data-access-1001\` |`,
    "",
    "Prefix scoping: only under `1001/` · Max session duration: 1 h · Permissions boundary: none · Tags: none · Path: `/`",
    "",
    "",
  ].join("\n"));
});

test("a created KMS key: the bucket names it, the role may use it, its protections and the form's KMS Key ID", () => {
  const { stdout } = cli("review", synthOut(baseProps({ encryption: "KMS", createKmsKey: true })));
  expect(stdout).toContain("| Default encryption | SSE-KMS with customer key `<KMS key alias/mixpanel-export>` (known after apply) |");
  expect(stdout).toContain("| `<KMS key alias/mixpanel-export>` (known after apply) | the key | none | `mixpanel-export-kms` |");
  expect(stdout).toContain([
    "**KMS key `alias/mixpanel-export`** (created by this stack)",
    "",
    "| Protection | State |",
    "|---|---|",
    "| Key rotation | on |",
    "| Deletion window | 30 days |",
    "| prevent_destroy | on |",
    "| Key policy | AWS's default (delegates to the account's IAM policies) |",
    "| Tags | none |",
  ].join("\n"));
  expect(stdout).toContain("| KMS Key ID (empty: leave the field empty) | `mixpanel_kms_key_id` | `<KMS key alias/mixpanel-export>` (known after apply) |");
});

test("an existing bucket: the protections this stack does not manage are said to be not managed", () => {
  const { stdout } = cli("review", synthOut(baseProps({ createBucket: false, encryption: "KMS", kmsKeyArn: CUSTOMER_KEY_ARN, manageExistingBucket: "encryption" })));
  const notManaged = "not managed by this stack (the bucket's own setting applies)";
  expect(stdout).toContain([
    "| Bucket | existing bucket, not created here |",
    `| Block Public Access | ${notManaged} |`,
    `| Object Ownership | ${notManaged} |`,
    `| TLS-only bucket policy | ${notManaged} |`,
    "| Other bucket policy statements | none |",
    `| Default encryption | SSE-KMS with customer key \`${CUSTOMER_KEY_ARN}\` |`,
  ].join("\n"));
});

test("several stacks in one output: one section each, by name", () => {
  const out = writeStacks({ prod: synthStack(baseProps()), staging: synthStack(baseProps({ bucketName: "acme-mixpanel-staging" })) });
  const { stdout } = cli("review", out);
  expect(stdout.split("\n").filter((line) => line.startsWith("## "))).toEqual(["## Stack `prod`", "## Stack `staging`"]);
  expect(stdout).toContain("**Bucket `acme-mixpanel-staging`**");
});

test("a project token from a TerraformVariable shows as the variable's name, never as shortened `${var…}` text", () => {
  const app = Testing.app();
  const stack = new TerraformStack(app, "vars");
  new AwsProvider(stack, "aws", { region: "us-east-1" });
  const token = new TerraformVariable(stack, "mixpanel_project_token", { type: "string" });
  const mixpanel = new MixpanelS3Export(stack, "mixpanel", { projects: [{ token: token.stringValue }, { token: TOKEN }], bucketName: BUCKET, region: "us-east-1" });
  new TerraformOutput(stack, "mixpanel_role_arns", { value: mixpanel.roleArns, description: "Mixpanel form: Role, for each project token" });
  const { stdout } = cli("review", writeStacks({ vars: Testing.synth(stack) }));
  expect(stdout).toContain(`| \`mixpanel-export\` | Mixpanel's export user \`arn:aws:iam::485438090326:user/mixpanel-export\` | \`sts:AssumeRole\` | \`0123…cdef\`, \`var.mixpanel_project_token\` | none |`);
  expect(stdout).toContain("| Role, for each project token | `mixpanel_role_arns` | `var.mixpanel_project_token`: `<ARN of role mixpanel-export>` (known after apply)<br>`0123…cdef`: `<ARN of role mixpanel-export>` (known after apply) |");
  expect(stdout).not.toMatch(/\$\{|…ken/);
});
