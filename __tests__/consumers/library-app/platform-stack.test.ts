// The platform stack's own tests, as its team writes them with the Testing matchers.
import { Testing } from "CDK_CORE";
import { IamRole } from "CDK_AWS/lib/iam-role";
import { IamRolePolicy } from "CDK_AWS/lib/iam-role-policy";
import { S3Bucket } from "CDK_AWS/lib/s3-bucket";
import { S3Object } from "CDK_AWS/lib/s3-object";
import { PlatformStack } from "./platform-stack";

describe("PlatformStack", () => {
  const stack = new PlatformStack(Testing.app(), "platform");
  const synthesized = Testing.synth(stack);

  it("makes the exports with the eu provider, in its region", () => {
    expect(stack.exports.region).toBe("eu-west-3");
    expect(synthesized).toHaveResourceWithProperties(S3Bucket, { bucket: "acme-platform-exports", provider: "aws.eu" });
  });

  it("gives each project its own role, trusting its token from the variable", () => {
    expect(synthesized).toHaveResourceWithProperties(IamRole, { name: "platform-mixpanel-export-${var.web_project_token}", provider: "aws.eu" });
    expect(synthesized).toHaveResourceWithProperties(IamRole, { name: "platform-mixpanel-export-${var.app_project_token}", provider: "aws.eu" });
  });

  it("lets our reader role read the exports", () => {
    expect(synthesized).toHaveResourceWithProperties(IamRolePolicy, { name: "platform-mixpanel-export-read", role: "${aws_iam_role.reader.name}" });
  });

  it("puts our README into the export bucket", () => {
    expect(synthesized).toHaveResourceWithProperties(S3Object, {
      bucket: `\${${stack.exports.bucket!.terraformResourceType}.${stack.exports.bucket!.friendlyUniqueId}.bucket}`,
      key: "README.txt",
    });
  });
});
