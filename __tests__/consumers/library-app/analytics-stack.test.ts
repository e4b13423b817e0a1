// The app's own unit test, with the CDK's Testing matchers, as a library user writes one.
import { Testing } from "CDK_CORE";
import { IamPolicy } from "CDK_AWS/lib/iam-policy";
import { IamRole } from "CDK_AWS/lib/iam-role";
import { S3Bucket } from "CDK_AWS/lib/s3-bucket";
import { S3BucketServerSideEncryptionConfigurationA } from "CDK_AWS/lib/s3-bucket-server-side-encryption-configuration";
import { AnalyticsStack } from "./analytics-stack";

describe("AnalyticsStack", () => {
  const synthesized = Testing.synth(new AnalyticsStack(Testing.app(), "analytics"));

  it("creates both export buckets", () => {
    expect(synthesized).toHaveResourceWithProperties(S3Bucket, { bucket: "acme-analytics-events" });
    expect(synthesized).toHaveResourceWithProperties(S3Bucket, { bucket: "acme-analytics-sandbox" });
  });

  it("encrypts the events bucket with our own key", () => {
    expect(synthesized).toHaveResourceWithProperties(S3BucketServerSideEncryptionConfigurationA, {
      rule: [expect.objectContaining({
        apply_server_side_encryption_by_default: expect.objectContaining({
          sse_algorithm: "aws:kms",
          kms_master_key_id: "${aws_kms_key.exports.arn}",
        }),
      })],
    });
  });

  it("gives each export its own role and policies", () => {
    expect(synthesized).toHaveResourceWithProperties(IamRole, { name: "events-mixpanel-export" });
    expect(synthesized).toHaveResourceWithProperties(IamRole, { name: "mixpanel-export" });
    expect(synthesized).toHaveResourceWithProperties(IamPolicy, { name: "events-mixpanel-export-kms" });
    expect(synthesized).not.toHaveResourceWithProperties(IamPolicy, { name: "mixpanel-export-kms" });
  });

  it("lets Mixpanel in only with the project token from the variable", () => {
    const roles = Object.values(JSON.parse(synthesized).resource.aws_iam_role) as { name: string; assume_role_policy: string }[];
    const events = roles.find((role) => role.name === "events-mixpanel-export")!;
    expect(JSON.parse(events.assume_role_policy).Statement[0].Condition)
      .toEqual({ StringEquals: { "sts:ExternalId": "${var.mixpanel_project_token}" } });
  });
});
