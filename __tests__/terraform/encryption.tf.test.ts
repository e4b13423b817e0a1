import { MixpanelS3ExportProps } from "../../src/config/props";
import { BUCKET, CUSTOMER_KEY_ARN, addresses, baseProps, synthStack } from "../support/synth";
import { StackPlan, planStacks } from "../support/batched-plans";
import { describeTerraform, countByType } from "../support/terraform";

/** Resource types every created bucket gets, whatever its encryption: the bucket, its security defaults and the role. */
const BASE_TYPES: Record<string, number> = {
  aws_s3_bucket: 1,
  aws_s3_bucket_public_access_block: 1,
  aws_s3_bucket_ownership_controls: 1,
  aws_s3_bucket_policy: 1, // TLS-only
  aws_s3_bucket_lifecycle_configuration: 1, // abort incomplete multipart uploads after 7 days
  aws_iam_role: 1,
  aws_iam_policy: 1, // data access
  aws_iam_role_policy_attachment: 1,
};

/** Marks an output whose value terraform only knows after apply. */
const UNKNOWN = Symbol("known after apply");

interface EncryptionCase {
  name: string;
  props: Partial<MixpanelS3ExportProps>;
  /** Resource types and how many of each the plan creates. */
  types: Record<string, number>;
  /** The planned default-encryption rule of the bucket; undefined: no encryption configuration resource. */
  sse?: { sse_algorithm: string; kms_master_key_id: string | typeof UNKNOWN; bucket_key_enabled: boolean | null };
  outputs: { mixpanel_encryption: string; mixpanel_kms_key_id: string | typeof UNKNOWN };
}

const CASES: EncryptionCase[] = [
  {
    name: "NONE",
    props: { encryption: "NONE" },
    types: { ...BASE_TYPES },
    outputs: { mixpanel_encryption: "NONE", mixpanel_kms_key_id: "" },
  },
  {
    name: "AES (SSE-S3)",
    props: { encryption: "AES" },
    types: { ...BASE_TYPES, aws_s3_bucket_server_side_encryption_configuration: 1 },
    // Provider 5.100.0 plans an absent kms_master_key_id as "".
    sse: { sse_algorithm: "AES256", kms_master_key_id: "", bucket_key_enabled: null },
    outputs: { mixpanel_encryption: "AES", mixpanel_kms_key_id: "" },
  },
  {
    name: "KMS with the AWS-managed aws/s3 key",
    props: { encryption: "KMS" },
    types: { ...BASE_TYPES, aws_s3_bucket_server_side_encryption_configuration: 1 },
    // No key ID: S3 uses the aws/s3 key.
    sse: { sse_algorithm: "aws:kms", kms_master_key_id: "", bucket_key_enabled: true },
    outputs: { mixpanel_encryption: "KMS", mixpanel_kms_key_id: "" },
  },
  {
    name: "KMS with an existing customer key",
    props: { encryption: "KMS", kmsKeyArn: CUSTOMER_KEY_ARN },
    types: {
      ...BASE_TYPES,
      aws_s3_bucket_server_side_encryption_configuration: 1,
      aws_iam_policy: 2, // data access + KMS use
      aws_iam_role_policy_attachment: 2,
    },
    sse: { sse_algorithm: "aws:kms", kms_master_key_id: CUSTOMER_KEY_ARN, bucket_key_enabled: true },
    outputs: { mixpanel_encryption: "KMS", mixpanel_kms_key_id: CUSTOMER_KEY_ARN },
  },
  {
    name: "KMS with a key created here",
    props: { encryption: "KMS", createKmsKey: true },
    types: {
      ...BASE_TYPES,
      aws_s3_bucket_server_side_encryption_configuration: 1,
      aws_kms_key: 1,
      aws_kms_alias: 1,
      aws_iam_policy: 2,
      aws_iam_role_policy_attachment: 2,
    },
    sse: { sse_algorithm: "aws:kms", kms_master_key_id: UNKNOWN, bucket_key_enabled: true },
    // The created key's ARN: known after apply.
    outputs: { mixpanel_encryption: "KMS", mixpanel_kms_key_id: UNKNOWN },
  },
];

