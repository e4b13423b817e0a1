import { MixpanelS3ExportProps } from "../../src/config/props";
import { CUSTOMER_KEY_ARN, TOKEN, TOKEN_B, TOKEN_C, addresses, baseProps, synthStack } from "../support/synth";
import { StackPlan, planStacks } from "../support/batched-plans";
import { describeTerraform, countByType } from "../support/terraform";

/**
 * Every variant beyond the encryption choices (encryption.tf.test.ts) through real `terraform init`,
 * `validate` and `plan`, offline, all in one root (a module per variant): the planned addresses are exactly
 * the synthesized ones, each type is planned the expected number of times, and nothing is destroyed or replaced.
 */
const THREE_PROJECTS = [{ token: TOKEN, projectId: "1001" }, { token: TOKEN_B, projectId: "2002" }, { token: TOKEN_C, projectId: "3003" }];
const ROLE = { aws_iam_role: 1, aws_iam_policy: 1, aws_iam_role_policy_attachment: 1 };
const SECURED_BUCKET = {
  aws_s3_bucket: 1, aws_s3_bucket_public_access_block: 1, aws_s3_bucket_ownership_controls: 1,
  aws_s3_bucket_policy: 1, aws_s3_bucket_lifecycle_configuration: 1,
};

const VARIANTS: [string, MixpanelS3ExportProps, Record<string, number>][] = [
  ["existing bucket", baseProps({ createBucket: false }), { ...ROLE }],
  ["existing bucket, its encryption managed with a customer key",
    baseProps({ createBucket: false, manageExistingBucket: "encryption", encryption: "KMS", kmsKeyArn: CUSTOMER_KEY_ARN }),
    { aws_s3_bucket_server_side_encryption_configuration: 1, aws_iam_role: 1, aws_iam_policy: 2, aws_iam_role_policy_attachment: 2 }],
  ["existing bucket, fully managed", baseProps({ createBucket: false, manageExistingBucket: "all" }),
    { ...SECURED_BUCKET, aws_s3_bucket: 0, ...ROLE }],
  ["three projects, one role", baseProps({ projects: THREE_PROJECTS.map(({ token }) => ({ token })) }), { ...SECURED_BUCKET, ...ROLE }],
  ["three projects, per-project roles", baseProps({ projects: THREE_PROJECTS, rolePerProject: true }),
    { ...SECURED_BUCKET, aws_iam_role: 3, aws_iam_policy: 1, aws_iam_role_policy_attachment: 3 }],
  ["three projects, per-project roles with prefix scoping", baseProps({ projects: THREE_PROJECTS, rolePerProject: true, scopeToProjectPrefix: true }),
    { ...SECURED_BUCKET, aws_iam_role: 3, aws_iam_policy: 3, aws_iam_role_policy_attachment: 3 }],
  ["every role control at once", baseProps({
    encryption: "KMS", createKmsKey: true, roleName: "vendor-mixpanel", rolePath: "/vendors/",
    permissionsBoundaryArn: "arn:aws:iam::111122223333:policy/vendor-boundary", maxSessionDuration: 43200,
    namePrefix: "analytics-", tags: { team: "data", "cost-center": "42" },
  }), {
    ...SECURED_BUCKET, aws_s3_bucket_server_side_encryption_configuration: 1, aws_kms_key: 1, aws_kms_alias: 1,
    aws_iam_role: 1, aws_iam_policy: 2, aws_iam_role_policy_attachment: 2,
  }],
  ["every security default turned off", baseProps({
    blockPublicAccess: false, enforceBucketOwner: false, tlsOnly: false, preventDestroy: false, abortIncompleteUploadsDays: 0,
    encryption: "KMS", bucketKey: false,
  }), { aws_s3_bucket: 1, aws_s3_bucket_server_side_encryption_configuration: 1, ...ROLE }],
  ["storage over time: transitions, expiry, versioning and access logs", baseProps({
    projects: THREE_PROJECTS, eventsTransitionDays: 90, eventsStorageClass: "GLACIER_IR", eventsExpirationDays: 730,
    versioning: true, noncurrentVersionExpirationDays: 60, accessLogBucket: "acme-s3-access-logs",
  }), { ...SECURED_BUCKET, aws_s3_bucket_versioning: 1, aws_s3_bucket_logging: 1, ...ROLE }],
  ["Glue catalog: a created database, the Glue role scoped to it", baseProps({ glueDatabase: "mixpanel_exports" }),
    { ...SECURED_BUCKET, aws_glue_catalog_database: 1, aws_iam_role: 2, aws_iam_policy: 2, aws_iam_role_policy_attachment: 2 }],
  ["Glue catalog: an existing database, the page's scope, the Redshift role with a customer key", baseProps({
    glueDatabase: "mixpanel_exports", createGlueDatabase: false, glueScopeToDatabase: false, redshiftRole: true,
    encryption: "KMS", kmsKeyArn: CUSTOMER_KEY_ARN, namePrefix: "analytics-",
  }), { ...SECURED_BUCKET, aws_s3_bucket_server_side_encryption_configuration: 1, aws_iam_role: 3, aws_iam_policy: 5, aws_iam_role_policy_attachment: 5 }],
];

const withoutZeros = (counts: Record<string, number>) => Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 0));

describeTerraform("every variant plans offline (terraform tier)", () => {
  let plans: Promise<Map<string, StackPlan>>;

  beforeAll(() => {
    plans = planStacks(VARIANTS.map(([name, props]) => ({ name, synthesized: synthStack(props) })), "variants");
    plans.catch(() => undefined); // awaited by each test
  });

  describe.each(VARIANTS)("%s", (name, props, types) => {
    const synthesized = synthStack(props);

    test("validates, and plans exactly the synthesized addresses", async () => {
      const plan = (await plans).get(name)!;
      expect(plan.validation.error_count).toBe(0);
      expect(plan.resourceChanges.map((c) => c.address).sort()).toEqual(addresses(synthesized));
    });

    test("plans the expected resource types and counts", async () => {
      const plan = (await plans).get(name)!;
      expect(countByType(plan.resourceChanges.map((c) => c.type))).toEqual(withoutZeros(types));
    });

    test("creates everything and destroys or replaces nothing", async () => {
      const plan = (await plans).get(name)!;
      expect(plan.resourceChanges.filter((c) => c.actions.join() !== "create")).toEqual([]);
    });
  });
});
