// A library user's own stack, as a user writes one. The consumer tier copies this folder into a fresh app
// and replaces CDK_CORE, CDK_AWS and MIXPANEL_LIBRARY with the flavour's packages (cdktf or cdktn).
import { TerraformOutput, TerraformStack, TerraformVariable } from "CDK_CORE";
import { KmsKey } from "CDK_AWS/lib/kms-key";
import { AwsProvider } from "CDK_AWS/lib/provider";
import { Construct } from "constructs";
import { MixpanelS3Export } from "MIXPANEL_LIBRARY";

export class AnalyticsStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new AwsProvider(this, "aws", { region: "eu-west-1" });

    const token = new TerraformVariable(this, "mixpanel_project_token", {
      type: "string",
      description: "Token of the Mixpanel project that exports events",
    });
    const key = new KmsKey(this, "exports", { description: "Analytics exports", enableKeyRotation: true });

    const events = new MixpanelS3Export(this, "events", {
      projects: [{ token: token.stringValue }],
      bucketName: "acme-analytics-events",
      region: "eu-west-1",
      encryption: "KMS",
      kmsKeyArn: key.arn,
      namePrefix: "events-",
    });
    const sandbox = new MixpanelS3Export(this, "sandbox", {
      projects: [{ token: "0123456789abcdef0123456789abcdef" }],
      bucketName: "acme-analytics-sandbox",
      region: "eu-west-1",
    });

    new TerraformOutput(this, "events_role_arn", { value: events.roleArn });
    new TerraformOutput(this, "events_kms_key_id", { value: events.kmsKeyId });
    new TerraformOutput(this, "sandbox_role_arn", { value: sandbox.roleArn });
    new TerraformOutput(this, "sandbox_bucket", { value: sandbox.bucketName });
  }
}