describeTerraform("terraform plan (AWS provider 5.100.0, offline) of each encryption choice", () => {
  const synthesized = new Map(CASES.map((c) => [c.name, synthStack(baseProps(c.props))]));
  let plans: PromiseSettledResult<Map<string, StackPlan>>;

  beforeAll(async () => {
    // Every case in one root, a module each; each test reads its own case's plan.
    [plans] = await Promise.allSettled([planStacks(CASES.map((c) => ({ name: c.name, synthesized: synthesized.get(c.name)! })), "encryption")]);
  });

  /** The plan of one case; a failed init/validate/plan/show fails every test with its error. */
  function planOf(c: EncryptionCase): StackPlan {
    if (plans.status === "rejected") throw plans.reason;
    const plan = plans.value.get(c.name);
    if (plan === undefined) throw new Error(`no plan for ${c.name}`);
    return plan;
  }

  describe.each(CASES)("$name", (c) => {
    test("terraform validate reports the configuration valid, without warnings", () => {
      const { validation } = planOf(c);
      expect(validation.valid).toBe(true);
      expect(validation.diagnostics).toEqual([]);
    });

    test("the plan holds exactly the synthesized resources", () => {
      const planned = planOf(c).resourceChanges.map((change) => change.address).sort();
      expect(planned).toEqual(addresses(synthesized.get(c.name)!));
    });

    test("the plan creates the expected resource types, in the expected numbers", () => {
      expect(countByType(planOf(c).resourceChanges.map((change) => change.type))).toEqual(c.types);
    });

    test("every resource is only created: nothing updated, deleted or replaced", () => {
      const changes = planOf(c).resourceChanges;
      expect(changes.length).toBeGreaterThan(0);
      for (const change of changes) expect({ address: change.address, actions: change.actions }).toEqual({ address: change.address, actions: ["create"] });
    });

    test("the bucket's default encryption is planned as chosen", () => {
      const sse = (planOf(c).plannedValues.root_module.resources ?? [])
        .filter((resource) => resource.type === "aws_s3_bucket_server_side_encryption_configuration");
      if (c.sse === undefined) {
        expect(sse).toEqual([]);
        return;
      }
      expect(sse).toHaveLength(1);
      const values = sse[0].values as { bucket: string; rule: Record<string, unknown>[] };
      expect(values.bucket).toBe(BUCKET);
      expect(values.rule).toHaveLength(1);
      const rule = values.rule[0] as { bucket_key_enabled: boolean | null; apply_server_side_encryption_by_default: Record<string, unknown>[] };
      expect(rule.bucket_key_enabled).toBe(c.sse.bucket_key_enabled);
      expect(rule.apply_server_side_encryption_by_default).toHaveLength(1);
      const byDefault = rule.apply_server_side_encryption_by_default[0];
      expect(byDefault.sse_algorithm).toBe(c.sse.sse_algorithm);
      if (c.sse.kms_master_key_id === UNKNOWN) {
        // Unknown values are left out of planned_values.
        expect(byDefault).not.toHaveProperty("kms_master_key_id");
      } else {
        expect(byDefault.kms_master_key_id).toBe(c.sse.kms_master_key_id);
      }
    });

    test("the planned outputs give Mixpanel's form its Bucket, Region, Encryption and KMS Key ID", () => {
      const outputs = planOf(c).outputChanges;
      const known = (name: string) => {
        expect(outputs[name]).toBeDefined();
        expect(outputs[name].actions).toEqual(["create"]);
        expect(outputs[name].after_unknown).toBe(false);
        return outputs[name].after;
      };
      expect(known("mixpanel_bucket")).toBe(BUCKET);
      expect(known("mixpanel_region")).toBe("us-east-1");
      expect(known("mixpanel_encryption")).toBe(c.outputs.mixpanel_encryption);
      if (c.outputs.mixpanel_kms_key_id === UNKNOWN) {
        expect(outputs.mixpanel_kms_key_id.actions).toEqual(["create"]);
        expect(outputs.mixpanel_kms_key_id.after_unknown).toBe(true);
      } else {
        expect(known("mixpanel_kms_key_id")).toBe(c.outputs.mixpanel_kms_key_id);
      }
    });
  });
});
