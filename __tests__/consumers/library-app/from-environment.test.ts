// The environment-driven export's tests: unset variables leave the props at their defaults.
import { TerraformStack, Testing } from "CDK_CORE";
import { IamRole } from "CDK_AWS/lib/iam-role";
import { AwsProvider } from "CDK_AWS/lib/provider";
import { S3BucketServerSideEncryptionConfigurationA } from "CDK_AWS/lib/s3-bucket-server-side-encryption-configuration";
import { exportFromEnvironment } from "./from-environment";

function synthFrom(env: NodeJS.ProcessEnv): string {
  const stack = new TerraformStack(Testing.app(), "ci");
  new AwsProvider(stack, "aws", { region: "eu-west-1" });
  exportFromEnvironment(stack, "export", env);
  return Testing.synth(stack);
}

describe("exportFromEnvironment", () => {
  it("with nothing set, keeps every optional prop's default", () => {
    const synthesized = synthFrom({});
    const roles = Object.values(JSON.parse(synthesized).resource.aws_iam_role) as Record<string, unknown>[];
    expect(roles.map(({ name, path, permissions_boundary }) => ({ name, path, permissions_boundary })))
      .toEqual([{ name: "mixpanel-export", path: "/", permissions_boundary: undefined }]);
    expect(synthesized).toHaveResourceWithProperties(S3BucketServerSideEncryptionConfigurationA, {
      rule: [expect.objectContaining({ apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } })],
    });
  });

  it("with the variables set, uses them", () => {
    const synthesized = synthFrom({
      KMS_KEY_ARN: "arn:aws:kms:eu-west-1:111122223333:key/5a0c1d2e-3f40-4b5c-8d6e-7f8091a2b3c4",
      NAME_PREFIX: "ci-",
      PERMISSIONS_BOUNDARY_ARN: "arn:aws:iam::111122223333:policy/boundary",
    });
    expect(synthesized).toHaveResourceWithProperties(IamRole, {
      name: "ci-mixpanel-export",
      permissions_boundary: "arn:aws:iam::111122223333:policy/boundary",
    });
    expect(synthesized).toHaveResourceWithProperties(S3BucketServerSideEncryptionConfigurationA, {
      rule: [expect.objectContaining({
        apply_server_side_encryption_by_default: {
          sse_algorithm: "aws:kms",
          kms_master_key_id: "arn:aws:kms:eu-west-1:111122223333:key/5a0c1d2e-3f40-4b5c-8d6e-7f8091a2b3c4",
        },
      })],
    });
  });
});
