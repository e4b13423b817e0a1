// The app's own unit test, with the CDK's Testing matchers, as a library user writes one.
import { TerraformStack, Testing } from "CDK_CORE";
import { IamPolicy } from "CDK_AWS/lib/iam-policy";
import { IamRole } from "CDK_AWS/lib/iam-role";
import { S3Bucket } from "CDK_AWS/lib/s3-bucket";
import { S3BucketServerSideEncryptionConfigurationA } from "CDK_AWS/lib/s3-bucket-server-side-encryption-configuration";
import { AwsProvider } from "CDK_AWS/lib/provider";
import { MixpanelS3Export, MixpanelSettingsError } from "MIXPANEL_LIBRARY";
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

describe("two exports in one stack", () => {
  const token = "0123456789abcdef0123456789abcdef";
  /** Our stack with its provider and the events export, then a second export with `props`. */
  function withSecondExport(props: { bucketName: string; namePrefix?: string; region?: string }): TerraformStack {
    const stack = new TerraformStack(Testing.app(), "analytics");
    new AwsProvider(stack, "aws", { region: "eu-west-1" });
    new MixpanelS3Export(stack, "events", { projects: [{ token }], bucketName: "acme-analytics-events" });
    new MixpanelS3Export(stack, "sandbox", { projects: [{ token }], ...props });
    return stack;
  }

  it("are refused when both would make the same role and policy, naming both and the fix", () => {
    expect(() => withSecondExport({ bucketName: "acme-analytics-sandbox" })).toThrow(MixpanelSettingsError);
    expect(() => withSecondExport({ bucketName: "acme-analytics-sandbox" })).toThrow(new Error([
      "mixpanel-s3-export: 2 invalid props; nothing was synthesized.",
      '  1. roleName = "mixpanel-export": the Mixpanel exports analytics/events and analytics/sandbox would both make the IAM role "mixpanel-export", ' +
        "and AWS refuses the second at apply, after the first export is half made. " +
        'Fix: give one of them a namePrefix, e.g. namePrefix: "events-" (it prefixes every name the export derives), or its own roleName',
      '  2. namePrefix = "": the Mixpanel exports analytics/events and analytics/sandbox would both make the IAM policy "mixpanel-export-data-access", ' +
        "and AWS refuses the second at apply, after the first export is half made. " +
        'Fix: give one of them a namePrefix, e.g. namePrefix: "events-" (it prefixes every name the export derives)',
    ].join("\n")));
  });

  it("both synthesize with a name prefix and a bucket each", () => {
    const synthesized = Testing.synth(withSecondExport({ bucketName: "acme-analytics-sandbox", namePrefix: "sandbox-" }));
    expect(synthesized).toHaveResourceWithProperties(IamRole, { name: "mixpanel-export" });
    expect(synthesized).toHaveResourceWithProperties(IamRole, { name: "sandbox-mixpanel-export" });
    expect(synthesized).toHaveResourceWithProperties(S3Bucket, { bucket: "acme-analytics-events" });
    expect(synthesized).toHaveResourceWithProperties(S3Bucket, { bucket: "acme-analytics-sandbox" });
  });

  it("refuse a region other than the provider's, naming both", () => {
    expect(() => withSecondExport({ bucketName: "acme-analytics-sandbox", namePrefix: "sandbox-", region: "us-east-1" })).toThrow(new Error([
      "mixpanel-s3-export: 1 invalid prop; nothing was synthesized.",
      '  1. region = "us-east-1": the bucket\'s region is given as us-east-1, but the AWS provider the construct uses is configured for eu-west-1, ' +
        "where the bucket and roles are made. Fix: leave region out (the provider's region is taken), set it to the provider's region, " +
        "or pass a provider configured for the region you meant",
    ].join("\n")));
  });
});
