import { AwsProvider } from "../cdk/aws";
import { TerraformOutput, TerraformStack, Token } from "../cdk/core";
import { Construct } from "constructs";
import { AWS_PROVIDER_CONSTRAINT } from "../config/aws-provider";
import { MixpanelS3ExportProps } from "../config/props";
import { MixpanelS3Export } from "../constructs/mixpanel-s3-export";

/**
 * A deployable stack around {@link MixpanelS3Export}: the AWS provider for the bucket's region, the
 * construct, and the outputs to copy into Mixpanel's pipeline form.
 */
export { AWS_PROVIDER_CONSTRAINT };

export class MixpanelS3ExportStack extends TerraformStack {
  readonly export: MixpanelS3Export;

  constructor(scope: Construct, id: string, props: MixpanelS3ExportProps) {
    super(scope, id);
    new AwsProvider(this, "aws", { region: props.region });
    // The prebuilt bindings pin the provider version they were generated from; widen it to the supported range.
    this.addOverride("terraform.required_providers.aws.version", AWS_PROVIDER_CONSTRAINT);

    const mixpanel = new MixpanelS3Export(this, "mixpanel", props);
    this.export = mixpanel;

    new TerraformOutput(this, "mixpanel_bucket", { value: mixpanel.exportBucket.bucketName, description: "Mixpanel form: Bucket" });
    new TerraformOutput(this, "mixpanel_region", { value: mixpanel.region, description: "Mixpanel form: Region" });
    if (mixpanel.roleArn !== undefined) {
      new TerraformOutput(this, "mixpanel_role_arn", { value: mixpanel.roleArn, description: "Mixpanel form: Role" });
    }
    new TerraformOutput(this, "mixpanel_role_arns", {
      // As a token, the same map: cdktf 0.21 checks a plain object output with util.isArray, which Node 22 and
      // later flag on every synth (DeprecationWarning DEP0044); a token skips that check.
      value: Token.asAny(mixpanel.roleArns),
      description: "Mixpanel form: Role, for each project token",
    });
    new TerraformOutput(this, "mixpanel_encryption", { value: mixpanel.encryption, description: "Mixpanel form: Encryption" });
    new TerraformOutput(this, "mixpanel_kms_key_id", {
      value: mixpanel.kmsKeyId,
      description: "Mixpanel form: KMS Key ID (empty: leave the field empty)",
    });
    // Mixpanel's Redshift Spectrum destination: the form's Glue and Redshift fields.
    if (mixpanel.glueRoleArn !== undefined) {
      new TerraformOutput(this, "mixpanel_glue_database", { value: mixpanel.glueDatabase, description: "Mixpanel form: Glue Database" });
      new TerraformOutput(this, "mixpanel_glue_region", { value: mixpanel.glueRegion, description: "Mixpanel form: Glue Region" });
      new TerraformOutput(this, "mixpanel_glue_role_arn", { value: mixpanel.glueRoleArn, description: "Mixpanel form: Glue Role" });
    }
    if (mixpanel.redshiftRoleArn !== undefined) {
      new TerraformOutput(this, "mixpanel_redshift_role_arn", {
        value: mixpanel.redshiftRoleArn,
        description: "Mixpanel form: Redshift Role (and Region: the Glue Region; Cluster Identifier or Workgroup ARN and Database are yours)",
      });
    }
  }
}
