import * as fs from "fs";
import * as path from "path";
import { MixpanelS3ExportProps } from "../../src/config/props";
import { ChangePlan, deployRoots, keepOnlyAt, typesWithAction } from "../support/deployed-state";
import { StackPlan, planStacks } from "../support/batched-plans";
import { BUCKET, CUSTOMER_KEY_ARN, TOKEN, baseProps, synthStack } from "../support/synth";
import { OFFLINE_PROVIDER_SETTINGS, describeTerraform } from "../support/terraform";

/**
 * Adopting a set-up made by hand, offline: the hand-made set-up (__tests__/fixtures/handmade/, as Mixpanel's
 * page has it clicked together) is applied with a mocked provider; its bucket, bucket configuration and role
 * are placed at the addresses the stack's import blocks name (what the import leaves in the state; the
 * hand-made policies stay outside it, in AWS); then the adopting stack is planned against that state. Every
 * variant's hand-made set-up is applied in one `terraform test`, and every adopting stack planned in one root.
 */
const HANDMADE = fs.readFileSync(path.join(__dirname, "..", "fixtures", "handmade", "main.tf"), "utf8");
const ROLE_NAME = "mixpanel-export-handmade";
const MOCK_ROLE_ARN = "arn:aws:iam::111122223333:role/mock";

/** Where the stack's import blocks put each hand-made resource (the stack's pinned addresses). */
const IMPORTED_AT: Record<string, string> = {
  "aws_s3_bucket.export": "aws_s3_bucket.mixpanel_bucket_28015DEC",
  "aws_s3_bucket_server_side_encryption_configuration.export": "aws_s3_bucket_server_side_encryption_configuration.mixpanel_bucket_encryption_FBF9378B",
  "aws_s3_bucket_public_access_block.export": "aws_s3_bucket_public_access_block.mixpanel_bucket_public-access-block_FFC359E2",
  "aws_s3_bucket_ownership_controls.export": "aws_s3_bucket_ownership_controls.mixpanel_bucket_ownership_02C7C8F8",
  "aws_iam_role.mixpanel": "aws_iam_role.mixpanel_role_F1BE2B07",
};

const VARIANTS: [string, Partial<MixpanelS3ExportProps>, Record<string, string>][] = [
  ["SSE-S3, as the console makes a bucket", { encryption: "AES" }, {}],
  ["SSE-KMS with an existing customer managed key", { encryption: "KMS", kmsKeyArn: CUSTOMER_KEY_ARN }, { kms_key_arn: CUSTOMER_KEY_ARN }],
];

describeTerraform("adopting a set-up made by hand (terraform tier)", () => {
  let plans: Promise<Map<string, StackPlan>>;

  beforeAll(() => {
    plans = deployRoots(VARIANTS.map(([name, , handmadeVariables]) => ({
      name,
      files: { "main.tf": HANDMADE, "offline_override.tf.json": JSON.stringify({ provider: { aws: OFFLINE_PROVIDER_SETTINGS } }) },
      variables: { bucket: BUCKET, role_name: ROLE_NAME, project_token: TOKEN, ...handmadeVariables },
    }))).then((applied) => planStacks(VARIANTS.map(([name, props]) => ({
      name,
      synthesized: synthStack(baseProps({ ...props, adopt: ["bucket", "role"], roleName: ROLE_NAME })),
      state: keepOnlyAt(applied.get(name)!, IMPORTED_AT),
    })), "adoption"));
    plans.catch(() => undefined);
  });

  describe.each(VARIANTS)("%s", (name, props) => {
    const planOf = async (): Promise<ChangePlan> => (await plans).get(name)!;

    test("nothing is destroyed or replaced; the policies and attachments are created, the rest kept or updated in place", async () => {
      const { actions } = await planOf();
      expect(Object.entries(actions).filter(([, a]) => a.includes("delete"))).toEqual([]);
      const kms = props.kmsKeyArn ? ["aws_iam_policy", "aws_iam_role_policy_attachment"] : [];
      expect(typesWithAction(actions, "create")).toEqual([
        "aws_iam_policy", ...kms, "aws_iam_role_policy_attachment",
        // Written new, replacing whatever the bucket had: see README, "Adopting a set-up made by hand".
        "aws_s3_bucket_lifecycle_configuration", "aws_s3_bucket_policy",
      ].sort());
      const kept = [...typesWithAction(actions, "no-op"), ...typesWithAction(actions, "update")].sort();
      expect(kept).toEqual(Object.values(IMPORTED_AT).map((address) => address.split(".")[0]).sort());
    });

    test("the role keeps its name, path and ARN", async () => {
      const role = (await planOf()).after["aws_iam_role.mixpanel_role_F1BE2B07"];
      expect({ name: role.name, path: role.path, arn: role.arn }).toEqual({ name: ROLE_NAME, path: "/", arn: MOCK_ROLE_ARN });
    });

    test("once applied, the import blocks import nothing again, so the setting may stay", async () => {
      expect((await planOf()).importing).toEqual([]);
    });
  });
});
