// A second stack of the user's app, as a platform team writes one: the exports made in another region through
// an aliased provider (the export's region taken from it), one role per Mixpanel project with the tokens from
// variables and a fixed key per project, the team's own role granted read access, and resources of the team's
// own built from the bucket's references (so Terraform makes them after the bucket).
import { TerraformOutput, TerraformStack, TerraformVariable } from "CDK_CORE";
import { IamPolicy } from "CDK_AWS/lib/iam-policy";
import { IamRole } from "CDK_AWS/lib/iam-role";
import { AwsProvider } from "CDK_AWS/lib/provider";
import { S3Object } from "CDK_AWS/lib/s3-object";
import { Construct } from "constructs";
import { MixpanelS3Export } from "MIXPANEL_LIBRARY";

export class PlatformStack extends TerraformStack {
  readonly exports: MixpanelS3Export;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    new AwsProvider(this, "aws", { region: "us-east-1" });
    const eu = new AwsProvider(this, "eu", { alias: "eu", region: "eu-west-3" });

    const webToken = new TerraformVariable(this, "web_project_token", { type: "string", description: "Token of the web project" }).stringValue;
    const appToken = new TerraformVariable(this, "app_project_token", { type: "string", description: "Token of the app project" }).stringValue;

    this.exports = new MixpanelS3Export(this, "exports", {
      provider: eu,
      projects: [{ token: webToken, key: "web" }, { token: appToken, key: "app" }],
      rolePerProject: true,
      bucketName: "acme-platform-exports",
      encryption: "KMS",
      createKmsKey: true,
      namePrefix: "platform-",
    });

    // Our Glue jobs read the exports.
    const reader = new IamRole(this, "reader", {
      name: "platform-export-reader",
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "glue.amazonaws.com" }, Action: "sts:AssumeRole" }],
      }),
    });
    this.exports.grantRead(reader);

    new S3Object(this, "readme", {
      provider: eu,
      bucket: this.exports.bucketName,
      key: "README.txt",
      content: "Mixpanel's exports, one folder per project. Owned by the platform team.\n",
    });
    new IamPolicy(this, "auditor", {
      name: "platform-export-auditor",
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: ["s3:GetBucketPolicy", "s3:GetEncryptionConfiguration"], Resource: this.exports.bucketArn }],
      }),
    });

    new TerraformOutput(this, "region", { value: this.exports.region });
    new TerraformOutput(this, "bucket_arn", { value: this.exports.bucketArn });
    new TerraformOutput(this, "web_role_arn", { value: this.exports.roleArns[webToken] });
    new TerraformOutput(this, "app_role_arn", { value: this.exports.roleArns[appToken] });
  }
}
