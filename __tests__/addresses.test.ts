import { MixpanelS3ExportProps } from "../src/config/props";
import { TOKEN, TOKEN_B, TOKEN_C, addresses, baseProps, synthStack } from "./support/synth";

/**
 * Terraform addresses are a contract with every deployed copy of this module: if one changes, Terraform
 * destroys the old resource and creates a new one — a user's bucket, key or role. These lists may only
 * change together with a `moved` block (cdktf `moveTo`/`moveFromId`) that carries the old address over;
 * a test here then names the move.
 */
const DEFAULT_STACK = [
  "aws_iam_policy.mixpanel_data-policy_0FF1F97D",
  "aws_iam_role.mixpanel_role_F1BE2B07",
  "aws_iam_role_policy_attachment.mixpanel_role_attach-data-policy_73B3CB8C",
  "aws_s3_bucket.mixpanel_bucket_28015DEC",
  "aws_s3_bucket_lifecycle_configuration.mixpanel_bucket_lifecycle_2FD9E53D",
  "aws_s3_bucket_ownership_controls.mixpanel_bucket_ownership_02C7C8F8",
  "aws_s3_bucket_policy.mixpanel_bucket_tls-only-policy_962805A8",
  "aws_s3_bucket_public_access_block.mixpanel_bucket_public-access-block_FFC359E2",
];

const KMS_ADDITIONS = [
  "aws_iam_policy.mixpanel_kms-policy_2FA0508C",
  "aws_iam_role_policy_attachment.mixpanel_role_attach-kms-policy_78771797",
  "aws_kms_alias.mixpanel_kms-alias_56D09EC9",
  "aws_kms_key.mixpanel_kms-key_9D9658CB",
  "aws_s3_bucket_server_side_encryption_configuration.mixpanel_bucket_encryption_FBF9378B",
];

const MULTI_PROJECT_STACK = [
  `aws_iam_policy.mixpanel_data-policy-${TOKEN}_C41038F8`,
  `aws_iam_policy.mixpanel_data-policy-${TOKEN_C}_B6C53680`,
  `aws_iam_policy.mixpanel_data-policy-${TOKEN_B}_5E606760`,
  `aws_iam_role.mixpanel_role-${TOKEN}_role_7EE24262`,
  `aws_iam_role.mixpanel_role-${TOKEN_C}_role_5EF8142C`,
  `aws_iam_role.mixpanel_role-${TOKEN_B}_role_9BBE713B`,
  `aws_iam_role_policy_attachment.mixpanel_role-${TOKEN}_attach-data-policy_08CCC24F`,
  `aws_iam_role_policy_attachment.mixpanel_role-${TOKEN_C}_attach-data-policy_DE54BA04`,
  `aws_iam_role_policy_attachment.mixpanel_role-${TOKEN_B}_attach-data-policy_DE33564D`,
  "aws_s3_bucket.mixpanel_bucket_28015DEC",
  "aws_s3_bucket_lifecycle_configuration.mixpanel_bucket_lifecycle_2FD9E53D",
  "aws_s3_bucket_ownership_controls.mixpanel_bucket_ownership_02C7C8F8",
  "aws_s3_bucket_policy.mixpanel_bucket_tls-only-policy_962805A8",
  "aws_s3_bucket_public_access_block.mixpanel_bucket_public-access-block_FFC359E2",
];

const THREE_PROJECTS: MixpanelS3ExportProps["projects"] = [
  { token: TOKEN, projectId: "1001" }, { token: TOKEN_B, projectId: "2002" }, { token: TOKEN_C, projectId: "3003" },
];

test("the default stack's addresses are unchanged", () => {
  expect(addresses(synthStack(baseProps()))).toEqual(DEFAULT_STACK);
});

test("a created KMS key adds its resources without moving any other address", () => {
  expect(addresses(synthStack(baseProps({ encryption: "KMS", createKmsKey: true })))).toEqual([...DEFAULT_STACK, ...KMS_ADDITIONS].sort());
});

test("the multi-project stack (per-project roles, prefix scoping) has unchanged addresses", () => {
  const synthesized = synthStack(baseProps({ projects: THREE_PROJECTS, rolePerProject: true, scopeToProjectPrefix: true }));
  expect(addresses(synthesized)).toEqual([...MULTI_PROJECT_STACK].sort());
});

test("removing one project from per-project roles keeps the other projects' addresses", () => {
  const synthesized = synthStack(baseProps({ projects: [THREE_PROJECTS[0], THREE_PROJECTS[2]], rolePerProject: true, scopeToProjectPrefix: true }));
  expect(addresses(synthesized)).toEqual(MULTI_PROJECT_STACK.filter((address) => !address.includes(TOKEN_B)).sort());
});

test("adding a project to the shared role changes no address", () => {
  const synthesized = synthStack(baseProps({ projects: [{ token: TOKEN }, { token: TOKEN_B }] }));
  expect(addresses(synthesized)).toEqual(DEFAULT_STACK);
});

test("the plan-time region check adds one data source, and no resource", () => {
  const data = (JSON.parse(synthStack(baseProps())) as { data: Record<string, Record<string, unknown>> }).data;
  expect(Object.entries(data).flatMap(([type, byName]) => Object.keys(byName).map((name) => `data.${type}.${name}`)))
    .toEqual(["data.aws_region.mixpanel_provider-region_1677606E"]);
});
