/**
 * The one place that names the AWS provider bindings (`@cdktf/provider-aws`, `@cdktn/provider-aws` in the
 * CDK Terrain package: see ./core.ts). Deep imports only: the package's barrel costs about 2 s and 500 MB
 * per load.
 */
export { DataAwsRegion } from "@cdktf/provider-aws/lib/data-aws-region";
export { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
export { IamRole } from "@cdktf/provider-aws/lib/iam-role";
export { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
export { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
export { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
export { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
export { AwsProvider } from "@cdktf/provider-aws/lib/provider";
export { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
export {
  S3BucketLifecycleConfiguration,
  type S3BucketLifecycleConfigurationRule,
} from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
export { S3BucketLoggingA } from "@cdktf/provider-aws/lib/s3-bucket-logging";
export { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
export { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
export { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
export { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
export { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
export { GlueCatalogDatabase } from "@cdktf/provider-aws/lib/glue-catalog-database";
