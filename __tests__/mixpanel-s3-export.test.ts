import "./support/matchers";
import { Testing } from "cdktf";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { MixpanelS3Export } from "../src/constructs/mixpanel-s3-export";
import { pageDataModificationPolicy, pageKmsPolicy, pageTrustPolicy } from "./fixtures/mixpanel-page";
import {
  BUCKET, CUSTOMER_KEY_ARN, TOKEN, baseProps, onlyResource, parse, policyOf, resourcesOf, synthStack,
} from "./support/synth";

/** The IAM policy whose name ends with the given suffix. */
function policyNamed(synthesized: string, name: string) {
  const found = Object.values(resourcesOf(synthesized, "aws_iam_policy")).filter((p) => p.name === name);
  expect(found).toHaveLength(1);
  return found[0];
}

describe("the page's steps, with no encryption (the defaults)", () => {
  const synthesized = synthStack(baseProps());

  test("creates the bucket named by the caller, never force-destroyed", () => {
    expect(synthesized).toHaveResourceWithProperties(S3Bucket, { bucket: BUCKET, force_destroy: false });
  });

  test("the data-modification policy is Mixpanel's page's step 1, whole", () => {
    expect(policyOf(policyNamed(synthesized, "mixpanel-export-data-access"))).toEqual(pageDataModificationPolicy(BUCKET));
  });

  test("the role's trust policy is Mixpanel's page's step 3, whole, with the project token as external ID", () => {
    expect(policyOf(onlyResource(synthesized, "aws_iam_role"), "assume_role_policy")).toEqual(pageTrustPolicy(TOKEN));
  });

  test("the data-modification policy is attached to the role as a managed policy", () => {
    const role = Object.keys(resourcesOf(synthesized, "aws_iam_role"))[0];
    const policy = Object.keys(resourcesOf(synthesized, "aws_iam_policy"))[0];
    expect(synthesized).toHaveResourceWithProperties(IamRolePolicyAttachment, {
      role: `\${aws_iam_role.${role}.name}`,
      policy_arn: `\${aws_iam_policy.${policy}.arn}`,
    });
    expect(Object.keys(resourcesOf(synthesized, "aws_iam_role_policy_attachment"))).toHaveLength(1);
  });

  test("no encryption: no default-encryption resource, no KMS key, no KMS policy", () => {
    expect(synthesized).not.toHaveResource(S3BucketServerSideEncryptionConfigurationA);
    expect(synthesized).not.toHaveResource(KmsKey);
    expect(Object.keys(resourcesOf(synthesized, "aws_iam_policy"))).toHaveLength(1);
  });

  test("role and policy descriptions say what they are for", () => {
    expect(onlyResource(synthesized, "aws_iam_role").description).toBe(
      `Assumed by Mixpanel's export user (external ID: its project token) to write Mixpanel exports to S3 bucket ${BUCKET}`);
    expect(onlyResource(synthesized, "aws_iam_policy").description).toBe(
      `Lets Mixpanel's export role write exports to S3 bucket ${BUCKET} (Mixpanel AWS S3 export, step 1)`);
  });

  test("outputs are the values of Mixpanel's pipeline form, under the documented names", () => {
    const role = Object.keys(resourcesOf(synthesized, "aws_iam_role"))[0];
    const outputs = Object.fromEntries(Object.entries(parse(synthesized).output ?? {}).map(([k, v]) => [k, v.value]));
    expect(outputs).toEqual({
      mixpanel_bucket: BUCKET,
      mixpanel_region: "us-east-1",
      mixpanel_role_arn: `\${aws_iam_role.${role}.arn}`,
      mixpanel_role_arns: { [TOKEN]: `\${aws_iam_role.${role}.arn}` },
      mixpanel_encryption: "NONE",
      mixpanel_kms_key_id: "",
    });
  });

  test("the aws provider constraint is a range admitting 5.100.0 and every 6.x, never an exact pin", () => {
    expect(parse(synthesized).terraform?.required_providers?.aws?.version).toBe(">= 5.100.0, < 7.0.0");
  });

  test("the provider is configured for the bucket's region", () => {
    expect(parse(synthesized).provider).toEqual({ aws: [{ region: "us-east-1" }] });
  });
});

describe("encryption AES (SSE-S3)", () => {
  const synthesized = synthStack(baseProps({ encryption: "AES" }));

  test("sets AES256 as the bucket's default encryption", () => {
    expect(onlyResource(synthesized, "aws_s3_bucket_server_side_encryption_configuration").rule).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } },
    ]);
  });

  test("needs no KMS policy, and reports AES with an empty key ID", () => {
    expect(Object.keys(resourcesOf(synthesized, "aws_iam_policy"))).toHaveLength(1);
    expect(parse(synthesized).output?.mixpanel_encryption.value).toBe("AES");
    expect(parse(synthesized).output?.mixpanel_kms_key_id.value).toBe("");
  });
});

describe("encryption KMS with the AWS-managed aws/s3 key", () => {
  const synthesized = synthStack(baseProps({ encryption: "KMS" }));

  test("sets aws:kms with no key ID, and S3 Bucket Keys on", () => {
    expect(onlyResource(synthesized, "aws_s3_bucket_server_side_encryption_configuration").rule).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms" }, bucket_key_enabled: true },
    ]);
  });

  test("needs no KMS policy (Mixpanel's page: leave KMS Key ID empty) and creates no key", () => {
    expect(Object.keys(resourcesOf(synthesized, "aws_iam_policy"))).toHaveLength(1);
    expect(synthesized).not.toHaveResource(KmsKey);
    expect(parse(synthesized).output?.mixpanel_kms_key_id.value).toBe("");
    expect(parse(synthesized).output?.mixpanel_encryption.value).toBe("KMS");
  });
});

describe("encryption KMS with an existing customer key", () => {
  const synthesized = synthStack(baseProps({ encryption: "KMS", kmsKeyArn: CUSTOMER_KEY_ARN }));

  test("uses the key as the bucket's default encryption", () => {
    expect(onlyResource(synthesized, "aws_s3_bucket_server_side_encryption_configuration").rule).toEqual([{
      apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: CUSTOMER_KEY_ARN },
      bucket_key_enabled: true,
    }]);
  });

  test("the KMS policy is Mixpanel's page's step 2, whole, on the key ARN, attached to the role", () => {
    const kmsPolicy = policyNamed(synthesized, "mixpanel-export-kms");
    expect(policyOf(kmsPolicy)).toEqual(pageKmsPolicy(CUSTOMER_KEY_ARN));
    expect(Object.keys(resourcesOf(synthesized, "aws_iam_role_policy_attachment"))).toHaveLength(2);
  });

  test("reports KMS and the key ARN as KMS Key ID, and creates no key", () => {
    expect(parse(synthesized).output?.mixpanel_kms_key_id.value).toBe(CUSTOMER_KEY_ARN);
    expect(synthesized).not.toHaveResource(KmsKey);
  });
});

describe("encryption KMS with a key the construct creates", () => {
  const synthesized = synthStack(baseProps({ encryption: "KMS", createKmsKey: true }));
  const keyName = Object.keys(resourcesOf(synthesized, "aws_kms_key"))[0];
  const keyArn = `\${aws_kms_key.${keyName}.arn}`;

  test("creates a customer managed key with rotation on and a 30-day deletion window", () => {
    expect(synthesized).toHaveResourceWithProperties(KmsKey, {
      enable_key_rotation: true,
      deletion_window_in_days: 30,
      description: `Encrypts Mixpanel exports in S3 bucket ${BUCKET}`,
    });
  });

  test("leaves the key policy to AWS's default, which delegates to the account's IAM", () => {
    expect(onlyResource(synthesized, "aws_kms_key")).not.toHaveProperty("policy");
  });

  test("gives the key an alias naming its purpose", () => {
    expect(synthesized).toHaveResourceWithProperties(KmsAlias, {
      name: "alias/mixpanel-export",
      target_key_id: `\${aws_kms_key.${keyName}.key_id}`,
    });
  });

  test("the bucket's default encryption and the KMS policy name the created key", () => {
    expect(onlyResource(synthesized, "aws_s3_bucket_server_side_encryption_configuration").rule).toEqual([{
      apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: keyArn },
      bucket_key_enabled: true,
    }]);
    expect(policyOf(policyNamed(synthesized, "mixpanel-export-kms"))).toEqual(pageKmsPolicy(keyArn));
  });

  test("reports the created key's ARN as KMS Key ID", () => {
    expect(parse(synthesized).output?.mixpanel_kms_key_id.value).toBe(keyArn);
  });
});

describe("the construct on its own", () => {
  test("exposes the values of Mixpanel's form as readonly properties", () => {
    let exported: MixpanelS3Export | undefined;
    Testing.synthScope((scope) => {
      exported = new MixpanelS3Export(scope, "export", baseProps({ encryption: "KMS", kmsKeyArn: CUSTOMER_KEY_ARN }));
    });
    // The bucket as a reference (what is built from it orders after the bucket); it resolves to the given name.
    expect(exported!.bucketName).toMatch(/^\$\{TfToken\[TOKEN\.\d+\]\}$/);
    expect(exported!.exportBucket.bucketName).toBe(BUCKET);
    expect(exported!.region).toBe("us-east-1");
    expect(exported!.encryption).toBe("KMS");
    expect(exported!.kmsKeyId).toBe(CUSTOMER_KEY_ARN);
    expect(exported!.roleArn).toMatch(/^\$\{TfToken\[TOKEN\.\d+\]\}$/);
    expect(Object.keys(exported!.roleArns)).toEqual([TOKEN]);
  });

  test("can be used twice in one stack without name clashes when given name prefixes", () => {
    const synthesized = Testing.synthScope((scope) => {
      new MixpanelS3Export(scope, "prod", baseProps({ namePrefix: "prod-" }));
      new MixpanelS3Export(scope, "staging", baseProps({ bucketName: "acme-mixpanel-staging", namePrefix: "staging-" }));
    });
    const roleNames = Object.values(resourcesOf(synthesized, "aws_iam_role")).map((r) => r.name).sort();
    expect(roleNames).toEqual(["prod-mixpanel-export", "staging-mixpanel-export"]);
    expect(synthesized).toHaveResourceWithProperties(IamRole, { name: "prod-mixpanel-export" });
    expect(synthesized).toHaveResourceWithProperties(IamPolicy, { name: "staging-mixpanel-export-data-access" });
  });
});
